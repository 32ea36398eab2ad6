"""Messages from care in the demo inboxes: one of each kind a citizen meets (R-101), read and
unread, one archived, an invitation with a time the clinic booked and one to book (R-107)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import (
    Booking,
    BookingType,
    Citizen,
    Clinic,
    FormRequest,
    InboxMessage,
    NotificationSetting,
    Staff,
)
from app.data.models.inbox import from_clinic
from app.domain.clock import STOCKHOLM
from app.domain.keys import pk


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), STOCKHOLM).astimezone(UTC)


def seed_inbox(
    session: AsyncSession,
    citizen: Citizen,
    sender: tuple[Staff, Clinic],
    today: date,
    *,
    booked: Booking | None,
    to_book: BookingType | None,
    form_request: FormRequest | None,
) -> None:
    """`booked`: a booking the clinic made for the citizen (a timed invitation); `to_book`: a
    booking type of the sending clinic (an open one); `form_request`: a form it sent."""
    person, clinic = sender

    def message(kind: str, subject: str, body: str, days_ago: int) -> InboxMessage:
        row = from_clinic(
            clinic,
            pk(person),
            citizen_id=pk(citizen),
            kind=kind,
            subject=subject,
            body=body,
            sent_at=_at(today - timedelta(days=days_ago), 9 + days_ago % 8),
        )
        session.add(row)
        return row

    question = message(
        "QUESTION",
        "Fråga om din behandling",
        "Hej! Hur har det gått med behandlingen sedan ditt besök? Svara gärna här.",
        1,
    )
    question.reply_allowed = True
    if booked is not None:
        timed = message(
            "INVITATION",
            "Kallelse till återbesök",
            "Välkommen på återbesök. Tiden går att omboka eller avboka här.",
            2,
        )
        timed.booking_id = pk(booked)
    if to_book is not None:
        open_invitation = message(
            "INVITATION",
            "Boka tid för uppföljning",
            "Du är välkommen att boka en tid för uppföljning.",
            3,
        )
        open_invitation.booking_type_id = pk(to_book)
        open_invitation.book_by = today + timedelta(days=21)
    if form_request is not None:
        asked = message(
            "FORM_REQUEST",
            "Formulär att fylla i inför besöket",
            "Fyll i formuläret innan ditt besök.",
            4,
        )
        asked.form_request_id = pk(form_request)
    hours = message(
        "INFORMATION", "Nya öppettider", "Vårdcentralen har nya öppettider från nästa månad.", 8
    )
    hours.read_at = _at(today - timedelta(days=7), 18)
    old = message(
        "INFORMATION", "Information inför vaccination", "Tänk på att äta innan vaccinationen.", 40
    )
    old.read_at = _at(today - timedelta(days=39), 18)
    old.archived = True
    if citizen.birth_date < date(today.year - 18, 1, 1):  # a child's are a guardian's to set
        session.add(_told_by_mail_and_sms(citizen, _at(today - timedelta(days=60), 20)))


# PTS keeps 070-174 06 05 .. 070-174 06 99 for fiction: no real phone gets the demo's texts.
FICTIONAL_MOBILES = range(46701740605, 46701740700)


def _told_by_mail_and_sms(citizen: Citizen, at: datetime) -> NotificationSetting:
    """Where the demo's notifications go (printed by `serve`): an address at example.com
    (RFC 2606) and one of the numbers kept for fiction."""
    name = unicodedata.normalize("NFKD", f"{citizen.given_name}.{citizen.family_name}")
    local = "".join(c for c in name.lower() if c.isascii() and (c.isalnum() or c == "."))
    mobile = FICTIONAL_MOBILES[pk(citizen) % len(FICTIONAL_MOBILES)]
    return NotificationSetting(
        citizen_id=pk(citizen),
        email=f"{local}@example.com",
        mobile_number=f"+{mobile}",
        channels=["EMAIL", "SMS"],
        changed_at=at,
    )
