"""Two or more builds of Vårdgraf under the same load, in turn, to decide whether a step shows.

    python3 dev.py compare [--only Me] [--rounds 6] [--seconds 4] [--citizens 5000]
                           [--variant "" --variant "root=../old" --variant "VARDGRAF_X=1"]

A variant is a set of `NAME=VALUE` words: environment variables for its server, and `root=`
for another checkout of the project (`git worktree add ../old <commit>`), served from this
one's virtual environment. The default compares this checkout with itself (the noise).

All the variants' servers start side by side; each round loads them one after the other, in
reverse order every other round (ABBA), so a machine that speeds up or slows down within the
run weighs on all of them alike. A single run on this machine moves by ±8 % from one minute to
the next; side by side in turn, the difference of the medians is what a step is judged by
(docs/performance-history.md, "Session 20").
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bench.environment import (
    POSTGRES_SERVER,
    BenchSettings,
    IdentityProvider,
    connections_free,
    connections_per_server,
)
from bench.run import Bench, prepare
from bench.servers import ROOT, Server, serving
from bench.turns import turns


@dataclass
class Variant:
    label: str
    env: dict[str, str]
    root: Path
    cpu: list[float] = field(default_factory=list)
    throughput: list[float] = field(default_factory=list)
    bad: int = 0  # refused, or answers with errors: a variant with any is not comparable


def variant(words: str) -> Variant:
    settings = dict(word.split("=", 1) for word in words.split())
    root = Path(settings.pop("root", str(ROOT))).resolve()
    return Variant(words or "this checkout", settings, root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="compare", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default="Me", help="the scenario (bench/run.py's names)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--citizens", type=int, default=5_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--server", default=POSTGRES_SERVER)
    parser.add_argument("--variant", action="append", help="NAME=VALUE words (repeatable)")
    args = parser.parse_args(argv)
    variants = [variant(words) for words in (args.variant or ["", ""])]
    with tempfile.TemporaryDirectory(prefix="vardgraf-compare-") as tmp:
        directory = Path(tmp)
        settings = BenchSettings(args.server, args.concurrency, 1, directory)
        # All the variants' servers are up at once: past PostgreSQL's connections, the later
        # ones answer with errors, and their numbers measure the refusals, not the build.
        needed = len(variants) * connections_per_server(args.concurrency)
        free = asyncio.run(connections_free(settings))
        if needed > free:
            raise SystemExit(
                f"{len(variants)} servers may hold {needed} connections; PostgreSQL takes {free} "
                "more: compare fewer variants at a time, or with a lower --concurrency."
            )
        idp = IdentityProvider(directory)
        work = asyncio.run(prepare(settings, idp, args.citizens, fresh=False))
        requests = work.for_server("vardgraf", args.only)
        bench = Bench(settings, args.seconds, directory)
        base = settings.server_env(work.database, idp)
        with ExitStack() as stack:
            servers: list[Server] = []
            for number, each in enumerate(variants):
                logs = directory / f"variant-{number}"
                logs.mkdir()
                env = {**base, **each.env}
                factory = "app.asgi:application"
                servers.append(
                    stack.enter_context(serving(f"v{number}", factory, env, 1, logs, each.root))
                )
            for each, server in turns(list(zip(variants, servers, strict=True)), args.rounds):
                load = bench.load(server, args.only, requests)
                each.cpu.append(load.cpu_us)
                each.throughput.append(load.result.throughput)
                each.bad += load.result.bad
    print(f"\n{args.only}, {args.rounds} rounds of {args.seconds:g} s, in turn (ABBA):")
    for each in variants:
        print(
            f"  {each.label:30} CPU µs a request: median {statistics.median(each.cpu):6.0f}"
            f"  mean {statistics.mean(each.cpu):6.0f}"
            f"  ops/s median {statistics.median(each.throughput):7.0f}"
            + (f"  BAD ANSWERS {each.bad}" if each.bad else "")
        )
    if any(each.bad for each in variants):
        print("Variants with bad answers measured their failures: not comparable.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
