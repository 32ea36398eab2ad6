"""The statements the lists and lookups run, one module per read: keyset pages straight from
the driver as records, and the queries of people, clinics, staff lists and statistics."""
