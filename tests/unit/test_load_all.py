"""load_all answers as DataLoader.load_many does (loaders/factories.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from strawberry.dataloader import DataLoader

from loaders.factories import load_all

pytestmark = pytest.mark.anyio


class Squares:
    """A batch function that remembers its batches; 13 is unlucky and fails."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    async def __call__(self, keys: Sequence[int]) -> list[int | BaseException]:
        self.batches.append(list(keys))
        return [ValueError("unlucky") if key == 13 else key * key for key in keys]


async def test_known_values_come_from_the_cache_without_a_batch() -> None:
    squares = Squares()
    loader = DataLoader(load_fn=squares)
    loader.prime_many({2: 4, 3: 9})
    assert await load_all(loader, [3, 2, 3]) == [9, 4, 9]
    assert squares.batches == []


async def test_unknown_values_are_loaded_in_one_batch_in_the_keys_order() -> None:
    squares = Squares()
    loader = DataLoader(load_fn=squares)
    loader.prime(2, 4)
    assert await load_all(loader, [5, 2, 4]) == [25, 4, 16]
    assert squares.batches == [[5, 4]]
    assert await load_all(loader, [4, 5]) == [16, 25]  # now known
    assert squares.batches == [[5, 4]]


async def test_a_failed_key_raises_as_with_load_many() -> None:
    loader = DataLoader(load_fn=Squares())
    with pytest.raises(ValueError, match="unlucky"):
        await load_all(loader, [1, 13])
    with pytest.raises(ValueError, match="unlucky"):
        await load_all(loader, [13])  # the failure is cached, and known: raised at once
    with pytest.raises(ValueError, match="unlucky"):
        await loader.load_many([1, 13])
