"""The benchmark's stall meter sees a stretch in which its thread could not run."""

from __future__ import annotations

import time

from bench.stalls import NO_STALLS, StallMeter, Stalls, together


def test_a_stretch_in_which_the_meters_thread_cannot_run_is_counted_as_a_stall() -> None:
    with StallMeter(stall_ms=30) as meter:
        time.sleep(0.05)  # the meter ticks
        started = time.perf_counter()
        # One call into C that never lets go of the GIL: the meter's thread cannot wake, as
        # when the host holds the whole machine.
        sum(range(30_000_000))
        held_ms = (time.perf_counter() - started) * 1000
        time.sleep(0.05)
    assert held_ms > 60, "the machine summed too fast to hold the thread for long"
    assert meter.stalls.count >= 1
    assert meter.stalls.longest_ms >= held_ms / 2


def test_slices_measured_apart_are_read_together_as_one_load() -> None:
    slices = [Stalls(0, 6.0), Stalls(3, 41.0), Stalls(1, 12.0)]
    assert together(slices) == Stalls(4, 41.0)
    assert together([]) == NO_STALLS
