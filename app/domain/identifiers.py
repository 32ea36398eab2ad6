"""Swedish identifiers: personnummer, samordningsnummer (R-60..R-66) and HSA-id (R-70).

A personnummer is stored as 12 digits (YYYYMMDDNNNC). C is the Luhn check digit over the
10-digit form. Input may have 10 or 12 digits with "-" or "+" ("+" from the year the person
turns 100). Never put a personnummer in an error text: messages here say what is wrong only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PNR_INPUT = re.compile(r"^(\d{2})?(\d{6})([-+]?)(\d{4})$")
_HSA_ID = re.compile(r"^SE\d{10}-[A-Za-z0-9]{1,18}$")
HSA_ID_MAX_LENGTH = 31
COORDINATION_DAY_OFFSET = 60


class InvalidIdentifier(ValueError):
    """An identifier that is malformed; the message never repeats the input."""


def luhn_check_digit(nine_digits: str) -> int:
    total = 0
    for position, char in enumerate(nine_digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


@dataclass(frozen=True, slots=True)
class Personnummer:
    """A validated personnummer or samordningsnummer in its 12-digit form."""

    digits: str

    @property
    def is_coordination_number(self) -> bool:
        """R-66: a samordningsnummer has the day of birth plus 60."""
        return int(self.digits[6:8]) > COORDINATION_DAY_OFFSET

    @property
    def nominal_birth_date(self) -> date:
        """The date part of the number; R-64: use the registered birth date for ages."""
        day = int(self.digits[6:8])
        if self.is_coordination_number:
            day -= COORDINATION_DAY_OFFSET
        return date(int(self.digits[0:4]), int(self.digits[4:6]), day)

    @property
    def is_female(self) -> bool:
        return int(self.digits[10]) % 2 == 0

    def formatted(self) -> str:
        """The display form YYYYMMDD-NNNC."""
        return f"{self.digits[:8]}-{self.digits[8:]}"

    def __str__(self) -> str:  # pragma: no cover - guard against accidental logging
        return "Personnummer(***)"


def parse_personnummer(text: str, today: date) -> Personnummer:
    """Parse 10 or 12 digits, with or without "-"/"+", checking date and Luhn digit (R-60..R-63)."""
    match = _PNR_INPUT.match(text.strip())
    if match is None:
        raise InvalidIdentifier("A personnummer has 10 or 12 digits, e.g. YYYYMMDD-NNNC.")
    century, yymmdd, separator, tail = match.groups()
    if century is None:
        century = _infer_century(yymmdd, plus=separator == "+", today=today)
    digits = century + yymmdd + tail
    if luhn_check_digit(digits[2:11]) != int(digits[11]):
        raise InvalidIdentifier("The personnummer's check digit is wrong.")
    number = Personnummer(digits)
    try:
        birth = number.nominal_birth_date
    except ValueError:
        raise InvalidIdentifier("The personnummer's date part is not a valid date.") from None
    if birth > today:
        raise InvalidIdentifier("The personnummer's date part lies in the future.")
    return number


def _infer_century(yymmdd: str, *, plus: bool, today: date) -> str:
    """The century of a 10-digit number: "-" under 100 years old, "+" 100 or older."""
    yy = int(yymmdd[:2])
    year = (today.year // 100) * 100 + yy
    if (year, yymmdd[2:]) > (today.year, f"{today.month:02d}{today.day:02d}"):
        year -= 100
    if plus:
        year -= 100
    return str(year // 100)


def with_check_digit(first_eleven: str) -> str:
    """Complete 11 digits (YYYYMMDDNNN) with their Luhn digit: for generated test data."""
    return first_eleven + str(luhn_check_digit(first_eleven[2:11]))


def is_valid_hsa_id(text: str) -> bool:
    """R-70: SE + 10-digit organisation number + "-" + 1..18 of [A-Za-z0-9], at most 31 chars."""
    return len(text) <= HSA_ID_MAX_LENGTH and _HSA_ID.match(text) is not None
