"""The FHIR adapter: a region's HL7 FHIR R4 server as a regional source (directory,
scheduling, certificates, forms), every resource checked with fhir.resources both ways.
Registered by the composition root (app/resources.py); nothing else names it."""
