"""The SQL adapter: the embedded database answers as a region's own system (the default for
every region). Speaks the port's records (app/data/records.py); knows nothing of FHIR."""
