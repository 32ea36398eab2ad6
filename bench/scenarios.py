"""What the load sends: contract documents (by trusted-document id) with variables, for a
sample of the dataset's citizens, each request with its citizen's own e-ID token."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.ids import IdCodec, NodeKind
from app.guard.trusted_documents import CONTRACT, TrustedDocuments
from bench.dataset import Dataset
from bench.load import Request

DOCUMENTS = {
    d.label.removeprefix("citizen/"): d.id
    for d in TrustedDocuments.from_directory(CONTRACT).documents()
}
SAMPLE = 2_000  # distinct citizens per scenario: rate limits and caches see many people
Tokens = Callable[[str], str]


@dataclass(frozen=True)
class People:
    """Who the requests are sent for, with their ids as clients see them."""

    dataset: Dataset
    ids: IdCodec

    def public_id(self, citizen_id: int) -> str:
        return self.ids.encode(NodeKind.CITIZEN, citizen_id)


def operation(name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"documentId": DOCUMENTS[name], "variables": variables or {}}


def me(people: People, tokens: Tokens) -> list[Request]:
    sample = _sample(people.dataset.adults)
    return [Request(tokens(n), operation("Me")) for n, _ in sample]


def booked_times(people: People, tokens: Tokens, first: int) -> list[Request]:
    return [
        Request(
            tokens(number),
            operation(
                "BookedTimes",
                {"citizenId": people.public_id(citizen_id), "first": first},
            ),
        )
        for number, citizen_id in _sample(people.dataset.heavy)
    ]


def journal(people: People, tokens: Tokens, first: int) -> list[Request]:
    """The heavy patients' journals (bench/dataset.py: 60 records in a SQL region's system)."""
    return [
        Request(
            tokens(number),
            operation("Journal", {"citizenId": people.public_id(citizen_id), "first": first}),
        )
        for number, citizen_id in _sample(people.dataset.heavy)
    ]


def prescriptions(people: People, tokens: Tokens) -> list[Request]:
    """The heavy patients' 30 medications at their vårdcentral (bench/dataset.py)."""
    clinic = people.ids.encode(NodeKind.CLINIC, people.dataset.renewal_clinic)
    return [
        Request(
            tokens(number),
            operation(
                "RenewablePrescriptions",
                {"citizenId": people.public_id(citizen_id), "clinicId": clinic},
            ),
        )
        for number, citizen_id in _sample(people.dataset.heavy)
    ]


def listing(people: People, tokens: Tokens) -> list[Request]:
    """The heavy patients' listing with its history of four (bench/dataset.py)."""
    return [
        Request(tokens(number), operation("Listing", {"citizenId": people.public_id(citizen_id)}))
        for number, citizen_id in _sample(people.dataset.heavy)
    ]


def heavy_list(name: str, **variables: Any) -> Callable[[People, Tokens], list[Request]]:
    """A list of the heavy patients' (bench/dataset.py: sample orders, program enrolments,
    complaints), each asked for by its own citizen."""

    def requests(people: People, tokens: Tokens) -> list[Request]:
        return [
            Request(
                tokens(number),
                operation(name, {"citizenId": people.public_id(citizen_id), **variables}),
            )
            for number, citizen_id in _sample(people.dataset.heavy)
        ]

    return requests


def public_statistics(today: date) -> list[Request]:
    """The public figures (no login) for the periods a statistics page offers: the last twelve
    months up to today or yesterday, this year so far, last year, the last three months."""
    periods = [
        (today - timedelta(days=364), today),
        (today - timedelta(days=365), today - timedelta(days=1)),
        (today.replace(month=1, day=1), today),
        (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        (today - timedelta(days=91), today),
    ]
    return [
        Request("", operation("PublicStatistics", {"from": f.isoformat(), "to": t.isoformat()}))
        for f, t in periods * 10
    ]


def own_list(name: str, first: int = 10) -> Callable[[People, Tokens], list[Request]]:
    """A list document of one's own data (Errands, FormRequests, Inbox, Certificates,
    AccessLog), a page of `first`."""

    def requests(people: People, tokens: Tokens) -> list[Request]:
        sample = _sample(people.dataset.adults)
        with_id = name in ("Errands", "FormRequests", "Inbox")
        return [
            Request(
                tokens(n),
                operation(
                    name,
                    {"first": first, **({"citizenId": people.public_id(i)} if with_id else {})},
                ),
            )
            for n, i in sample
        ]

    return requests


def clinic_search(people: People, tokens: Tokens) -> list[Request]:
    sample = _sample(people.dataset.adults)
    words = ["vård", "Uppsala", "barn", "Göteborg", "central", "Luleå"]
    return [
        Request(tokens(n), operation("ClinicSearch", {"text": words[i % len(words)], "first": 10}))
        for i, (n, _) in enumerate(sample)
    ]


async def available_slots(
    engine: AsyncEngine, people: People, tokens: Tokens, today: date
) -> list[Request]:
    async with engine.connect() as connection:
        kinds = (await connection.execute(text("SELECT id, clinic_id FROM bookingtype"))).all()
    sample = _sample(people.dataset.adults)
    return [
        Request(
            tokens(n),
            operation(
                "AvailableSlots",
                {
                    "clinicId": people.ids.encode(NodeKind.CLINIC, kinds[i % len(kinds)].clinic_id),
                    "bookingTypeId": people.ids.encode(
                        NodeKind.BOOKING_TYPE, kinds[i % len(kinds)].id
                    ),
                    "from": today.isoformat(),
                    "to": (today + timedelta(days=14)).isoformat(),
                    "first": 20,
                },
            ),
        )
        for i, (n, _) in enumerate(sample)
    ]


async def bookings(
    engine: AsyncEngine, people: People, tokens: Tokens, bookable_regions: frozenset[str]
) -> list[Request]:
    """One BookAppointment per free slot at a clinic open for online booking (R-80), each by
    another citizen: every request is a booking that can succeed."""
    async with engine.connect() as connection:
        slots = (
            await connection.execute(
                text(
                    "SELECT s.id, k.region_code FROM slot s JOIN clinic k ON k.id = s.clinic_id "
                    "WHERE k.online_booking AND s.starts_at > now() + interval '1 day' "
                    "AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.slot_id = s.id "
                    "AND b.status = 'BOOKED') ORDER BY s.id"
                )
            )
        ).all()
    free = [slot.id for slot in slots if slot.region_code in bookable_regions]
    random.Random(7).shuffle(free)
    bookers = _sample(people.dataset.adults)
    return [
        Request(
            tokens(bookers[i % len(bookers)][0]),
            operation(
                "BookAppointment",
                {
                    "input": {
                        "citizenId": people.public_id(bookers[i % len(bookers)][1]),
                        "slotId": people.ids.encode(NodeKind.SLOT, slot),
                        "reason": "Kontroll",
                        "idempotencyKey": f"bench-{slot}",  # as the apps send one
                    }
                },
            ),
        )
        for i, slot in enumerate(free)
    ]


def interleave(*lists: list[Request]) -> list[Request]:
    """Round robin over the lists, so that a mix keeps its proportions at every moment."""
    longest = max(len(items) for items in lists)
    return [items[i % len(items)] for i in range(longest) for items in lists]


def _sample(items: list[Any]) -> list[Any]:
    return random.Random(1177).sample(items, min(SAMPLE, len(items)))
