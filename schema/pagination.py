"""Cursor connections: `first` is required (1..100); cursors are opaque."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from app.domain.cursors import CursorCodec
from app.domain.errors import bad_input
from app.domain.paging import (
    InvalidCursor,
    InvalidPageSize,
    Page,
    PageRequest,
    SortKind,
    page_request,
)

T = TypeVar("T")
Row = TypeVar("Row")


@strawberry.type(
    description="Whether more items follow, and the cursors to fetch them (Relay's PageInfo)."
)
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when another page follows.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` to get the next page; null on an empty page."
    )
    start_cursor: str | None = strawberry.field(
        default=None, description="The cursor of this page's first item; null on an empty page."
    )
    has_previous_page: bool = strawberry.field(
        default=False,
        description="Always false: lists page forwards only (`first`/`after`), and the Relay "
        "specification lets forward paging answer false here.",
    )


@strawberry.type(description="One item of a list and its cursor.")
class Edge(Generic[T]):
    node: T = strawberry.field(description="The item.")
    cursor: str = strawberry.field(description="Opaque position of this item in the list.")


@strawberry.type(description="A page of a list.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="How to continue.")


def page_args(cursors: CursorCodec, first: int, after: str | None, sort: SortKind) -> PageRequest:
    try:
        return page_request(first, None if after is None else cursors.decode(after, sort))
    except (InvalidCursor, InvalidPageSize) as error:
        raise bad_input(str(error)) from None


def edges_of(
    cursors: CursorCodec, page: Page[Row], build: Callable[[Row], T]
) -> tuple[list[Edge[T]], PageInfo]:
    edges = [Edge(node=build(row), cursor=cursors.encode(pos)) for row, pos in page.items]
    start, end = (edges[0].cursor, edges[-1].cursor) if edges else (None, None)
    return edges, PageInfo(has_next_page=page.has_next_page, end_cursor=end, start_cursor=start)


def connection_of(
    cursors: CursorCodec, page: Page[Row], build: Callable[[Row], T]
) -> Connection[T]:
    edges, info = edges_of(cursors, page, build)
    return Connection(edges=edges, page_info=info)
