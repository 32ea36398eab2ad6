"""Answers the same for everyone (app/data/shared_answers.py): made once for all who ask at
once, kept for their period, never kept when making them failed, and not lost to an asker
who leaves."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from app.data.shared_answers import SharedAnswers

pytestmark = pytest.mark.anyio
NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


class Maker:
    def __init__(self, fail: bool = False) -> None:
        self.made, self.fail = 0, fail
        self.release = asyncio.Event()

    async def __call__(self) -> object:
        self.made += 1
        await self.release.wait()
        if self.fail:
            raise RuntimeError("the database went away")
        return f"answer {self.made}"


async def test_made_once_for_everyone_asking_and_kept_for_its_period() -> None:
    answers, make = SharedAnswers(60), Maker()
    asking = [asyncio.ensure_future(answers.get("k", NOW, make)) for _ in range(10)]
    await asyncio.sleep(0)
    make.release.set()
    assert await asyncio.gather(*asking) == ["answer 1"] * 10
    assert await answers.get("k", NOW + timedelta(seconds=59), make) == "answer 1"
    assert await answers.get("k", NOW + timedelta(seconds=60), make) == "answer 2"
    assert await answers.get("other", NOW, make) == "answer 3"


async def test_a_failure_is_everyones_then_and_nobodys_later() -> None:
    answers, failing = SharedAnswers(60), Maker(fail=True)
    asking = [asyncio.ensure_future(answers.get("k", NOW, failing)) for _ in range(3)]
    await asyncio.sleep(0)
    failing.release.set()
    results = await asyncio.gather(*asking, return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results) and failing.made == 1
    working = Maker()
    working.release.set()
    assert await answers.get("k", NOW, working) == "answer 1"  # tried again, not kept


async def test_an_asker_who_leaves_does_not_take_the_answer_from_the_rest() -> None:
    answers, make = SharedAnswers(60), Maker()
    leaving = asyncio.ensure_future(answers.get("k", NOW, make))
    staying = asyncio.ensure_future(answers.get("k", NOW, make))
    await asyncio.sleep(0)
    leaving.cancel()
    make.release.set()
    assert await staying == "answer 1" and make.made == 1
    assert leaving.cancelled()


async def test_zero_seconds_makes_it_every_time() -> None:
    answers, make = SharedAnswers(0), Maker()
    make.release.set()
    assert [await answers.get("k", NOW, make) for _ in range(2)] == ["answer 1", "answer 2"]
