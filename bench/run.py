"""The benchmark, one command (`python3 dev.py bench`): seed, serve, load, compare, report.

    python3 dev.py bench [--citizens 100000] [--small 1000] [--seconds 10] [--concurrency 16]
                         [--workers 1] [--write docs/performance.md]

1. Seeds two PostgreSQL databases (bench/dataset.py): the large one and a small one, to show
   that latency does not grow with the number of citizens. Each is kept for the day.
2. Starts Vårdgraf as production runs it (uvicorn, app/asgi.py) and the floor (bench/floor.py)
   side by side, and checks that the floor's answers are byte-identical to Vårdgraf's data.
3. Drives each operation alone, then a read mix and a booking mix, with wrk at a fixed
   concurrency, reading the server's own metrics for SQL statements per operation.
4. Prints the report, and writes it to --write; EXPLAINs the hot statements (bench/explain.py).
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import httpx

from app.domain.clock import stockholm_date
from app.domain.ids import IdCodec
from app.domain.regions_config import Feature, load_regions
from app.settings import Settings
from bench import scenarios
from bench.dataset import prepare_dataset, top_up_free_slots
from bench.environment import (
    POSTGRES_SERVER,
    BenchSettings,
    IdentityProvider,
    copy_for_one_run,
    database_name,
    ensure_database,
)
from bench.explain import explain_hot_statements
from bench.load import LoadResult, Request, drive, pooled_percentile
from bench.metrics import Snapshot, difference, scrape
from bench.report import (
    AS_MANY,
    CITIZEN_LISTS,
    FLAT_SCENARIOS,
    PAGE_OF_TEN,
    READ_TARGETS,
    Measured,
    Report,
    render,
)
from bench.servers import Server, database_cpu_seconds, serving
from bench.stalls import StallMeter, Stalls, together
from bench.turns import IN_TURN_SLICE_SECONDS, turns

WARM_UP_SECONDS = 2.0
# Sent once each: a booking takes its free time for good, and the same request sent again is
# a replay under its idempotency key (another, cheaper operation). Every run of such a list,
# warm-up, measured run or slice in turn, goes on where the one before it stopped (SentOnce).
ONCE = frozenset({"BookAppointment", "booking mix"})
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass
class Workload:
    """A seeded database and the requests to send to it, by scenario name."""

    database: str
    citizens: int
    requests: dict[str, list[Request]] = field(default_factory=dict)
    floor_requests: dict[str, list[Request]] = field(default_factory=dict)  # where they differ

    def for_server(self, server: str, name: str) -> list[Request]:
        if server == "floor":
            return self.floor_requests.get(name, self.requests[name])
        return self.requests[name]


async def prepare(
    settings: BenchSettings, idp: IdentityProvider, citizens: int, fresh: bool
) -> Workload:
    today = stockholm_date(datetime.now(UTC))
    name = database_name(citizens, today)
    print(f"Preparing {name} ...", flush=True)
    engine = await ensure_database(settings, name, fresh)
    try:
        dataset = await prepare_dataset(engine, citizens, today)
        people = scenarios.People(dataset, IdCodec(settings.secret))
        token = idp.token
        regions = load_regions(Settings(mode="development").regions_file)
        bookable = frozenset(c for c, r in regions.regions.items() if Feature.BOOKING in r.features)
        slots = await scenarios.available_slots(engine, people, token, today)
        await top_up_free_slots(engine, today, bookable)
        bookings = await scenarios.bookings(engine, people, token, bookable)
    finally:
        await engine.dispose()
    # The seeded database stays as seeding (and the top-up above) left it; the servers write
    # to a copy of it, made anew for each run.
    work = Workload(await copy_for_one_run(settings, name), citizens)
    # Each booking takes a free time for good: the floor, Vårdgraf and the mix book apart.
    work.floor_requests = {"BookAppointment": bookings[0::3]}
    work.requests = {
        "BookAppointment": bookings[1::3],
        "Me": scenarios.me(people, token),
        "BookedTimes (50)": scenarios.booked_times(people, token, 50),
        "BookedTimes (1)": scenarios.booked_times(people, token, 1),
        "BookedTimes (10)": scenarios.booked_times(people, token, 10),
        "BookedTimes (30)": scenarios.booked_times(people, token, 30),
        "Journal (50)": scenarios.journal(people, token, 50),
        "Journal (10)": scenarios.journal(people, token, 10),
        "Prescriptions (30)": scenarios.prescriptions(people, token),
        "Listing": scenarios.listing(people, token),
        "Samples": scenarios.heavy_list("Samples", first=10)(people, token),
        "Programs": scenarios.heavy_list("Programs")(people, token),
        "Complaints": scenarios.heavy_list("Complaints", first=10)(people, token),
        "PublicStatistics": scenarios.public_statistics(today),
        "Errands": scenarios.own_list("Errands")(people, token),
        "FormRequests": scenarios.own_list("FormRequests")(people, token),
        "Inbox": scenarios.own_list("Inbox")(people, token),
        # A page as full as "Mina ärenden"'s (the dataset's adults have one errand each).
        "Inbox (1)": scenarios.own_list("Inbox", first=1)(people, token),
        "Certificates": scenarios.own_list("Certificates")(people, token),
        "AccessLog": scenarios.own_list("AccessLog")(people, token),
        "ClinicSearch": scenarios.clinic_search(people, token),
        "AvailableSlots": slots,
    }
    reads = [work.requests[n] for n in ("Me", "BookedTimes (50)", "Errands", "Certificates")]
    work.requests["read mix"] = scenarios.interleave(*reads)
    work.requests["booking mix"] = scenarios.interleave(
        bookings[2::3], slots, scenarios.booked_times(people, token, 10)
    )
    return work


class Slice(NamedTuple):
    """One load of `Bench.in_turn`: a scenario's requests on a server."""

    server: Server
    scenario: str
    requests: list[Request]


class InTurn(NamedTuple):
    """By the label of each load in turn, its throughput, the p99 of its slices' requests and
    the machine's stalls while its slices ran (a p99 in turn is read beside them)."""

    throughput: dict[str, float]
    p99_ms: dict[str, float]
    stalls: dict[str, Stalls]


class Loaded(NamedTuple):
    """One run's measures, in the order of Measured's fields after scenario, citizens, server."""

    result: LoadResult
    per_operation: Snapshot
    cpu_us: float  # the server's CPU time per request
    database_cpu_us: float | None  # PostgreSQL's, when it runs on this machine
    stalls: Stalls  # the machine's, while the run was measured (bench/stalls.py)


class SentOnce:
    """How much of each list of a scenario sent once (`ONCE`) a server has been sent, by the
    server's name (only the large database's servers load these lists): every run of it takes
    the list's next requests. wrk starts a run at the first request it is given and answers
    how many it answered; at most one more was under way on each connection when it stopped
    (bench/wrk/requests.lua), so that many are passed over too."""

    def __init__(self, concurrency: int) -> None:
        self.concurrency = concurrency
        self.sent: dict[tuple[str, str], int] = {}

    def unsent(self, server: str, name: str, requests: list[Request]) -> list[Request]:
        """The requests of `name`'s list still to send to `server`; a read's whole list."""
        if name not in ONCE:
            return requests
        left = requests[self.sent.get((server, name), 0) :]
        if not left:
            raise SystemExit(
                f"{server} {name}: every request of the list was sent: the dataset's free "
                "times (bench/dataset.py's FREE_SLOTS) are too few for this speed"
            )
        return left

    def count(self, server: str, name: str, left: list[Request], answered: int) -> None:
        """Count a run of `name` that was given `left` and answered `answered` requests."""
        if name not in ONCE:
            return
        if answered > len(left):
            print(
                f"  {server} {name}: {answered - len(left)} of {answered} requests were "
                "sent a second time (replays): the dataset's free times (bench/dataset.py's "
                "FREE_SLOTS) are too few for this speed",
                flush=True,
            )
        key = (server, name)
        self.sent[key] = self.sent.get(key, 0) + answered + self.concurrency


class Bench:
    def __init__(self, settings: BenchSettings, seconds: float, work_dir: Path) -> None:
        self.settings = settings
        self.seconds = seconds
        self.work_dir = work_dir
        self.once = SentOnce(settings.concurrency)

    def load(self, server: Server, name: str, requests: list[Request]) -> Loaded:
        """The load's result, the server's own counts per operation, and the server's and
        PostgreSQL's CPU time per request in µs (what a machine shared with wrk and PostgreSQL
        disturbs least: throughput there moves by a third from one minute to the next)."""
        self._drive(server, name, requests, WARM_UP_SECONDS, "warm")
        before, cpu_before = self._scrape(server), server.cpu_seconds()
        database_before = database_cpu_seconds()
        with StallMeter() as meter:
            result = self._drive(server, name, requests, self.seconds, name)
        cpu_after, database_after = server.cpu_seconds(), database_cpu_seconds()

        def per_request(seconds: float) -> float:
            return seconds / max(result.requests, 1) * 1e6

        cpu = per_request(cpu_after - cpu_before)
        database = (
            None
            if database_before is None or database_after is None
            else per_request(database_after - database_before)
        )
        after = self._scrape(server)
        per_operation = difference(after, before) if after and before else {}
        shown = "-" if database is None else f"{database:.0f}"
        print(
            f"  {server.name:9} {name:18} {result.throughput:8.1f}/s  p50 {result.p50_ms:6.2f}"
            f"  p99 {result.p99_ms:6.2f} ms  CPU {cpu:6.0f} µs  PostgreSQL {shown:>5} µs"
            f"  bad {result.bad}  stalls {meter.stalls}",
            flush=True,
        )
        return Loaded(result, per_operation, cpu, database, meter.stalls)

    def in_turn(self, slices: dict[str, Slice]) -> InTurn:
        """Each named load's throughput and p99 over short slices loaded in turn
        (bench/turns.py): a scenario and its yardsticks on one server, or one scenario on both
        servers. Each is warmed up by its own run before. A slice is too short for a p99 of
        its own; the p99 is of all a load's slices' requests together."""
        results: dict[str, list[LoadResult]] = {label: [] for label in slices}
        servers = list({server.name: server for server, _, _ in slices.values()}.values())
        # What the servers not loaded do meanwhile (work left from their own slice, timers):
        # taken from the loaded one's machine, so shown beside the result.
        idle_cpu: dict[str, float] = dict.fromkeys(slices, 0.0)
        stalls: dict[str, list[Stalls]] = {label: [] for label in slices}
        for label in turns(list(slices)):
            server, name, requests = slices[label]
            others = [other for other in servers if other is not server]
            before = sum(other.cpu_seconds() for other in others)
            with StallMeter() as meter:
                results[label].append(
                    self._drive(server, name, requests, IN_TURN_SLICE_SECONDS, f"turn-{label}")
                )
            stalls[label].append(meter.stalls)
            idle_cpu[label] += sum(other.cpu_seconds() for other in others) - before
        turned = InTurn(
            throughput={
                label: sum(r.requests for r in runs) / sum(r.seconds for r in runs)
                for label, runs in results.items()
            },
            p99_ms={label: pooled_percentile(runs, 99) for label, runs in results.items()},
            stalls={label: together(seen) for label, seen in stalls.items()},
        )
        print(
            "  in turn   "
            + ", ".join(
                f"{label} {turned.throughput[label]:.1f}/s p99 {turned.p99_ms[label]:.2f} ms"
                f" stalls {turned.stalls[label]}"
                for label in slices
            ),
            flush=True,
        )
        if len(servers) > 1:
            per_second = {
                label: 1000 * idle_cpu[label] / sum(r.seconds for r in results[label])
                for label in slices
            }
            print(
                "  idle      "
                + ", ".join(
                    f"while {label} loaded the other {ms:.0f} ms CPU/s"
                    for label, ms in per_second.items()
                ),
                flush=True,
            )
        return turned

    def _drive(
        self, server: Server, name: str, requests: list[Request], seconds: float, label: str
    ) -> LoadResult:
        """`name`'s requests loaded on `server` for `seconds` (a list sent once goes on where
        its last run stopped); `label` names wrk's request file."""
        left = self.once.unsent(server.name, name, requests)
        result = drive(
            server.url,
            left,
            seconds=seconds,
            concurrency=self.settings.concurrency,
            work_dir=self.work_dir,
            name=f"{server.name}-{label}".replace(" ", "_").replace("(", "").replace(")", ""),
        )
        self.once.count(server.name, name, left, result.requests)
        return result

    def _scrape(self, server: Server) -> Snapshot | None:
        return None if server.name == "floor" else scrape(server.url, self.settings.metrics_token)


def check_identical(ours: Server, floor: Server, requests: list[Request]) -> int:
    """The floor answers with exactly Vårdgraf's `data` bytes (Vårdgraf adds `extensions`)."""
    for request in requests:
        headers = {**request.headers, "accept": "application/json"}
        mine = httpx.post(f"{ours.url}/graphql", json=request.body, headers=headers, timeout=10)
        theirs = httpx.post(f"{floor.url}/graphql", json=request.body, headers=headers, timeout=10)
        data = theirs.content.removesuffix(b"}")
        if not mine.content.startswith(data + b',"extensions":'):
            raise SystemExit(
                "The floor's answer differs from Vårdgraf's:\n"
                f"{mine.text[:600]}\n{theirs.text[:600]}"
            )
    return len(requests)


def check_same_booking(ours: Server, floor: Server, work: Workload) -> None:
    """A booking each (two times, so not byte for byte): the same answer but for its ids and
    times, and a replay under the same key answers with the same booking."""

    def booked(server: Server, request: Request) -> dict[str, Any]:
        headers = {**request.headers, "accept": "application/json"}
        answers = [
            httpx.post(f"{server.url}/graphql", json=request.body, headers=headers, timeout=10)
            for _ in range(2)
        ]
        first, again = (answer.json()["data"]["bookAppointment"] for answer in answers)
        if first != again or first["userErrors"]:
            raise SystemExit(f"{server.name}: the booking or its replay failed: {first} {again}")
        return dict(first)

    mine = booked(ours, work.requests["BookAppointment"][-1])
    theirs = booked(floor, work.floor_requests["BookAppointment"][-1])
    if _shape(mine) != _shape(theirs):
        raise SystemExit(f"The floor's booking differs from Vårdgraf's:\n{mine}\n{theirs}")


def _shape(value: Any) -> Any:
    """Keys and kinds of a JSON value, without the values that differ between two bookings."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return type(value).__name__


# "Bokade tider" (10) on both: the page of ten against the start page, hand-written.
FLOOR_SCENARIOS = (
    "Me",
    "BookedTimes (50)",
    "BookedTimes (10)",
    "BookedTimes (1)",
    "BookAppointment",
)
OWN_SCENARIOS = (
    "Journal (50)",
    "Journal (10)",
    "BookedTimes (30)",  # Prescriptions (30)'s yardstick: warmed up here
    "Prescriptions (30)",
    "Listing",
    "Samples",
    "Programs",
    "Complaints",
    "PublicStatistics",
    "Errands",
    "FormRequests",
    "Inbox",
    "Inbox (1)",
    "Certificates",
    "AccessLog",
    "ClinicSearch",
    "AvailableSlots",
)
MIXES = ("read mix", "booking mix")
# Loaded on both servers in turn: the floor's targets, and the booking held to its floor
# (each slice of a booking takes free times no run took before: SentOnce).
HELD_TO_THE_FLOOR = (*READ_TARGETS, "BookAppointment")


def yardsticks(scenario: str) -> tuple[str, ...]:
    """What a scenario is held to, loaded in turn with it (`Bench.in_turn`): a citizen list
    to the start page, and a long page to "Bokade tider"'s of as many bookings too
    (bench/report.py's `AS_MANY`; docs/performance-history.md, "Session 35")."""
    start_page = ("Me",) if scenario in CITIZEN_LISTS else ()
    if scenario not in AS_MANY:
        return start_page
    return (*start_page, AS_MANY[scenario][0])


@contextmanager
def both_servers(
    bench: Bench, work: Workload, idp: IdentityProvider
) -> Iterator[tuple[Server, Server]]:
    """Vårdgraf and the floor, side by side on the same database with the same settings."""
    env = bench.settings.server_env(work.database, idp)
    workers, logs = bench.settings.workers, bench.work_dir
    with (
        serving("vardgraf", "app.asgi:application", env, workers, logs) as ours,
        serving("floor", "bench.floor:application", env, workers, logs) as floor,
    ):
        yield ours, floor


def measure(bench: Bench, large: Workload, small: Workload, report: Report, only: set[str]) -> None:
    def wanted(names: tuple[str, ...]) -> list[str]:
        return [name for name in names if not only or name in only]

    def run(server: Server, work: Workload, name: str) -> None:
        load = bench.load(server, name, work.for_server(server.name, name))
        report.add(Measured(name, work.citizens, server.name, *load))  # Loaded: Measured's tail

    with both_servers(bench, large, report.idp) as (ours, floor):
        sample = large.requests["Me"][:25] + large.requests["BookedTimes (50)"][:25]
        report.identical = check_identical(ours, floor, sample)
        check_same_booking(ours, floor, large)
        for name in wanted(FLOOR_SCENARIOS):
            run(floor, large, name)
            run(ours, large, name)
            if name in HELD_TO_THE_FLOOR:
                # The targets' ratios from both servers loaded in turn, as a list's to its
                # start page: run after run, the two met minutes a third apart in speed.
                turned = bench.in_turn(
                    {
                        server.name: Slice(server, name, large.for_server(server.name, name))
                        for server in (ours, floor)
                    }
                )
                report.floor_in_turn[name] = turned.throughput
                report.floor_p99_in_turn[name] = turned.p99_ms
                report.floor_stalls_in_turn[name] = turned.stalls
        if not only or only.issuperset(PAGE_OF_TEN):
            # What a page of ten costs against the start page, hand-written and here.
            report.page_of_ten_in_turn = bench.in_turn(
                {
                    f"{server.name} {name}": Slice(
                        server, name, large.for_server(server.name, name)
                    )
                    for server in (floor, ours)
                    for name in PAGE_OF_TEN
                }
            ).throughput
        # Each citizen list loaded in turn with its yardsticks (Report's `in_turn`): the
        # machine's speed moves by a third within a run on a shared host, and a list measured
        # apart from its yardstick met other minutes.
        for name in wanted(OWN_SCENARIOS + MIXES):
            run(ours, large, name)
            sticks = [s for s in yardsticks(name) if not only or s in only]
            if sticks:
                report.in_turn[name] = bench.in_turn(
                    {
                        each: Slice(ours, each, large.for_server(ours.name, each))
                        for each in [name, *sticks]
                    }
                ).throughput
        report.memory = {"vardgraf": ours.peak_memory_mib(), "floor": floor.peak_memory_mib()}
        if small.citizens == large.citizens:
            return
        # The small database's servers beside the large one's, still up: each flatness
        # scenario is then loaded on both sizes in turn, as a list with its start page. Two
        # runs minutes apart compared two minutes of the machine, not two sizes of the data.
        with both_servers(bench, small, report.idp) as (few, few_floor):
            for name in wanted(FLAT_SCENARIOS):
                run(few_floor, small, name)
                run(few, small, name)
                by_size = bench.in_turn(
                    {
                        str(work.citizens): Slice(server, name, work.requests[name])
                        for server, work in ((ours, large), (few, small))
                    }
                ).throughput
                report.sizes_in_turn[name] = {int(size): ops for size, ops in by_size.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--citizens", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--server", default=POSTGRES_SERVER)
    parser.add_argument("--fresh", action="store_true", help="seed the databases anew")
    parser.add_argument("--write", type=Path, help="write the report here (docs/performance.md)")
    parser.add_argument(
        "--only", action="append", help="run only this scenario (repeatable), e.g. Me"
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print(
            "wrk is missing: python3 dev.py bench installs it (Debian package wrk).",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="vardgraf-bench-") as tmp:
        directory = Path(tmp)
        settings = BenchSettings(args.server, args.concurrency, args.workers, directory)
        idp = IdentityProvider(directory)
        large = asyncio.run(prepare(settings, idp, args.citizens, args.fresh))
        small = large
        if args.small and args.small != args.citizens:
            small = asyncio.run(prepare(settings, idp, args.small, args.fresh))
        report = Report(
            idp=idp,
            settings=settings,
            seconds=args.seconds,
            command=" ".join(
                ["python3 dev.py bench", *(argv if argv is not None else sys.argv[1:])]
            ),
        )
        bench = Bench(settings, args.seconds, directory)
        measure(bench, large, small, report, set(args.only or ()))
        # A booking the load sent would be a replay here: the plan check takes one it did not.
        unsent = {
            name: bench.once.unsent("vardgraf", name, requests)
            for name, requests in large.requests.items()
        }
        report.plans = asyncio.run(
            explain_hot_statements(
                settings, large.database, idp, unsent, _planned(set(args.only or ()))
            )
        )
    text = render(report, platform_summary())
    print(text)
    if args.write:
        write_between_markers(args.write, text)
    return 0


def _planned(only: set[str]) -> list[str]:
    """Every scenario of one operation (the mixes repeat them) whose statements are planned."""
    names = [*FLOOR_SCENARIOS, *OWN_SCENARIOS]
    return [name for name in names if not only or name in only]


def write_between_markers(path: Path, text: str) -> None:
    """Replace the measured part of `path` (between the bench markers), keeping what people
    wrote around it; a file without the markers is written whole."""
    old = path.read_text() if path.exists() else ""
    if START in old and END in old:
        before, rest = old.split(START, 1)
        text = before + START + "\n" + text + END + rest.split(END, 1)[1]
    path.write_text(text)


def platform_summary() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{cpu}; Python {platform.python_version()}; {platform.system()} {platform.release()}"


if __name__ == "__main__":
    sys.exit(main())
