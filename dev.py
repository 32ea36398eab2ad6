#!/usr/bin/env python3
"""The README's commands: bootstrap a virtual environment, then serve or test.

    python3 dev.py serve      migrate + seed the embedded SQLite database, start the server
    python3 dev.py test       ruff (format + lint), mypy strict, the schema's lint, the whole
                              pytest suite (on a worker per core, up to four; `-n 0`: one)
    python3 dev.py test-postgres
                              the GraphQL suite against PostgreSQL on 127.0.0.1:5432
    python3 dev.py token PNR  mint a development token for a seeded citizen
    python3 dev.py bench      the benchmark against the floor on PostgreSQL (bench/run.py),
                              installing the load generator wrk (Debian) when it is missing
    python3 dev.py profile    CPU per request beside the floor, in-process (bench/profile.py)
    python3 dev.py compare    builds of Vårdgraf under the same load in turn, ABBA
                              (bench/compare.py): whether a step shows

Only the standard library is used here: this file runs before any dependency exists.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".vardgraf-installed"
INSTALL_INPUTS = ("pyproject.toml", "requirements.lock")


def _install_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in INSTALL_INPUTS:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def bootstrap() -> None:
    """Create .venv and install the locked dependencies when they changed."""
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    fingerprint = _install_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        return
    print("Installing dependencies (once) ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run(
        [*pip, "install", "-c", str(ROOT / "requirements.lock"), "-e", f"{ROOT}[dev]"],
        check=True,
    )
    STAMP.write_text(fingerprint)


def run(*args: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run(list(args), cwd=ROOT, env=env, check=False).returncode


SCHEMA_LINT = ROOT / "tests" / "clients" / "schema-lint"


def parallel(extra: list[str]) -> list[str]:
    """pytest-xdist's workers, one per core up to four, unless the caller chose (`-n 0`: none).
    Every test has a database of its own, so the workers share nothing but the machine."""
    if any(arg.startswith(("-n", "--numprocesses")) for arg in extra):
        return []
    workers = min(4, os.cpu_count() or 1)
    return ["-n", str(workers)] if workers > 1 else []


def test(extra: list[str]) -> int:
    tool = str(BIN / "{}")
    steps = [
        [tool.format("ruff"), "format", "--check", "."],
        [tool.format("ruff"), "check", "."],
        [tool.format("mypy")],
        # The layer contract (pyproject.toml, docs/architecture.md).
        [tool.format("lint-imports"), "--no-cache"],
        # The schema's own lint (its rules and why: tests/clients/schema-lint).
        [
            str(SCHEMA_LINT / "node_modules" / ".bin" / "graphql-schema-linter"),
            "--config-directory",
            str(SCHEMA_LINT),
            "schema.graphql",
        ],
        [str(PYTHON), "-m", "pytest", *parallel(extra), *extra],
    ]
    for step in steps:
        print("$", " ".join(Path(step[0]).name if i == 0 else a for i, a in enumerate(step)))
        code = run(*step)
        if code != 0:
            return code
    return 0


def test_postgres(extra: list[str]) -> int:
    """Run the GraphQL suite on a database of its own, created here and dropped after."""
    server = os.environ.get("VARDGRAF_PG_SERVER", "postgresql+asyncpg://postgres@127.0.0.1:5432")
    env = dict(
        os.environ, VARDGRAF_TEST_PG_SERVER=server, VARDGRAF_TEST_PG_RUN=uuid.uuid4().hex[:8]
    )
    pytest = [str(PYTHON), "-m", "pytest", "-m", "not slow", "--postgres"]
    return run(*pytest, *parallel(extra), *extra, env=env)


def ensure_debian_package(command: str, package: str, why: str) -> None:
    """`command` from Debian's `package`, installed when missing (as root, or with sudo)."""
    if shutil.which(command):
        return
    print(f"Installing {package} (Debian package, {why}) ...", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = [*sudo, "apt-get", "install", "-y", "-q", package]
    if run(*install, env=env) != 0:
        run(*sudo, "apt-get", "update", "-q", env=env)
        run(*install, env=env)


def ensure_npm_clients() -> None:
    """The JavaScript clients the end-to-end tests drive (tests/clients/*: Apollo Client), from
    the npm registry as their lock files pin them, installed again when a lock file changes."""
    for lock in sorted((ROOT / "tests" / "clients").glob("*/package-lock.json")):
        folder = lock.parent
        stamp = folder / "node_modules" / ".vardgraf-installed"
        fingerprint = hashlib.sha256(lock.read_bytes()).hexdigest()
        if stamp.exists() and stamp.read_text() == fingerprint:
            continue
        ensure_debian_package("npm", "npm", "for the JavaScript clients in the tests")
        print(f"Installing {folder.name}'s npm packages ...", flush=True)
        npm = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
        if subprocess.run(npm, cwd=folder, check=False).returncode == 0:
            stamp.write_text(fingerprint)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {
        "serve",
        "test",
        "test-postgres",
        "token",
        "seed",
        "bench",
        "profile",
        "compare",
    }:
        print(__doc__)
        return 2
    bootstrap()
    command, rest = argv[0], argv[1:]
    if command == "test":
        # The browser test drives Debian's chromium: Playwright downloads no browser here.
        ensure_debian_package("chromium", "chromium", "for the GraphiQL browser test")
        ensure_npm_clients()
        return test(rest)
    if command == "test-postgres":
        return test_postgres(rest)
    if command == "bench":
        ensure_debian_package("wrk", "wrk", "the benchmark's load generator")
        return run(str(PYTHON), "-m", "bench.run", *rest)
    if command == "profile":
        return run(str(PYTHON), "-m", "bench.profile", *rest)
    if command == "compare":
        ensure_debian_package("wrk", "wrk", "the benchmark's load generator")
        return run(str(PYTHON), "-m", "bench.compare", *rest)
    return run(str(PYTHON), "-m", "app.cli", command, *rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
