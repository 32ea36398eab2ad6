"""An errand's thread, with each author's display name (two batched lookups)."""

from __future__ import annotations

import strawberry

from app.context import Context
from app.data.models import ErrandMessage as MessageRow
from app.data.records import AnyErrand, CitizenRecord
from app.domain.ids import NodeKind
from app.domain.keys import pk
from loaders.factories import load_all
from schema.errands.types import AuthorKind, ErrandMessage, MessageAuthor


async def messages_of(context: Context, errand: AnyErrand) -> list[ErrandMessage]:
    rows = await context.loaders.messages_of_errand.load(pk(errand))
    return await build_messages(context, rows)


async def build_messages(context: Context, rows: list[MessageRow]) -> list[ErrandMessage]:
    citizen_ids = [r.author_citizen_id for r in rows if r.author_citizen_id is not None]
    staff_ids = [r.author_staff_id for r in rows if r.author_staff_id is not None]
    citizens: dict[int | None, CitizenRecord] = {
        c.id: c for c in await load_all(context.loaders.citizen, citizen_ids) if c
    }
    staff = {s.id: s for s in await load_all(context.loaders.staff, staff_ids) if s}

    def author(row: MessageRow) -> MessageAuthor:
        person = (
            staff.get(row.author_staff_id)
            if row.author_kind == AuthorKind.STAFF.value
            else citizens.get(row.author_citizen_id)
        )
        name = f"{person.given_name} {person.family_name}" if person else ""
        return MessageAuthor(kind=AuthorKind(row.author_kind), display_name=name)

    return [
        ErrandMessage(
            id=strawberry.ID(context.ids.encode(NodeKind.ERRAND_MESSAGE, pk(row))),
            body=row.body,
            sent_at=row.sent_at,
            author=author(row),
        )
        for row in rows
        if row.id is not None
    ]
