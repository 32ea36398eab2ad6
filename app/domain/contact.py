"""Where a person is told that a message arrived (R-104, R-110): an e-mail address and a
Swedish mobile number, checked and kept in one form. Pure: tested without a database."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_EMAIL = 254  # RFC 5321's limit on a path
# A pragmatic address: one @, a local part of the usual characters, a domain of labels with
# a top-level domain of letters. Quoted local parts and IP literals are refused: no
# notification service needs them, and they are where injection lives.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
# Swedish mobile numbers: 07X followed by seven digits (070, 072, 073, 076, 079), written
# nationally (070-123 45 67) or in E.164 (+46 70 123 45 67).
_SEPARATORS = re.compile(r"[\s-]")
_MOBILE = re.compile(r"(?:\+46|0046|0)(7[02369]\d{7})")


@dataclass(frozen=True, slots=True)
class ContactProblem:
    code: str  # a UserErrorCode value
    message: str


def email_address(value: str) -> str | ContactProblem:
    """The address as given (the domain in lower case), or why not."""
    value = value.strip()
    if len(value) > MAX_EMAIL:
        return ContactProblem("TOO_LONG", f"At most {MAX_EMAIL} characters.")
    if not _EMAIL.fullmatch(value):
        return ContactProblem("INVALID_INPUT", "Not an e-mail address, e.g. namn@example.se.")
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def mobile_number(value: str) -> str | ContactProblem:
    """The number in E.164 (+46701234567), or why not."""
    match = _MOBILE.fullmatch(_SEPARATORS.sub("", value.strip()))
    if match is None:
        return ContactProblem(
            "INVALID_INPUT", "Not a Swedish mobile number, e.g. 070-123 45 67 or +46701234567."
        )
    return f"+46{match.group(1)}"
