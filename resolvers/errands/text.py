"""A message of a citizen or guardian on an errand's thread."""

from __future__ import annotations

from datetime import datetime

from app.access.citizens import Subject
from app.data.models import ErrandMessage
from auth.policy import Relation
from resolvers.text import text_at

MAX_MESSAGE = 5000


def message_text(value: str, field: str) -> str:
    return text_at(value, field, MAX_MESSAGE, multiline=True)


def citizen_message(
    errand_id: int, subject: Subject, author_id: int, body: str, at: datetime
) -> ErrandMessage:
    """A message written by the subject, or by a guardian for the child (shown as such)."""
    return ErrandMessage(
        errand_id=errand_id,
        author_kind="CITIZEN" if subject.relation is Relation.SELF else "GUARDIAN",
        author_citizen_id=author_id,
        body=body,
        sent_at=at,
    )
