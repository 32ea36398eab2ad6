"""What happened in an inbox, told to the open apps of those who may read it (R-113): a
message arrived, was read or archived. Published in the transaction that made it happen and
delivered once it commits, to every server process: PostgreSQL's LISTEN/NOTIFY (`postgres.py`)
in production, the process's own memory (`memory.py`) on the embedded SQLite. An event carries
ids only: what it says is read again, under the reader's rules, when it is delivered.
May import app.data and app.domain.
"""
