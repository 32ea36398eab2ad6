"""E-mail addresses and Swedish mobile numbers for notifications (R-104)."""

from __future__ import annotations

import pytest

from app.domain.contact import ContactProblem, email_address, mobile_number


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("anna@example.se", "anna@example.se"),
        ("  Anna.Andersson+1177@Example.SE ", "Anna.Andersson+1177@example.se"),
        ("a_b-c@sub.region-stockholm.se", "a_b-c@sub.region-stockholm.se"),
    ],
)
def test_an_address_is_kept_with_its_domain_in_lower_case(given: str, kept: str) -> None:
    assert email_address(given) == kept


@pytest.mark.parametrize(
    "given",
    [
        "",
        "anna",
        "anna@",
        "@example.se",
        "anna@example",
        "anna@@example.se",
        "anna @example.se",
        "anna@exa mple.se",
        '"anna"@example.se',
        "anna@[127.0.0.1]",
        "anna..b@example.se",
        "anna@-example.se",
        "anna@example.se\nBcc: x@y.se",
    ],
)
def test_what_is_not_an_address_is_refused(given: str) -> None:
    assert isinstance(email_address(given), ContactProblem)


def test_an_address_longer_than_254_is_too_long() -> None:
    refused = email_address("a" * 250 + "@example.se")
    assert isinstance(refused, ContactProblem) and refused.code == "TOO_LONG"


@pytest.mark.parametrize(
    "given",
    ["0701234567", "070-123 45 67", "+46701234567", "+46 70 123 45 67", "0046701234567"],
)
def test_a_mobile_number_is_kept_in_e164(given: str) -> None:
    assert mobile_number(given) == "+46701234567"


@pytest.mark.parametrize(
    "given",
    [
        "",
        "081234567",  # a landline
        "+4681234567",
        "07012345",  # too short
        "070123456789",  # too long
        "0741234567",  # not a mobile series
        "+47701234567",  # Norway
        "070-123 45 6x",
    ],
)
def test_what_is_not_a_swedish_mobile_number_is_refused(given: str) -> None:
    assert isinstance(mobile_number(given), ContactProblem)
