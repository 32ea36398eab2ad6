"""The benchmark's report holds each citizen list to the start page loaded in turn with it,
in short slices (bench/run.py's `Bench.in_turn`), not to the start page's run against the
floor minutes earlier, so a machine that drifts within a run weighs on both sides of the
ratio alike."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from bench.load import LoadResult
from bench.report import (
    Measured,
    Report,
    _booking_targets,
    _every_operation,
    _list_targets,
    _mixes,
    _page_of_ten,
    _pages_as_long,
    _targets,
)
from bench.run import yardsticks
from bench.stalls import Stalls
from bench.turns import turns


def measured(scenario: str, ops_per_second: float) -> Measured:
    result = LoadResult(
        requests=int(ops_per_second * 10),
        seconds=10.0,
        bad=0,
        socket_errors=0,
        p50_ms=1.0,
        p95_ms=2.0,
        p99_ms=3.0,
        mean_ms=1.0,
    )
    return Measured(scenario, 100_000, "vardgraf", result, {}, 500.0)


def report_of(*runs: Measured) -> Report:
    settings: Any = None  # the list targets read neither the settings nor the identities
    report = Report(idp=settings, settings=settings, seconds=10.0, command="bench")
    for run in runs:
        report.add(run)
    return report


def test_a_list_is_held_to_the_start_page_loaded_in_turn_with_it() -> None:
    report = report_of(measured("Me", 2000), measured("Listing", 600), measured("Errands", 800))
    # The machine slowed down after the start page's run against the floor: in turn with
    # the listing the start page answered 1,000 a second, and the listing 610.
    report.in_turn["Listing"] = {"Listing": 610.0, "Me": 1000.0}
    assert _list_targets(report) == [
        # A list never loaded in turn is held to the one run of the start page.
        "| Errands: throughput >= 0.6 of the start page's | 0.40 | **no** |",
        "| Listing: throughput >= 0.6 of the start page's | 0.61 (610 against 1000 ops/s, "
        "in turn) | yes |",
    ]


def test_a_ratio_just_under_the_line_is_not_shown_as_on_it() -> None:
    report = report_of(measured("Me", 2000), measured("Inbox", 1000), measured("Errands", 1201))
    report.in_turn["Inbox"] = {"Inbox": 1007.0, "Me": 1688.0}
    assert _list_targets(report)[:2] == [
        "| Errands: throughput >= 0.6 of the start page's | 0.60 | yes |",
        "| Inbox: throughput >= 0.6 of the start page's (a page of 10 messages: held to "
        "BookedTimes (10)'s as well, below) | 0.597 (1007 against 1688 ops/s, in turn) "
        "| **no** |",
    ]


def test_the_long_pages_are_held_to_booked_times_pages_as_long_in_turn_with_them() -> None:
    report = report_of(
        measured("Me", 1100),
        measured("BookedTimes (50)", 500),
        measured("Journal (50)", 240),
        measured("BookedTimes (10)", 800),
        measured("Journal (10)", 500),
        measured("Samples", 520),
        measured("Errands", 800),
    )
    report.in_turn["Journal (50)"] = {"Journal (50)": 250.0, "BookedTimes (50)": 400}
    report.in_turn["Journal (10)"] = {"Journal (10)": 420.0, "Me": 1000.0, "BookedTimes (10)": 750}
    report.in_turn["Samples"] = {"Samples": 500.0, "Me": 1000.0, "BookedTimes (10)": 800}
    assert _pages_as_long(report) == [
        "| Journal (50): throughput >= 0.6 of BookedTimes (50)'s (50 entries against 50 "
        "bookings) | 0.62 (250 against 400 ops/s, in turn) | yes |",
        "| Journal (10): throughput >= 0.6 of BookedTimes (10)'s (10 entries against 10 "
        "bookings) | 0.56 (420 against 750 ops/s, in turn) | **no** |",
        # Held to the turns it met, not to the journal's.
        "| Samples: throughput >= 0.6 of BookedTimes (10)'s (3 offers and 6 orders against 10 "
        "bookings) | 0.62 (500 against 800 ops/s, in turn) | yes |",
    ]
    # The long pages are still held to the start page too, in the same turns, saying where
    # else they are held; a short list to the start page alone.
    assert _list_targets(report)[:3] == [
        "| Errands: throughput >= 0.6 of the start page's | 0.73 | yes |",
        "| Journal (10): throughput >= 0.6 of the start page's (a page of 10 entries: held to "
        "BookedTimes (10)'s as well, below) | 0.42 (420 against 1000 ops/s, in turn) | **no** |",
        "| Samples: throughput >= 0.6 of the start page's (a page of 3 offers and 6 orders: "
        "held to BookedTimes (10)'s as well, below) | 0.50 (500 against 1000 ops/s, in turn) "
        "| **no** |",
    ]


def test_the_page_of_ten_is_shown_against_the_start_page_for_both_servers_in_turn() -> None:
    report = report_of(measured("Me", 1000))
    assert _page_of_ten(report) == []  # not measured: nothing said
    report.page_of_ten_in_turn = {
        "floor Me": 1500.0,
        "floor BookedTimes (10)": 840.0,
        "vardgraf Me": 1200.0,
        "vardgraf BookedTimes (10)": 660.0,
    }
    assert _page_of_ten(report)[0].startswith(
        '"Bokade tider" (10) against the start page, both servers loaded in turn: the floor '
        "0.56 (840 against 1500 ops/s), Vårdgraf 0.55 (660 against 1200 ops/s): "
    )


def test_the_floor_targets_are_held_to_the_floor_loaded_in_turn_with_it() -> None:
    floor = replace(measured("Me", 1000), server="floor")
    report = report_of(measured("Me", 680), floor)
    # The floor's own run met a fast minute, Vårdgraf's a slow one; in turn they met the same.
    report.floor_in_turn["Me"] = {"vardgraf": 820.0, "floor": 1000.0}
    assert _targets(report)[4] == (
        "| Me: throughput >= 0.75 of the floor's | 0.820 (820 against 1000 ops/s, in turn; "
        "0.680 in their own runs) | yes |"
    )
    del report.floor_in_turn["Me"]  # not loaded in turn: the own runs' ratio
    assert _targets(report)[4] == "| Me: throughput >= 0.75 of the floor's | 0.680 | **no** |"


def test_the_p99_is_held_to_the_floors_of_the_slices_in_turn() -> None:
    floor = replace(measured("Me", 1000), server="floor")
    ours = measured("Me", 900)
    ours = replace(ours, result=replace(ours.result, p99_ms=5.0))  # own run: 5.0 against 3.0
    report = report_of(ours, floor)
    report.floor_p99_in_turn["Me"] = {"vardgraf": 36.0, "floor": 30.0}
    assert _targets(report)[5] == (
        "| Me: p99 <= 1.5x the floor's | 1.20x (36.0 against 30.0 ms, in turn; 1.67x in their "
        "own runs) | yes |"
    )
    del report.floor_p99_in_turn["Me"]
    assert _targets(report)[5] == "| Me: p99 <= 1.5x the floor's | 1.67x | **no** |"


def test_a_p99_in_turn_is_shown_beside_the_machines_stalls_in_each_servers_slices() -> None:
    floor = replace(measured("Me", 1000), server="floor")
    report = report_of(measured("Me", 900), floor)
    report.floor_p99_in_turn["Me"] = {"vardgraf": 240.0, "floor": 90.0}
    # The host held the machine while Vårdgraf's slices ran: its p99 is the machine's.
    report.floor_stalls_in_turn["Me"] = {
        "vardgraf": Stalls(4, 180.0),
        "floor": Stalls(0, 7.0),
    }
    assert _targets(report)[5] == (
        "| Me: p99 <= 1.5x the floor's | 2.67x (240.0 against 90.0 ms, in turn, the machine's "
        "stalls over 10 ms in Vårdgraf's slices 4 (longest 180 ms), in the floor's 0 (longest "
        "7 ms); 1.00x in their own runs) | **no** |"
    )


def test_the_booking_is_held_to_its_floor_in_turn() -> None:
    floor = replace(measured("BookAppointment", 1000), server="floor")
    report = report_of(measured("BookAppointment", 480), floor)
    report.floor_in_turn["BookAppointment"] = {"vardgraf": 560.0, "floor": 1000.0}
    assert _booking_targets(report) == [
        "| BookAppointment: throughput >= 0.5 of the booking floor's | 0.56 (560 against 1000 "
        "ops/s, in turn; 0.480 in their own runs) | yes |"
    ]


def test_flatness_is_held_with_both_databases_servers_loaded_in_turn() -> None:
    settings: Any = SimpleNamespace(concurrency=16)
    few = replace(measured("Me", 1000), citizens=1_000)
    few = replace(few, result=replace(few.result, p50_ms=10.0))
    many = replace(measured("Me", 700), result=replace(few.result, p50_ms=14.0))
    report = replace(report_of(few, many), settings=settings)
    # Minutes apart the large database met a slow minute (p50 +40 %); in turn, the same ones.
    report.sizes_in_turn["Me"] = {1_000: 950.0, 100_000: 1000.0}
    assert _targets(report)[4] == (
        "| Me: flat from 1,000 to 100,000 citizens (latency within 25%) | -5% (mean latency in "
        "turn: 1000 against 950 ops/s at 16 connections; +40% between the p50s of their own "
        "runs) | yes |"
    )
    del report.sizes_in_turn["Me"]  # not loaded in turn: the own runs' p50s
    assert _targets(report)[4] == (
        "| Me: flat from 1,000 to 100,000 citizens (latency within 25%) | +40% | **no** |"
    )


def test_slices_in_turn_reverse_their_order_every_round() -> None:
    assert turns(["Journal (50)", "Me", "BookedTimes (50)"], rounds=3) == [
        *("Journal (50)", "Me", "BookedTimes (50)"),
        *("BookedTimes (50)", "Me", "Journal (50)"),
        *("Journal (50)", "Me", "BookedTimes (50)"),
    ]


def test_lists_are_held_to_the_start_page_and_the_long_pages_to_booked_times() -> None:
    assert yardsticks("Errands") == ("Me",)
    assert yardsticks("Samples") == ("Me", "BookedTimes (10)")
    assert yardsticks("Prescriptions (30)") == ("Me", "BookedTimes (30)")
    assert yardsticks("Journal (10)") == ("Me", "BookedTimes (10)")
    assert yardsticks("Journal (50)") == ("BookedTimes (50)",)
    assert yardsticks("BookedTimes (10)") == ()  # a yardstick, not a list held to one
    assert yardsticks("PublicStatistics") == ()  # no citizen's list: nothing to hold it to


def test_every_operation_shows_postgresql_cpu_beside_the_servers_or_a_dash_if_unseen() -> None:
    seen = replace(measured("Samples", 500), database_cpu_us=931.4)
    unseen = measured("Errands", 560)  # PostgreSQL on another machine: nothing to read
    rows = _every_operation(report_of(seen, unseen))
    assert rows[4:6] == [
        "| Samples | 500 | 1.0 / 2.0 / 3.0 | 500 | 931 | - | 0 | 0 (longest 0 ms) |",
        "| Errands | 560 | 1.0 / 2.0 / 3.0 | 500 | - | - | 0 | 0 (longest 0 ms) |",
    ]


def test_the_booking_mix_tail_is_shown_beside_the_machines_stalls_while_it_ran() -> None:
    mix = replace(measured("booking mix", 900), stalls=Stalls(3, 48.4))
    mix = replace(mix, result=replace(mix.result, p50_ms=17.8, p99_ms=66.7))
    report = report_of(mix)
    assert _booking_targets(report)[-1] == (
        "| Booking mix: p99 <= 3.0x its p50 | 3.7x (the machine's stalls over 10 ms meanwhile: "
        "3 (longest 48 ms)) | **no** |"
    )
    assert "The machine's stalls over 10 ms meanwhile: 3 (longest 48 ms)." in _mixes(report)[2]
