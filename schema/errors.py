"""The `userErrors` of mutation payloads: expected failures, as data."""

from __future__ import annotations

import strawberry

from app.domain.errors import UserErrorCode

strawberry.enum(
    UserErrorCode,
    description="Why a mutation did not do what was asked. Stable: clients switch on these.",
)


@strawberry.type(description="An expected failure of a mutation; nothing was changed.")
class UserError:
    code: UserErrorCode = strawberry.field(description="Stable code.")
    field: list[str] = strawberry.field(
        description='Path of the input field, e.g. ["input", "slotId"].'
    )
    message: str = strawberry.field(description="A text for people; never contains personal data.")


Field = str | list[str] | None  # an input field name, or a deeper path below "input"


def user_error(code: UserErrorCode, field: Field, message: str) -> UserError:
    below = [] if field is None else [field] if isinstance(field, str) else field
    return UserError(code=code, field=["input", *below], message=message)


class Refusal(Exception):
    """Raised inside a mutation to roll its transaction back and answer with userErrors."""

    def __init__(self, *errors: UserError) -> None:
        super().__init__(errors[0].message if errors else "refused")
        self.errors = list(errors)


def refuse(code: UserErrorCode, field: Field, message: str) -> Refusal:
    return Refusal(user_error(code, field, message))
