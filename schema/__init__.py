"""The one typed schema, per domain: Strawberry types and inputs, the builders that make types
from rows and records (build.py), and the fields of a type that read data (a citizen's
bookings, a clinic's errand types), which ask loaders, access and sources below, never a
resolver. The root Query and Mutation are assembled in app/root_schema.py."""
