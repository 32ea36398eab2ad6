"""A clinic's errand queue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from strawberry import Private

from schema.errands.types import Errand
from schema.pagination import Edge, PageInfo


@strawberry.type(
    description="A page of a clinic's errands (its queue), with how many there are in all."
)
class ClinicErrandConnection:
    edges: list[Edge[Errand]] = strawberry.field(description="The errands of this page.")
    page_info: PageInfo = strawberry.field(description="How to continue.")
    count: Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many errands match in all (counted only when asked).")
    async def total_count(self) -> int:
        return await self.count()
