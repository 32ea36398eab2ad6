"""The Node interface: everything addressable by id."""

from __future__ import annotations

import strawberry


@strawberry.interface(
    description="An object with an opaque id. Ids cannot be forged or guessed: an id that was "
    "not handed out to you answers like one that does not exist."
)
class Node:
    id: strawberry.ID = strawberry.field(description="The opaque, stable id of this object.")
