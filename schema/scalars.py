"""Custom scalars: personnummer and HSA-id, validated on the way in; instants in Stockholm's
own time with its offset (R-88)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NewType

import strawberry
from graphql import GraphQLError
from strawberry.types.scalar import ScalarDefinition

from app.domain.clock import STOCKHOLM
from app.domain.identifiers import InvalidIdentifier, is_valid_hsa_id, parse_personnummer

PersonnummerValue = NewType("PersonnummerValue", str)  # the 12-digit form
HsaIdValue = NewType("HsaIdValue", str)


def _serialize_personnummer(digits: Any) -> str:
    return f"{digits[:8]}-{digits[8:]}"


def _parse_personnummer(value: Any) -> PersonnummerValue:
    if not isinstance(value, str):
        raise GraphQLError("A personnummer is a string, e.g. 19121212-1212.")
    try:
        today = datetime.now(STOCKHOLM).date()
        return PersonnummerValue(parse_personnummer(value, today).digits)
    except InvalidIdentifier as error:
        raise GraphQLError(str(error)) from None


def serialize_instant(value: datetime) -> str:
    """The same instant on Stockholm's wall clock, with the offset in force then (+01:00 in
    winter, +02:00 in summer; around the changes Python's zoneinfo picks the right one)."""
    if value.tzinfo is None:  # never made here: every stored instant is aware UTC
        raise GraphQLError("An instant without an offset cannot be shown.")
    return value.astimezone(STOCKHOLM).isoformat()


def _parse_instant(value: Any) -> datetime:
    """An ISO 8601 date-time. One without an offset passes, for the mutation to refuse with a
    userError at its own field (INVALID_TIME) rather than the whole request here."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise GraphQLError(
        "A DateTime is an RFC 3339 instant with its offset, e.g. 2027-03-28T09:00:00+02:00."
    )


def _parse_hsa_id(value: Any) -> HsaIdValue:
    if not isinstance(value, str) or not is_valid_hsa_id(value):
        raise GraphQLError(
            "An HSA-id is SE, a 10-digit organisation number, - and 1-18 letters or digits."
        )
    return HsaIdValue(value)


def _parse_date(value: Any) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise GraphQLError("A Date is a calendar date, YYYY-MM-DD.")


SCALARS: dict[object, ScalarDefinition] = {
    date: strawberry.scalar(
        name="Date",
        description="A calendar date, YYYY-MM-DD (in Stockholm where a day matters: ages, R-01).",
        specified_by_url="https://scalars.graphql.org/andimarek/local-date.html",
        serialize=date.isoformat,
        parse_value=_parse_date,
    ),
    datetime: strawberry.scalar(
        name="DateTime",
        description=(
            "An instant, as RFC 3339 date-time with its offset. Answers give Stockholm's own "
            "time with the offset in force then: +01:00 in winter, +02:00 in summer (R-88). "
            "On the way in any offset is accepted, and one is required."
        ),
        specified_by_url="https://scalars.graphql.org/andimarek/date-time.html",
        serialize=serialize_instant,
        parse_value=_parse_instant,
    ),
    PersonnummerValue: strawberry.scalar(
        name="Personnummer",
        description=(
            "A Swedish personnummer or samordningsnummer, shown as YYYYMMDD-NNNC. Accepted with "
            "10 or 12 digits, with '-' or '+'; the check digit is verified."
        ),
        specified_by_url="https://sv.wikipedia.org/wiki/Personnummer_i_Sverige",
        serialize=_serialize_personnummer,
        parse_value=_parse_personnummer,
    ),
    HsaIdValue: strawberry.scalar(
        name="HsaId",
        description="An HSA-id of a care unit or care worker, e.g. SE2321000016-1234.",
        specified_by_url="https://inera.se/tjanster/katalogtjanst-hsa",
        serialize=str,
        parse_value=_parse_hsa_id,
    ),
}
