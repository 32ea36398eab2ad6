"""A booking scenario's requests are sent once each (bench/run.py's `SentOnce`): its warm-up,
its measured run and each of its slices in turn take bookings no run took before. A booking
sent again is a replay under its idempotency key, a cheaper operation than a booking, and a
run that replayed its warm-up's bookings measured those instead."""

from __future__ import annotations

import pytest

from bench.load import Request
from bench.run import ONCE, SentOnce

CONCURRENCY = 16


def bookings(count: int) -> list[Request]:
    return [Request("token", {"documentId": "book", "variables": {"n": n}}) for n in range(count)]


def test_each_run_takes_the_bookings_after_those_the_runs_before_it_may_have_sent() -> None:
    once, floor, ours = SentOnce(CONCURRENCY), "floor", "vardgraf"
    requests = bookings(10_000)
    warm_up = once.unsent(floor, "BookAppointment", requests)
    assert warm_up == requests
    once.count(floor, "BookAppointment", warm_up, answered=2_000)
    measured = once.unsent(floor, "BookAppointment", requests)
    # What wrk answered, and one more on each connection that was under way when it stopped.
    assert measured == requests[2_000 + CONCURRENCY :]
    once.count(floor, "BookAppointment", measured, answered=5_000)
    assert once.unsent(floor, "BookAppointment", requests) == requests[7_000 + 2 * CONCURRENCY :]
    # Each server's list is its own: another server starts at its list's first booking.
    assert once.unsent(ours, "BookAppointment", requests) == requests


def test_reads_are_sent_whole_every_run() -> None:
    once, ours = SentOnce(CONCURRENCY), "vardgraf"
    reads = bookings(100)
    once.count(ours, "Me", reads, answered=5_000)
    assert once.unsent(ours, "Me", reads) == reads


def test_a_run_past_its_lists_end_says_so_and_a_list_sent_whole_stops_the_bench(
    capsys: pytest.CaptureFixture[str],
) -> None:
    once, floor = SentOnce(CONCURRENCY), "floor"
    requests = bookings(1_000)
    once.count(floor, "BookAppointment", requests, answered=1_200)
    assert "200 of 1200 requests were sent a second time (replays)" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="FREE_SLOTS"):
        once.unsent(floor, "BookAppointment", requests)


def test_the_booking_scenarios_are_sent_once_and_the_reads_are_not() -> None:
    assert {"BookAppointment", "booking mix"} <= ONCE
    assert not {"Me", "BookedTimes (50)", "read mix"} & ONCE
