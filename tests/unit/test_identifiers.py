from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.identifiers import (
    InvalidIdentifier,
    is_valid_hsa_id,
    luhn_check_digit,
    parse_personnummer,
    with_check_digit,
)

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("19121212-1212", "191212121212"),  # Skatteverket's own example
        ("191212121212", "191212121212"),
        ("121212-1212", "201212121212"),  # 10 digits, "-": younger than 100
        ("121212+1212", "191212121212"),  # "+": 100 or older
        ("201212121212", "201212121212"),
        (" 19121212-1212 ", "191212121212"),
    ],
)
def test_valid_personnummer_forms_normalise_to_twelve_digits(text: str, digits: str) -> None:
    assert parse_personnummer(text, TODAY).digits == digits


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("19121212-1213", "check digit"),
        (with_check_digit("19121312121"), "not a valid date"),  # month 13, right check digit
        ("1912121-21212", "10 or 12 digits"),
        ("abc", "10 or 12 digits"),
        ("", "10 or 12 digits"),
        ("20301212-1213", "check digit"),
    ],
)
def test_invalid_personnummer_is_refused_without_echoing_it(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as error:
        parse_personnummer(text, TODAY)
    assert reason in str(error.value)
    assert text.strip() == "" or text not in str(error.value)


def test_a_future_birth_date_is_refused() -> None:
    future = with_check_digit("20301212121")
    with pytest.raises(InvalidIdentifier, match="future"):
        parse_personnummer(future, TODAY)


def test_samordningsnummer_is_valid_and_known_as_such() -> None:
    number = parse_personnummer(with_check_digit("19850275123"), TODAY)  # day 15 + 60
    assert number.is_coordination_number
    assert number.nominal_birth_date == date(1985, 2, 15)


def test_gender_digit() -> None:
    assert parse_personnummer("19121212-1212", TODAY).is_female is False


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 25)), st.integers(0, 999))
def test_generated_numbers_always_pass_their_own_check(birth: date, serial: int) -> None:
    digits = with_check_digit(f"{birth:%Y%m%d}{serial:03d}")
    assert parse_personnummer(digits, TODAY).digits == digits
    assert luhn_check_digit(digits[2:11]) == int(digits[11])


@pytest.mark.parametrize(
    ("hsa_id", "valid"),
    [
        ("SE2321000016-1234", True),
        ("SE2321000016-A", True),
        ("SE2321000016-" + "x" * 18, True),
        ("SE2321000016-" + "x" * 19, False),  # 32 characters
        ("SE232100001-1234", False),  # 9-digit organisation number
        ("se2321000016-1234", False),
        ("SE2321000016-12_4", False),
        ("SE2321000016-", False),
    ],
)
def test_hsa_id(hsa_id: str, valid: bool) -> None:
    assert is_valid_hsa_id(hsa_id) is valid
