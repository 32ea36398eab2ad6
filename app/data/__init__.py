"""Our data: the engine and sessions, the migrations runner, the tables (models/), the records
lists are read as (records.py), the store's statements (store/) and the idempotency records.
May import domain values only; no Strawberry, no sources, no rules of access."""
