"""Objects of the catalogue as the API shows them, built once per process.

A clinic on a list (with its address and region) or a booking type is the same object for every
request until its row changes, yet each list built it anew for every item: a page of 50 bookings
made 50 clinics, 50 addresses and 50 booking types, and encrypted their ids, each time. Kept
here by the values they were built from, so a changed row (a clinic's new opening hours, a
region's own details of its unit) is a new key and a new object; the old one ages out.

What is kept must never be changed after it is built: every request shares it. The schema's
types built here have no mutable state: their fields that read more (a clinic's booking types)
read through the asking request's context.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar, cast

T = TypeVar("T")
C = TypeVar("C", bound=type)
_SHARED_AS_BUILT = "_vardgraf_shared_as_built"

# The catalogue has some thousand clinics and their booking types, and the regions' own
# systems a few more units: well within this. Past it, start again rather than keep a
# recency order on every hit (the compiled documents' cache does the same).
MOST = 8192


class SharedObjects:
    def __init__(self, most: int = MOST) -> None:
        self._most = most
        self._held: dict[Hashable, object] = {}

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The object built for `key`, or `build()`'s, kept. The key must hold every value
        the object is built from, and what kind of object it is (one key, one kind)."""
        held = self._held.get(key)
        if held is None:
            held = build()
            if len(self._held) >= self._most:
                self._held.clear()
            self._held[key] = held
        return cast(T, held)

    def __len__(self) -> int:
        return len(self._held)


def shared_as_built(cls: C) -> C:
    """Marks a type whose objects are never changed once built, and may be kept and shown to
    every request (the catalogue's: kept here). The generated selections remember what they
    made of such an object (app/execution/generated_selections.py): a clinic shown with 50
    bookings is turned into its answer once, not 50 times."""
    setattr(cls, _SHARED_AS_BUILT, True)
    return cls


def is_shared_as_built(cls: type) -> bool:
    return _SHARED_AS_BUILT in cls.__dict__  # not inherited: each type says so itself
