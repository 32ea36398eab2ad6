"""Where a citizen is told that a message arrived (R-104); a guardian reads a child's (R-108)."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.store.inbox import notification_setting
from auth.policy import Capability
from schema.inbox.types import NotificationSettings


async def notification_settings_of_subject(
    context: Context, subject: Subject
) -> NotificationSettings:
    await require_readable(
        context, subject, Capability.VIEW_INBOX, AccessAction.READ_NOTIFICATION_SETTINGS
    )
    return NotificationSettings.from_row(await notification_setting(context.sessions, subject.id))
