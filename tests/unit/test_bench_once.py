"""A booking scenario's requests are sent once each: its warm-up takes other bookings than its
measured run (bench/run.py's `apart_for_warm_up`). wrk starts every run at the same place in
a list, so a run warmed up on its own list began by replaying the warm-up's bookings, each a
replay under its idempotency key rather than a booking."""

from __future__ import annotations

from bench.load import Request
from bench.run import ONCE, apart_for_warm_up


def bookings(count: int) -> list[Request]:
    return [Request("token", {"documentId": "book", "variables": {"n": n}}) for n in range(count)]


def test_the_warm_up_and_the_measured_run_share_no_booking_and_leave_none_out() -> None:
    requests = bookings(15_000)
    warm_up, measured = apart_for_warm_up(requests, seconds=10.0)
    assert len(warm_up) == 2_500  # 2 s of the 12 the load takes
    assert len(measured) == 12_500
    assert warm_up + measured != requests  # the warm-up takes the tail
    assert sorted(id(r) for r in warm_up + measured) == sorted(id(r) for r in requests)
    assert not {id(r) for r in warm_up} & {id(r) for r in measured}


def test_the_booking_scenarios_are_sent_once_and_the_reads_are_not() -> None:
    assert {"BookAppointment", "booking mix"} <= ONCE
    assert not {"Me", "BookedTimes (50)", "read mix"} & ONCE
