"""Domain values and rules with no I/O: identifiers (personnummer, HSA-id), opaque ids and
cursors, keyset pages, text rules, the Stockholm clock, schedules, form answers and
definitions, the regions' configuration and the API's error codes. Imports nothing of ours:
every other layer may import it."""
