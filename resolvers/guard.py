"""The subject or row a mutation names, when the viewer may act on it now; otherwise one
NOT_FOUND refusal that says no more (R-22). Reads ask app/access/reads.py."""

from __future__ import annotations

from typing import Protocol, TypeVar

from strawberry.dataloader import DataLoader

from app.access.citizens import Subject
from app.context import Context
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from auth.policy import Capability
from schema.errors import refuse


async def acting_for(
    context: Context, citizen_public_id: str, capability: Capability, field: str
) -> Subject:
    """The subject a mutation names, or a NOT_FOUND refusal that says no more (R-22)."""
    citizen_id = context.ids.decode_as(citizen_public_id, NodeKind.CITIZEN)
    subject = None if citizen_id is None else await context.access.subject(citizen_id, capability)
    if subject is None:
        raise refuse(UserErrorCode.NOT_FOUND, field, "No citizen with this id.")
    return subject


class Personal(Protocol):
    """A row that belongs to one person."""

    @property
    def citizen_id(self) -> int: ...


Row = TypeVar("Row", bound=Personal)


async def owned(
    context: Context,
    loader: DataLoader[int, Row | None],
    public_id: str,
    kind: NodeKind,
    capability: Capability,
    *,
    field: str,
    noun: str,
) -> tuple[Row, Subject]:
    """The row a mutation names and its subject, when the viewer may act on it now; otherwise
    one NOT_FOUND refusal, the same for "no such row" and "not yours" (R-22)."""
    row_id = context.ids.decode_as(public_id, kind)
    row = None if row_id is None else await loader.load(row_id)
    subject = None if row is None else await context.access.subject(row.citizen_id, capability)
    if row is None or subject is None:
        raise refuse(UserErrorCode.NOT_FOUND, field, f"No such {noun}.")
    return row, subject
