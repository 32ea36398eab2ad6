"""Where one request's CPU goes, in this process: for the small steps the load cannot see.

    python3 dev.py profile [--citizens 5000] [--requests 400] [--only Me] [--cprofile N]

Builds Vårdgraf and the floor in this process with the benchmark's production settings, sends
each scenario's requests to each app straight through ASGI (no sockets, no load generator) one
at a time, and prints the CPU time per request (time.process_time: PostgreSQL runs in its own
process, so its work is not counted) and the ratio to the floor's. Wall time under load moves
by ±15 % from run to run on a shared machine; CPU per request moves by a few per cent, and
with --cprofile the function-call counts not at all. --cprofile N prints the N functions with
the most time of their own, with their call counts per request.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import pstats
import sys
import tempfile
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from app.main import create_app
from app.settings import Settings
from bench import floor
from bench.environment import (
    POSTGRES_SERVER,
    BenchSettings,
    IdentityProvider,
    environment_set,
)
from bench.load import Request
from bench.run import FLOOR_SCENARIOS, ONCE, prepare

Scope = dict[str, Any]
BATCH = 25
ROUNDS = 3  # each request is sent this many times (cProfile's counts are per sending)


async def call(app: Starlette, request: Request) -> bytes:
    """One POST /graphql through the app, as uvicorn would send it; the answer's body."""
    body = json.dumps(request.body).encode()
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"accept", b"application/json"),
            *((k.encode(), v.encode()) for k, v in request.headers.items()),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.Event().wait()  # the client stays connected
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start" and message["status"] != 200:
            raise SystemExit(f"status {message['status']} for {request.body}")
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return b"".join(chunks)


async def cpu_per_request(
    app: Starlette,
    requests: list[Request],
    profiler: cProfile.Profile | None,
    warm_up: list[Request] | None = None,
    rounds: int = ROUNDS,
) -> float:
    """CPU seconds per request: the least, over batches of BATCH requests, of a batch's
    mean (whatever else the machine does only ever adds time), after a warm-up with the
    same requests (as under load, where each citizen comes back within seconds: tokens are
    verified once a minute)."""
    for request in requests if warm_up is None else warm_up:
        await call(app, request)
    if profiler is not None:
        profiler.enable()
    batches: list[float] = []
    for _ in range(rounds):
        for first in range(0, len(requests) - BATCH + 1, BATCH):
            started = time.process_time()
            for request in requests[first : first + BATCH]:
                answer = await call(app, request)
                if b'"errors"' in answer:
                    raise SystemExit(f"an answer with errors: {answer[:400]!r}")
            batches.append((time.process_time() - started) / BATCH)
    if profiler is not None:
        profiler.disable()
    return min(batches)


async def profile(settings: BenchSettings, idp: IdentityProvider, args: argparse.Namespace) -> None:
    work = await prepare(settings, idp, args.citizens, fresh=False)
    with environment_set(settings.server_env(work.database, idp)):
        ours = create_app(Settings())
        theirs = floor.application()
    gc.collect()
    gc.freeze()  # as app/asgi.py does after start-up
    # Reads by default: a booking sent again is a replay, not the same work.
    names = args.only or [name for name in FLOOR_SCENARIOS if name not in ONCE]
    async with ours.router.lifespan_context(ours), theirs.router.lifespan_context(theirs):
        for name in names:
            whole = args.requests // BATCH * BATCH  # whole batches
            requests = work.for_server("vardgraf", name)[:whole]
            profiler = cProfile.Profile() if args.cprofile else None
            # A booking sent again is a replay: bookings warm up on other times, once each.
            once = name in ONCE
            warm_up = work.for_server("vardgraf", name)[whole : 2 * whole] if once else None
            rounds = 1 if once else ROUNDS
            mine = await cpu_per_request(ours, requests, profiler, warm_up, rounds)
            line = f"{name:18} vardgraf {mine * 1e6:8.0f} µs CPU per request"
            if name in FLOOR_SCENARIOS:
                theirs_all = work.for_server("floor", name)
                base = await cpu_per_request(
                    theirs,
                    theirs_all[:whole],
                    None,
                    theirs_all[whole : 2 * whole] if once else None,
                    rounds,
                )
                line += f"   floor {base * 1e6:6.0f} µs   ratio {base / mine:.2f}"
            print(line, flush=True)
            if profiler is not None:
                print_profile(profiler, rounds * len(requests), args.cprofile, args.sort)
                if args.dump:
                    profiler.dump_stats(args.dump)


def print_profile(profiler: cProfile.Profile, requests: int, top: int, sort: str) -> None:
    stats = pstats.Stats(profiler)
    calls = sum(entry[1] for entry in stats.stats.values())  # type: ignore[attr-defined]
    print(f"  Python function calls per request: {calls / requests:,.0f}")
    rows = sorted(
        stats.stats.items(),  # type: ignore[attr-defined]
        key=lambda item: item[1][2 if sort == "tottime" else 3],
        reverse=True,
    )
    by_package: dict[str, float] = {}
    for (file, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        package = _package(file)
        by_package[package] = by_package.get(package, 0.0) + tottime
    total = sum(by_package.values())
    shares = sorted(by_package.items(), key=lambda item: item[1], reverse=True)
    print("  Own time by package: " + ", ".join(f"{n} {t / total:.0%}" for n, t in shares[:12]))
    print(f"  {'calls/req':>9} {'own µs/req':>10} {'cum µs/req':>10}  function")
    for (file, line, function), (_, ncalls, tottime, cumtime, _) in rows[:top]:
        where = f"{Path(file).name}:{line}" if line else file
        print(
            f"  {ncalls / requests:9.1f} {tottime / requests * 1e6:10.1f} "
            f"{cumtime / requests * 1e6:10.1f}  {function} ({where})"
        )


def _package(file: str) -> str:
    """'sqlalchemy' for .../site-packages/sqlalchemy/orm/x.py, 'app' for our app/x.py."""
    if "site-packages/" in file:
        return file.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    root = Path(__file__).resolve().parent.parent
    if file.startswith(str(root)):
        return Path(file).relative_to(root).parts[0]
    if file.startswith("~") or file.startswith("<"):
        return "built-ins"
    return "stdlib" if "python3" in file else file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="profile", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--citizens", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--server", default=POSTGRES_SERVER)
    parser.add_argument("--only", action="append", help="this scenario only (repeatable)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument("--sort", choices=("tottime", "cumtime"), default="tottime")
    parser.add_argument("--dump", type=Path, help="also save cProfile's stats here (pstats)")
    args = parser.parse_args(argv)
    if args.requests < BATCH:
        parser.error(f"--requests: at least {BATCH} (one batch)")
    with tempfile.TemporaryDirectory(prefix="vardgraf-profile-") as tmp:
        directory = Path(tmp)
        settings = BenchSettings(args.server, concurrency=4, workers=1, directory=directory)
        asyncio.run(profile(settings, IdentityProvider(directory), args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
