"""Rows a statement loaded along with another (joinedload), where it did."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlmodel import SQLModel


def eager(row: SQLModel, relation: str) -> Any:
    """The row `relation` names, if the statement that loaded `row` loaded it too; else None
    (a row built by an adapter, or read by a statement without it): then the loaders fetch it,
    in batch. Relationships here are never loaded on access."""
    if relation in inspect(row).unloaded:
        return None
    return getattr(row, relation)
