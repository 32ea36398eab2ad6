"""Arguments used across the schema, described once (GraphiQL shows these to staff)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, TypeVar

import strawberry

T = TypeVar("T")

First = Annotated[int, strawberry.argument(description="How many items to return: 1 to 100.")]
After = Annotated[
    str | None, strawberry.argument(description="Continue after this cursor: a page's endCursor.")
]
Id = Annotated[strawberry.ID, strawberry.argument(description="The object's opaque id.")]
FromDate = Annotated[
    date, strawberry.argument(name="from", description="The first day (Stockholm time).")
]
ToDate = Annotated[date, strawberry.argument(description="The last day, inclusive.")]
IDEMPOTENCY_KEY_DESCRIPTION = (
    "Any unique text (1-64 of A-Z a-z 0-9 - _), e.g. a UUID, chosen once per thing the user "
    "means to create. A retry with the same key (after a timeout or a lost answer) returns "
    "what the first try made instead of making it twice; the same key with another input is "
    "refused (IDEMPOTENCY_KEY_REUSED). Keys are remembered for 24 hours."
)


def idempotency_key() -> str | None:
    """The optional idempotencyKey field of an input that creates something."""
    key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_DESCRIPTION)
    return key


RegionCode = Annotated[str, strawberry.argument(description='A county code, e.g. "01".')]
MutationInput = Annotated[T, strawberry.argument(description="What to do; see the input type.")]
