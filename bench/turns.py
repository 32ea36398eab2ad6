"""Scenarios loaded in turn, in short slices, so that each meets the same minutes of the
machine (docs/performance-history.md, "Session 30"): on a shared host a list's CPU per request moved
by 40 % from one half-minute to the next at the same code, and a list held to start-page runs
just before and after it was still held to other minutes than its own.

The order reverses every round (A B, B A, A B, ...): a machine that speeds up or slows down
over the rounds weighs on every scenario alike; `dev.py compare` loads its variants in this
order too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")
IN_TURN_ROUNDS = 4
IN_TURN_SLICE_SECONDS = 2  # whole seconds: wrk takes no fraction


def turns(items: Sequence[T], rounds: int = IN_TURN_ROUNDS) -> list[T]:
    """The order the slices run in: `items`, then reversed, for `rounds` rounds."""
    order: list[T] = []
    for number in range(rounds):
        order += items if number % 2 == 0 else reversed(items)
    return order
