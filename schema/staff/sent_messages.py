"""What a clinic sent to inboxes, and whether it reached each person (R-105), for its errand
handlers. Reading who it went to is logged as this clinic's access (R-41)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from app.access.audit import AccessAction, StaffAccess
from app.context import Info
from app.data.models import InboxMessage as MessageRow
from app.data.records import AnyClinic, CitizenRecord
from app.data.store.inbox import sent_by_clinic
from app.domain.ids import IdCodec, NodeKind
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from loaders.factories import load_all
from schema.citizens.patient import Patient
from schema.inbox.types import InboxMessageKind
from schema.pagination import Connection, PageInfo, connection_of, page_args
from schema.staff.roles import role_opens


@strawberry.enum(description="Whether a message reached the person (R-105).")
class MessageDelivery(Enum):
    DELIVERED = "DELIVERED"
    NOT_REACHABLE = "NOT_REACHABLE"


@strawberry.type(
    description="A message as its clinic sees it: to whom, and whether it arrived. Its id is "
    "its own, not the InboxMessage's the person sees."
)
class SentMessage:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
    kind: InboxMessageKind = strawberry.field(description="What the message is.")
    subject: str = strawberry.field(description="Its subject line.")
    sent_at: datetime = strawberry.field(description="When it was sent.")
    delivery: MessageDelivery = strawberry.field(
        description="NOT_REACHABLE when the person could not be reached; never why."
    )
    read_at: datetime | None = strawberry.field(description="When the person opened it.")
    recipient: Patient = strawberry.field(description="Whom it was sent to.")

    @classmethod
    def from_row(cls, row: MessageRow, recipient: CitizenRecord, ids: IdCodec) -> SentMessage:
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.SENT_MESSAGE, pk(row))),
            kind=InboxMessageKind(row.kind),
            subject=row.subject,
            sent_at=row.sent_at,
            delivery=MessageDelivery(row.delivery),
            read_at=row.read_at,
            recipient=Patient.from_row(recipient, ids),
        )


async def sent_messages_of_clinic(
    info: Info, clinic: AnyClinic, first: int, after: str | None
) -> Connection[SentMessage]:
    context = info.context
    request = page_args(context.cursors, first, after, "datetime")
    if not await role_opens(info, clinic, StaffRole.ERRAND_HANDLER):
        return Connection(edges=[], page_info=PageInfo(has_next_page=False, end_cursor=None))
    page = await sent_by_clinic(context.sessions, pk(clinic), request)
    rows = [row for row, _ in page.items]
    people = await load_all(context.loaders.citizen, list({row.citizen_id for row in rows}))
    recipients = {person.id: person for person in people if person is not None}
    staff = await context.staff.staff()
    for citizen_id in recipients:
        context.audit.record_read(
            StaffAccess(pk(staff), citizen_id, AccessAction.READ_SENT_MESSAGES, pk(clinic))
        )
    return connection_of(
        context.cursors,
        page,
        lambda row: SentMessage.from_row(row, recipients[row.citizen_id], context.ids),
    )
