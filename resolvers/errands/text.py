"""A message of a citizen or guardian on an errand's thread."""

from __future__ import annotations

from datetime import datetime

from app.access.citizens import Subject
from app.data.models import ErrandMessage
from app.domain.errors import UserErrorCode
from app.domain.text import TextProblem, clean_text
from auth.policy import Relation
from schema.errors import refuse

MAX_MESSAGE = 5000


def message_text(value: str, field: str) -> str:
    cleaned = clean_text(value, max_length=MAX_MESSAGE, multiline=True)
    if isinstance(cleaned, TextProblem):
        raise refuse(UserErrorCode(cleaned.code), field, cleaned.message)
    return cleaned


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
