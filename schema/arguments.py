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
RegionCode = Annotated[str, strawberry.argument(description='A county code, e.g. "01".')]
MutationInput = Annotated[T, strawberry.argument(description="What to do; see the input type.")]
