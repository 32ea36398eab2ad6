"""Inputs and payloads of the inbox mutations."""

from __future__ import annotations

import strawberry

from schema.arguments import idempotency_key
from schema.errands.types import Errand
from schema.errors import UserError
from schema.inbox.types import InboxMessage, NotificationChannel, NotificationSettings


@strawberry.input(description="Mark messages of one inbox read (opening a message, R-112).")
class MarkInboxMessagesReadInput:
    citizen_id: strawberry.ID = strawberry.field(description="Whose inbox: yours or a child's.")
    message_ids: list[strawberry.ID] = strawberry.field(description="1 to 100 messages of it.")


@strawberry.type(description="The messages as marked, and what is left unread, or why not.")
class MarkInboxMessagesReadPayload:
    messages: list[InboxMessage] = strawberry.field(description="The messages, in the order asked.")
    unread_count: int | None = strawberry.field(
        description="Unread messages left in the inbox (not the archive); null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="Move a message to the archive, or back to the inbox.")
class ArchiveInboxMessageInput:
    citizen_id: strawberry.ID = strawberry.field(description="Whose inbox: yours or a child's.")
    message_id: strawberry.ID = strawberry.field(description="The message.")
    archived: bool = strawberry.field(description="true: to the archive; false: back.")


@strawberry.type(description="The message as it now is, or why not.")
class ArchiveInboxMessagePayload:
    message: InboxMessage | None = strawberry.field(description="The message, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="Answer a message that allows it (R-111).")
class ReplyToInboxMessageInput:
    citizen_id: strawberry.ID = strawberry.field(description="Whose inbox: yours or a child's.")
    message_id: strawberry.ID = strawberry.field(description="The message to answer.")
    body: str = strawberry.field(description="The answer (max 5000 characters).")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The errand the answer continues, or why not.")
class ReplyToInboxMessagePayload:
    errand: Errand | None = strawberry.field(
        description="The thread with the sending clinic: the message and every answer."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(
    description="Where to be told that a message arrived (a guardian sets a child's, R-108)."
)
class UpdateNotificationSettingsInput:
    citizen_id: strawberry.ID = strawberry.field(description="Whose: yours or a child's.")
    email: str | None = strawberry.field(
        default=None, description="An e-mail address; null or empty: none."
    )
    mobile_number: str | None = strawberry.field(
        default=None, description="A Swedish mobile number (070-123 45 67); null or empty: none."
    )
    channels: list[NotificationChannel] = strawberry.field(
        description="Where to notify: each needs its address or number."
    )


@strawberry.type(description="The settings as saved, or why not.")
class UpdateNotificationSettingsPayload:
    notification_settings: NotificationSettings | None = strawberry.field(
        description="The settings, when they were saved."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was changed.")
