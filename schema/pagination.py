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
    Position,
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


class _SealedEdge(Edge[T]):
    """An edge whose cursor is sealed (AES-SIV and base64, about 3 µs) when it is read: most
    lists' documents ask for the page's end cursor alone, and sealed eagerly every edge of a
    page of orders or errands was. Its GraphQL type is Edge's; the selections read `cursor`
    as any attribute."""

    def __init__(self, node: T, position: Position, cursors: CursorCodec) -> None:
        self.node = node
        self._position = position
        self._cursors = cursors

    @property
    def cursor(self) -> str:  # type: ignore[override]  # read-only where Edge's is set
        return self._cursors.encode(self._position)


class _SealedPageInfo(PageInfo):
    """A page's info whose cursors are sealed when read (a page of one: the same position)."""

    def __init__(
        self, has_next_page: bool, first: Position, last: Position, cursors: CursorCodec
    ) -> None:
        self.has_next_page = has_next_page
        self.has_previous_page = False
        self._first = first
        self._last = last
        self._cursors = cursors

    @property
    def end_cursor(self) -> str:  # type: ignore[override]
        return self._cursors.encode(self._last)

    @property
    def start_cursor(self) -> str:  # type: ignore[override]
        return self._cursors.encode(self._first)


def edges_of(
    cursors: CursorCodec, page: Page[Row], build: Callable[[Row], T]
) -> tuple[list[Edge[T]], PageInfo]:
    items = page.items
    if not items:
        return [], PageInfo(has_next_page=page.has_next_page, end_cursor=None)
    edges: list[Edge[T]] = [_SealedEdge(build(row), at, cursors) for row, at in items]
    info = _SealedPageInfo(page.has_next_page, items[0][1], items[-1][1], cursors)
    return edges, info


def connection_of(
    cursors: CursorCodec, page: Page[Row], build: Callable[[Row], T]
) -> Connection[T]:
    edges, info = edges_of(cursors, page, build)
    return Connection(edges=edges, page_info=info)
