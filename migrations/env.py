"""Alembic environment: runs on the connection app.data.migrate hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import app.data.models  # noqa: F401  (registers every table on the metadata)
from app.data.migrate import ours

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through app.data.migrate (python3 dev.py serve does)")
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_name=ours,
)
with context.begin_transaction():
    context.run_migrations()
