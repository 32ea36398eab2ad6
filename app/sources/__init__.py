"""Regional data sources: the port every region's system is reached through (ports.py, batch
first, our keys, our records), the registry that says which adapter serves which region,
fan-out with timeouts and circuit breakers, and the adapters: sql/ (the embedded database
plays the region's system) and fhir/ (HL7 FHIR R4 over HTTP), which do not know each other.
May import data and domain; no Strawberry, nothing above."""
