"""`record`: a dataclass the type checker holds frozen, and cheap to build at run time.

A list builds a record per row it reads, several where it joins (a booking with its clinic and
its type): thousands a second. A frozen dataclass's __init__ sets each field through
`object.__setattr__`, to get past its own __setattr__ that refuses every change, and that costs
about nine times a plain dataclass's assignments: 3.8 µs against 0.43 µs for a record of
fifteen fields (docs/performance-history.md, "Session 25").

A `record` is a plain slotted dataclass at run time. To the type checker it is frozen (PEP 681's
`frozen_default`): mypy, which checks every module of ours (tests too), refuses any assignment
to a field, as it would a frozen dataclass's. Its equality and hash are a frozen dataclass's, so
records still serve as dict keys and set members. What a record must never be is changed after
it is built: records are shared between requests (app/data/shared_objects.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, dataclass_transform, overload

T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...
@overload
def record(*, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True)
def record(
    cls: type[T] | None = None, /, *, kw_only: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """`@record`, or `@record(kw_only=True)` for fields given by name only."""

    def build(cls: type[T]) -> type[T]:
        return dataclass(slots=True, unsafe_hash=True, kw_only=kw_only)(cls)

    return build if cls is None else build(cls)
