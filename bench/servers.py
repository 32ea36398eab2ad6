"""Server processes for the benchmark: start one, wait until it answers, read its memory, stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def worker_pids(self) -> list[int]:
        """The processes that answer: uvicorn's workers, or uvicorn itself with one worker."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        workers = [pid for pid in pids if _is_python(pid)]
        return workers or [self.process.pid]

    def cpu_seconds(self) -> float:
        """The CPU time the answering processes have used so far (user and system)."""
        return sum(_cpu_seconds(pid) for pid in self.worker_pids())

    def peak_memory_mib(self) -> list[float]:
        """Each worker's peak resident memory so far (VmHWM), in MiB."""
        return [_vm_hwm_kib(pid) / 1024 for pid in self.worker_pids()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(
    name: str,
    factory: str,
    env: dict[str, str],
    workers: int,
    log_dir: Path,
    root: Path = ROOT,
) -> Iterator[Server]:
    """uvicorn with `factory` on a free port of 127.0.0.1, stopped (SIGTERM) on leaving;
    the code from `root` (another checkout of the project, e.g. a `git worktree` of an older
    commit, runs on this one's virtual environment)."""
    port = free_port()
    log = log_dir / f"{name}.log"
    command = [sys.executable, "-m", "uvicorn", "--factory", factory, "--port", str(port)]
    options = [
        *("--workers", str(workers), "--no-access-log", "--timeout-graceful-shutdown", "5"),
        # As production (README), for both servers alike.
        *("--http", "app.http.protocol:HttpToolsProtocol"),
        *("--ws", "wsproto", "--ws-per-message-deflate", "false"),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - uvicorn with our own app
            [*command, *options],
            cwd=root,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(name, f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_until_listening(server)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_listening(server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited:\n{server.log.read_text()[-3000:]}")
        try:
            httpx.get(f"{server.url}/graphql", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not start:\n{server.log.read_text()[-3000:]}")


def database_cpu_seconds() -> float | None:
    """The CPU time PostgreSQL's processes on this machine have used so far, or None when
    none can be seen (a database elsewhere). Its backends outlive a run (the servers' pools
    keep their connections), so the difference over a run is the database's share of it."""
    total, seen = 0.0, False
    for stat in Path("/proc").glob("[0-9]*/comm"):
        try:
            if stat.read_text().strip() != "postgres":
                continue
            total += _cpu_seconds(int(stat.parent.name))
        except (OSError, ValueError):  # the process ended while it was read
            continue
        seen = True
    return total if seen else None


def _is_python(pid: int) -> bool:
    try:
        return "python" in Path(f"/proc/{pid}/comm").read_text()
    except OSError:
        return False


def _cpu_seconds(pid: int) -> float:
    # /proc/<pid>/stat: utime and stime are the 14th and 15th fields, in clock ticks; the
    # command name (2nd, in parentheses) may hold spaces, so count from after it.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _vm_hwm_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
