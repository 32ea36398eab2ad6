"""Telling a person that a message arrived in their inbox, never what it says (R-104, R-110).

A new message writes its notification jobs in its own transaction (`queue.py`); a worker runs
them (`worker.py`) with PgQueuer: on PostgreSQL from its tables, so a job is as durable as the
message, and in memory beside the server on the embedded SQLite. A job sends one channel's
notification (`deliver.py`) by e-mail over SMTP (`email.py`) or by SMS through the gateway
(`sms.py`), is retried with backoff when the far side fails, and parked after its last attempt;
its effect is once (the `NotificationDelivery` row). May import app.data and app.domain; the
composition root hands it its settings and a metrics callback.
"""
