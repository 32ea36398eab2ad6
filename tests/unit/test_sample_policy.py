"""Who may order what of a sample offer (auth/sample_policy.py), which offers care may assign,
and an order's window in Stockholm time (app/domain/samples.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from app.domain.samples import (
    SampleLocationKind,
    SampleOrderStatus,
    is_positive,
    order_expires_at,
    shown_status,
)
from auth.policy import Relation
from auth.sample_policy import (
    OfferFacts,
    OfferProblem,
    OrderRefusal,
    offer_problems,
    order_refusal,
)

TODAY = date(2026, 12, 4)
OFFER = OfferFacts(
    category="CHRONIC_FOLLOW_UP",
    locations=frozenset({"SAMPLING_UNIT"}),
    site_ids=frozenset({7}),
    valid_until=date(2026, 12, 31),
    max_orders=2,
    min_age=None,
    guardian_may_order=False,
)
UNIT = SampleLocationKind.SAMPLING_UNIT
KIT = SampleLocationKind.HOME_KIT


def refusal(offer: OfferFacts = OFFER, **facts: object) -> OrderRefusal | None:
    arguments: dict[str, object] = {
        "relation": Relation.SELF,
        "birth_date": date(1980, 1, 1),
        "orders_placed": 0,
        "location": UNIT,
        "site_id": 7,
        "today": TODAY,
        **facts,
    }
    return order_refusal(offer, **arguments)  # type: ignore[arg-type]


def test_an_order_within_the_offer_is_allowed() -> None:
    assert refusal() is None
    assert refusal(orders_placed=1, today=OFFER.valid_until) is None  # the last day counts


@pytest.mark.parametrize(
    ("offer", "facts", "expected"),
    [
        (OFFER, {"today": date(2027, 1, 1)}, OrderRefusal.OFFER_EXPIRED),
        (OFFER, {"orders_placed": 2}, OrderRefusal.ORDER_LIMIT_REACHED),
        (
            replace(OFFER, min_age=18),
            {"birth_date": date(2008, 12, 5)},
            OrderRefusal.BELOW_AGE_LIMIT,
        ),
        (OFFER, {"location": KIT, "site_id": None}, OrderRefusal.LOCATION_NOT_OFFERED),
        (OFFER, {"site_id": 8}, OrderRefusal.LOCATION_NOT_OFFERED),
        (OFFER, {"site_id": None}, OrderRefusal.LOCATION_NOT_OFFERED),
        (OFFER, {"relation": Relation.GUARDIAN}, OrderRefusal.NOT_OPEN_TO_GUARDIANS),
        (
            replace(OFFER, category="STI", guardian_may_order=True),
            {"relation": Relation.GUARDIAN},
            OrderRefusal.NOT_OPEN_TO_GUARDIANS,  # never an STI test, whatever the offer says
        ),
    ],
)
def test_each_rule_refuses_with_its_reason(
    offer: OfferFacts, facts: dict[str, object], expected: OrderRefusal
) -> None:
    assert refusal(offer, **facts) is expected


def test_a_guardian_orders_where_the_offer_allows_it_and_the_age_limit_is_a_birthday() -> None:
    assert refusal(replace(OFFER, guardian_may_order=True), relation=Relation.GUARDIAN) is None
    eighteen_today = date(2008, 12, 4)
    assert refusal(replace(OFFER, min_age=18), birth_date=eighteen_today) is None
    kit = replace(OFFER, locations=frozenset({"HOME_KIT"}), site_ids=frozenset())
    assert refusal(kit, location=KIT, site_id=None) is None
    assert refusal(kit, location=KIT, site_id=7) is OrderRefusal.LOCATION_NOT_OFFERED


def test_offers_care_may_not_assign() -> None:
    assert offer_problems(OFFER, 40, TODAY) == []
    broken = replace(
        OFFER,
        locations=frozenset(),
        valid_until=date(2026, 12, 3),
        max_orders=11,
        min_age=121,
        category="STI",
        guardian_may_order=True,
    )
    assert offer_problems(broken, 0, TODAY) == [
        OfferProblem.NO_LOCATION,
        OfferProblem.UNITS_WITHOUT_SAMPLING,
        OfferProblem.ALREADY_EXPIRED,
        OfferProblem.ORDER_COUNT,
        OfferProblem.WINDOW,
        OfferProblem.AGE,
        OfferProblem.STI_FOR_GUARDIANS,
    ]
    assert offer_problems(replace(OFFER, site_ids=frozenset()), 40, TODAY) == [
        OfferProblem.NO_SAMPLING_UNIT
    ]


@pytest.mark.parametrize(
    ("ordered", "days", "expires"),
    [
        # Summer time when ordered, winter time when it ends: midnight Stockholm, either way.
        (datetime(2026, 10, 24, 20, 0, tzinfo=UTC), 40, datetime(2026, 12, 3, 23, 0, tzinfo=UTC)),
        # 23:30 UTC on 3 December is already 4 December in Stockholm.
        (datetime(2026, 12, 3, 23, 30, tzinfo=UTC), 1, datetime(2026, 12, 5, 23, 0, tzinfo=UTC)),
        (datetime(2027, 3, 1, 9, 0, tzinfo=UTC), 40, datetime(2027, 4, 10, 22, 0, tzinfo=UTC)),
    ],
)
def test_an_orders_window_ends_at_midnight_in_stockholm(
    ordered: datetime, days: int, expires: datetime
) -> None:
    assert order_expires_at(ordered, days) == expires
    assert shown_status("ORDERED", expires, expires) is SampleOrderStatus.EXPIRED
    assert shown_status("FETCHED", expires, expires) is SampleOrderStatus.FETCHED


def test_a_positive_sti_test_is_any_flag_but_normal() -> None:
    assert is_positive("STI", [None, "ABNORMAL"])
    assert not is_positive("STI", ["NORMAL", None])
    assert not is_positive("INFECTION", ["ABNORMAL"])
