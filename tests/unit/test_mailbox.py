"""A subscription's mailbox (app/events/memory.py): what an asyncio.Queue did for it, kept."""

from __future__ import annotations

import asyncio

import pytest

from app.events.bus import ARRIVED, READ, InboxEvent
from app.events.memory import QUEUE_SIZE, Subscribers

pytestmark = pytest.mark.anyio


def arrived(message_id: int, citizen_id: int = 1) -> InboxEvent:
    return InboxEvent(citizen_id, ARRIVED, message_id)


async def test_events_come_in_order_to_every_subscriber_of_the_inbox_and_no_other() -> None:
    subscribers = Subscribers()
    async with (
        subscribers.subscribed(1) as first,
        subscribers.subscribed(1) as second,
        subscribers.subscribed(2) as other,
    ):
        subscribers.deliver(arrived(10))
        subscribers.deliver(InboxEvent(1, READ, 10))
        for mailbox in (first, second):
            assert [(await anext(mailbox)).event.kind for _ in range(2)] == [ARRIVED, READ]
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(anext(other), 0.05)
        assert len(subscribers) == 3
    assert len(subscribers) == 0


async def test_a_waiting_reader_wakes_for_the_next_event() -> None:
    subscribers = Subscribers()
    async with subscribers.subscribed(1) as mailbox:
        waiting = asyncio.ensure_future(anext(mailbox))
        await asyncio.sleep(0)
        assert not waiting.done()
        subscribers.deliver(arrived(10))
        assert (await asyncio.wait_for(waiting, 1)).event.message_id == 10


async def test_a_reader_far_behind_keeps_the_newest_events() -> None:
    subscribers = Subscribers()
    async with subscribers.subscribed(1) as mailbox:
        for n in range(QUEUE_SIZE + 5):
            subscribers.deliver(arrived(n))
        kept = [(await anext(mailbox)).event.message_id for _ in range(QUEUE_SIZE)]
    assert kept == list(range(5, QUEUE_SIZE + 5))


async def test_a_subscription_is_registered_only_once_its_bus_is_ready() -> None:
    subscribers = Subscribers()
    ready = asyncio.Event()

    async def listening() -> None:
        await ready.wait()

    async def subscribe() -> None:
        async with subscribers.subscribed(1, ready=listening):
            await asyncio.sleep(1)

    task = asyncio.create_task(subscribe())
    await asyncio.sleep(0.01)
    assert len(subscribers) == 0
    ready.set()
    await asyncio.sleep(0.01)
    assert len(subscribers) == 1
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert len(subscribers) == 0
