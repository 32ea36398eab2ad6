"""The messages of one inbox a mutation names: every one must be in the inbox of the citizen
the mutation acts for, or nothing is done and the answer is one NOT_FOUND that does not say
which id or why (R-22: another person's message answers like a missing one)."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from app.access.citizens import Subject
from app.context import Context
from app.data.models import InboxMessage as MessageRow
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from auth.policy import Capability
from loaders.factories import load_all
from resolvers.guard import acting_for
from schema.errors import refuse

MAX_MESSAGES = 100


async def inbox_of(context: Context, citizen_id: strawberry.ID, capability: Capability) -> Subject:
    """R-108: a child's inbox is handled by each guardian until 13, then by the child alone."""
    return await acting_for(context, str(citizen_id), capability, "citizenId")


async def messages_in(
    context: Context, subject: Subject, public_ids: Sequence[strawberry.ID], field: str
) -> list[MessageRow]:
    if not 1 <= len(public_ids) <= MAX_MESSAGES:
        raise refuse(UserErrorCode.TOO_MANY, field, f"Name 1 to {MAX_MESSAGES} messages at a time.")
    keys = [
        context.ids.decode_as(str(public_id), NodeKind.INBOX_MESSAGE) for public_id in public_ids
    ]
    known = [key for key in keys if key is not None]
    rows = await load_all(context.loaders.inbox_message, known)
    mine = [row for row in rows if row is not None and row.citizen_id == subject.id]
    if len(mine) != len(keys):  # an id that is no message's, or another person's
        raise refuse(UserErrorCode.NOT_FOUND, field, "No such message.")
    return mine
