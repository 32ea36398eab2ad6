"""`updateNotificationSettings`: where a citizen is told that a message arrived (R-104, R-110);
a guardian sets a child's (R-108). Every channel chosen needs its address or number."""

from __future__ import annotations

from collections.abc import Callable

from app.access.audit import Access, AccessAction
from app.context import Info
from app.data.db import write_transaction
from app.data.models import NotificationSetting
from app.domain.contact import ContactProblem, email_address, mobile_number
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from auth.policy import Capability
from resolvers.inbox.owned import inbox_of
from schema.arguments import MutationInput
from schema.errors import Refusal, UserError, user_error
from schema.inbox.inputs import UpdateNotificationSettingsInput, UpdateNotificationSettingsPayload
from schema.inbox.types import NotificationChannel, NotificationSettings

NEEDS = {NotificationChannel.EMAIL: "email", NotificationChannel.SMS: "mobileNumber"}


async def update_notification_settings(
    info: Info, input: MutationInput[UpdateNotificationSettingsInput]
) -> UpdateNotificationSettingsPayload:
    context = info.context
    try:
        subject = await inbox_of(context, input.citizen_id, Capability.VIEW_INBOX)
        setting = _checked(input)
    except Refusal as refusal:
        return UpdateNotificationSettingsPayload(
            notification_settings=None, user_errors=refusal.errors
        )
    email, mobile, channels = setting
    row = NotificationSetting(
        citizen_id=subject.id,
        email=email,
        mobile_number=mobile,
        channels=channels,
        changed_at=context.now,
    )
    viewer = await context.access.viewer()
    access = Access(pk(viewer), subject.id, AccessAction.UPDATE_NOTIFICATION_SETTINGS)
    async with write_transaction(context.sessions) as session:
        await context.audit.write(session, access, context.now)
        await session.merge(row)
    return UpdateNotificationSettingsPayload(
        notification_settings=NotificationSettings.from_row(row), user_errors=[]
    )


def _checked(input: UpdateNotificationSettingsInput) -> tuple[str | None, str | None, list[str]]:
    """The address, the number and the channels, or every problem with them at once."""
    errors: list[UserError] = []
    email = _contact(input.email, email_address, "email", errors)
    mobile = _contact(input.mobile_number, mobile_number, "mobileNumber", errors)
    given = {"email": email, "mobileNumber": mobile}
    channels = list(dict.fromkeys(input.channels))  # in the order chosen, each once
    for channel in channels:
        field = NEEDS[channel]
        if given[field] is None and not any(error.field[-1] == field for error in errors):
            errors.append(user_error(UserErrorCode.REQUIRED, field, f"{channel.value} needs this."))
    if errors:
        raise Refusal(*errors)
    return email, mobile, [channel.value for channel in channels]


def _contact(
    value: str | None,
    check: Callable[[str], str | ContactProblem],
    field: str,
    errors: list[UserError],
) -> str | None:
    """The checked value; None when not given (or blank), or when refused (in `errors`)."""
    if value is None or not value.strip():
        return None
    checked = check(value)
    if isinstance(checked, ContactProblem):
        errors.append(user_error(UserErrorCode(checked.code), field, checked.message))
        return None
    return checked
