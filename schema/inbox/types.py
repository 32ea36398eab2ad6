"""The inbox (1177 inkorg): messages from care to one citizen, what they carry, and where the
citizen is told that one arrived."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Private

from app.context import Info
from app.data.models import NotificationSetting as SettingRow
from app.data.records import AnyInboxMessage
from app.domain.ids import IdCodec, NodeKind
from schema.node import Node
from schema.pagination import Edge, PageInfo
from schema.scalars import HsaIdValue

if TYPE_CHECKING:
    from schema.bookings.types import Booking
    from schema.clinics.types import BookingType, Clinic
    from schema.errands.types import Errand
    from schema.forms.types import FormRequest


@strawberry.enum(description="What a message is (R-101).")
class InboxMessageKind(Enum):
    INFORMATION = "INFORMATION"
    QUESTION = "QUESTION"
    INVITATION = "INVITATION"
    FORM_REQUEST = "FORM_REQUEST"
    RESULT = "RESULT"
    EARLIER_TIME_OFFER = "EARLIER_TIME_OFFER"
    ERRAND_ANSWER = "ERRAND_ANSWER"


@strawberry.type(description="The care unit that sent a message, as it was when it sent (R-102).")
class InboxSender:
    hsa_id: HsaIdValue = strawberry.field(description="The care unit's HSA-id.")
    name: str = strawberry.field(description="The care unit's name.")


@strawberry.type(
    description="An invitation (kallelse): a time the clinic booked (`booking`, which can be "
    "rebooked or cancelled as its flags say) or what to book, where and by when (R-107)."
)
class Invitation:
    book_by: date | None = strawberry.field(
        description="For an open invitation: the last day to book (Stockholm). Null if timed."
    )
    booking_id: Private[int | None]
    booking_type_id: Private[int | None]
    clinic_id: Private[int | None]
    citizen_id: Private[int]

    @strawberry.field(description="The booking the clinic made; null for an open invitation.")
    async def booking(
        self, info: Info
    ) -> Annotated[Booking, strawberry.lazy("schema.bookings.types")] | None:
        from schema.bookings.build import build_bookings  # builders import the types modules

        if self.booking_id is None:
            return None
        row = await info.context.loaders.booking.load(self.booking_id)
        if row is None or row.citizen_id != self.citizen_id:  # only ever the message's own
            return None
        return (await build_bookings(info.context, [row]))[self.booking_id]

    @strawberry.field(description="What to book, for an open invitation; null if timed.")
    async def booking_type(
        self, info: Info
    ) -> Annotated[BookingType, strawberry.lazy("schema.clinics.types")] | None:
        from schema.clinics.build import shown_booking_type

        if self.booking_type_id is None:
            return None
        row = await info.context.loaders.booking_type.load(self.booking_type_id)
        return None if row is None else shown_booking_type(info.context, row)

    @strawberry.field(description="Where to book (or where the booked time is).")
    async def clinic(
        self, info: Info
    ) -> Annotated[Clinic, strawberry.lazy("schema.clinics.types")] | None:
        from schema.clinics.build import clinics_by_id

        if self.clinic_id is None:
            return None
        return (await clinics_by_id(info.context, [self.clinic_id])).get(self.clinic_id)


@strawberry.type(description="A message from care in a citizen's inbox (R-100..R-112).")
class InboxMessage(Node):
    kind: InboxMessageKind = strawberry.field(description="What the message is.")
    subject: str = strawberry.field(description="Its subject line.")
    body: str = strawberry.field(description="The text.")
    sent_at: datetime = strawberry.field(description="When it arrived.")
    read_at: datetime | None = strawberry.field(
        description="When it was marked read (MarkInboxMessagesRead); null while unread."
    )
    archived: bool = strawberry.field(description="Whether it is in the archive.")
    reply_allowed: bool = strawberry.field(
        description="Whether it can be answered (ReplyToInboxMessage, R-111)."
    )
    sender: InboxSender = strawberry.field(description="The care unit that sent it.")
    invitation: Invitation | None = strawberry.field(
        description="For an invitation: the booked time or what to book."
    )
    row: Private[AnyInboxMessage]

    @classmethod
    def from_row(cls, row: AnyInboxMessage, ids: IdCodec) -> InboxMessage:
        assert row.id is not None
        invitation = None
        if row.kind == InboxMessageKind.INVITATION.value:
            invitation = Invitation(
                book_by=row.book_by,
                booking_id=row.booking_id,
                booking_type_id=row.booking_type_id,
                clinic_id=row.clinic_id,
                citizen_id=row.citizen_id,
            )
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.INBOX_MESSAGE, row.id)),
            kind=InboxMessageKind(row.kind),
            subject=row.subject,
            body=row.body,
            sent_at=row.sent_at,
            read_at=row.read_at,
            archived=row.archived,
            reply_allowed=row.reply_allowed,
            sender=InboxSender(hsa_id=HsaIdValue(row.sender_hsa_id), name=row.sender_name),
            invitation=invitation,
            row=row,
        )

    @strawberry.field(description="The form to answer, for a form request.")
    async def form_request(
        self, info: Info
    ) -> Annotated[FormRequest, strawberry.lazy("schema.forms.types")] | None:
        from schema.forms.build import build_form_requests

        key = self.row.form_request_id
        if key is None:
            return None
        row = await info.context.loaders.form_request.load(key)
        if row is None or row.citizen_id != self.row.citizen_id:
            return None
        return (await build_form_requests(info.context, [row]))[key]

    @strawberry.field(description="The errand a reply to this message started (R-111).")
    async def errand(
        self, info: Info
    ) -> Annotated[Errand, strawberry.lazy("schema.errands.types")] | None:
        from schema.errands.build import build_errands

        key = self.row.errand_id
        if key is None:
            return None
        row = await info.context.loaders.errand.load(key)
        if row is None or row.citizen_id != self.row.citizen_id:
            return None
        return (await build_errands(info.context, [row]))[key]


@strawberry.type(description="A page of an inbox, with how many of its messages are unread.")
class InboxConnection:
    edges: list[Edge[InboxMessage]] = strawberry.field(description="The messages of this page.")
    page_info: PageInfo = strawberry.field(description="How to continue.")
    unread_count: int = strawberry.field(
        description="Unread messages in this folder (inbox or archive), counted with the page."
    )


@strawberry.enum(description="How a person is told that a message arrived.")
class NotificationChannel(Enum):
    SMS = "SMS"
    EMAIL = "EMAIL"


@strawberry.type(
    description="Where a person is told that a message arrived: only that one did, never what "
    "it says or who sent it (R-104, R-110). A guardian sets a child's (R-108)."
)
class NotificationSettings:
    email: str | None = strawberry.field(description="The e-mail address, if any.")
    mobile_number: str | None = strawberry.field(
        description="The mobile number in E.164 (+46701234567), if any."
    )
    channels: list[NotificationChannel] = strawberry.field(
        description="Where to notify; empty: nowhere."
    )

    @classmethod
    def from_row(cls, row: SettingRow | None) -> NotificationSettings:
        if row is None:
            return cls(email=None, mobile_number=None, channels=[])
        return cls(
            email=row.email,
            mobile_number=row.mobile_number,
            channels=[NotificationChannel(channel) for channel in row.channels],
        )
