"""Custom scalars: personnummer and HSA-id, validated on the way in."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NewType

import strawberry
from graphql import GraphQLError
from strawberry.types.scalar import ScalarDefinition

from app.clock import STOCKHOLM
from app.identifiers import InvalidIdentifier, is_valid_hsa_id, parse_personnummer

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


def _parse_hsa_id(value: Any) -> HsaIdValue:
    if not isinstance(value, str) or not is_valid_hsa_id(value):
        raise GraphQLError(
            "An HSA-id is SE, a 10-digit organisation number, - and 1-18 letters or digits."
        )
    return HsaIdValue(value)


SCALARS: dict[object, ScalarDefinition] = {
    PersonnummerValue: strawberry.scalar(
        name="Personnummer",
        description=(
            "A Swedish personnummer or samordningsnummer, shown as YYYYMMDD-NNNC. Accepted with "
            "10 or 12 digits, with '-' or '+'; the check digit is verified."
        ),
        serialize=_serialize_personnummer,
        parse_value=_parse_personnummer,
    ),
    HsaIdValue: strawberry.scalar(
        name="HsaId",
        description="An HSA-id of a care unit or care worker, e.g. SE2321000016-1234.",
        serialize=str,
        parse_value=_parse_hsa_id,
    ),
}
