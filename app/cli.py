"""Command line: `serve` (migrate, seed, print demo logins, run), `migrate`, `seed`, `token`,
`worker`. Production runs `migrate` once per release, the server processes from app/asgi.py,
and the notification worker."""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import sys
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, select

from app.data.db import build_engine
from app.data.migrate import upgrade
from app.data.models import Citizen, Staff
from app.domain.clock import SystemClock, stockholm_date
from app.domain.identifiers import InvalidIdentifier, is_valid_hsa_id, parse_personnummer
from app.domain.regions_config import COUNTY_CODES
from app.observability.logs import configure_logging
from app.resources import Resources, build_resources
from app.settings import Settings
from app.settings_errors import load_settings
from seeds.fhir_demo import publish, regions_file_with_fhir, stand_in_server
from seeds.notification_sinks import notification_stand_ins
from seeds.regional_service import regional_service_stand_in
from seeds.run import DEFAULT_CITIZENS, seed

FHIR_DEMO_PORT = 8091

DEMO_LOGINS = [
    (
        "Anna",
        "Andersson",
        "guardian of Ella (13 in 3 days) and Olle; not listed: Saga (protected identity) "
        "and Alva (13 since yesterday)",
    ),
    ("Erik", "Andersson", "second guardian of Ella and Olle"),
    ("Johan", "Berg", "guardian blocked by staff from acting for Maja"),
    ("Karin", "Ek", "a guardian with protected identity: represents no one"),
    ("Olof", "Gustafsson", "deceased: the token is refused (R-35)"),
    ("Liam", "Smith", "samordningsnummer: the token is refused (R-36)"),
    ("Wilma", "Lind", "14: her own journal is not open yet (it opens at 16, R-134)"),
    ("Hugo", "Lind", "16: reads his own journal"),
]


async def prepare(resources: Resources, citizens: int) -> None:
    await upgrade(resources.engine)
    result = await seed(resources.sessions, stockholm_date(resources.clock.now()), citizens)
    state = "seeded" if result.created else "already seeded"
    print(f"Database {state}: {result.citizens} citizens.")


DEMO_STAFF = [
    (
        "Eva",
        "Holm",
        "handles errands at two clinics; errand types, forms, times, samples, complaints and "
        "programs (therapist) at Vårdcentralen Stockholm City",
    ),
    ("Rita", "Regnér", "administers Region Stockholm: statistics, base offering, listing office"),
    ("Maja", "Nord", "handles the complaints to Region Stockholm's patient board"),
]


@dataclass(frozen=True)
class DemoLogin:
    name: str
    role: str
    subject: str  # a personnummer, or a staff member's HSA-id
    staff: bool


async def demo_logins(resources: Resources) -> list[DemoLogin]:
    found = []
    async with resources.sessions() as session:
        for given, family, role in DEMO_LOGINS:
            citizen = await session.scalar(
                select(Citizen).where(
                    col(Citizen.given_name) == given, col(Citizen.family_name) == family
                )
            )
            if citizen is not None:
                found.append(DemoLogin(f"{given} {family}", role, citizen.personnummer, False))
        for given, family, role in DEMO_STAFF:
            staff = await session.scalar(
                select(Staff).where(
                    col(Staff.given_name) == given, col(Staff.family_name) == family
                )
            )
            if staff is not None:
                found.append(DemoLogin(f"{given} {family}", role, staff.hsa_id, True))
    return found


def print_demo_logins(resources: Resources, logins: list[DemoLogin]) -> None:
    citizens, staff = resources.dev_issuer, resources.dev_staff_issuer
    if citizens is None or staff is None:
        return
    print('\nDemo logins (paste into GraphiQL\'s Headers as {"Authorization": "Bearer <token>"}):')
    for login in logins:
        if login.staff:
            print(f"\n  {login.name} (staff): {login.role}\n  HSA-id {login.subject}")
            print(f"  Bearer {staff.token(login.subject)}")
        else:
            number = f"{login.subject[:8]}-{login.subject[8:]}"
            print(f"\n  {login.name}: {login.role}\n  personnummer {number}")
            print(f"  Bearer {citizens.citizen_token(login.subject)}")
    print(
        "\nMint more: python3 dev.py token <personnummer> | python3 dev.py token --staff <HSA-id>\n"
    )


def port_in_use(host: str, port: int) -> bool:
    """Whether something already listens there (asked before seeding and printing logins)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def serve(settings: Settings, host: str, port: int, citizens: int, fhir_regions: str) -> None:
    if port_in_use(host, port):
        raise SystemExit(
            f"Port {port} on {host} is in use (another serve?): stop it, or use --port."
        )
    with (
        notification_stand_ins(settings) as settings_with_sinks,
        regional_service_stand_in(f"http://{host}:{port}", settings.public_base_url)
        if settings.mode == "development"
        else nullcontext(),
    ):
        _serve_regions(settings_with_sinks, host, port, citizens, fhir_regions)


def _serve_regions(
    settings: Settings, host: str, port: int, citizens: int, fhir_regions: str
) -> None:
    codes = [code.strip() for code in fhir_regions.split(",") if code.strip()]
    if not codes:
        _serve(settings, host, port, citizens, [], None)
        return
    unknown = sorted(set(codes) - set(COUNTY_CODES))
    if unknown:
        raise SystemExit(f"--fhir-regions: unknown county code(s) {', '.join(unknown)}")
    with stand_in_server(FHIR_DEMO_PORT) as base_url:
        out = Path(settings.data_dir) / "regions.fhir-demo.toml"
        out.parent.mkdir(parents=True, exist_ok=True)
        regions = regions_file_with_fhir(Path(settings.regions_file), codes, base_url, out)
        demo = settings.model_copy(update={"regions_file": regions})
        _serve(demo, host, port, citizens, codes, base_url)


def _serve(
    settings: Settings,
    host: str,
    port: int,
    citizens: int,
    fhir_codes: list[str],
    fhir_url: str | None,
) -> None:
    resources = build_resources(settings, SystemClock())

    async def setup() -> list[DemoLogin]:
        await prepare(resources, citizens)
        if fhir_url is not None:
            count = await publish(resources.sessions, fhir_codes, fhir_url, resources.clock.now())
            print(f"Region(s) {', '.join(fhir_codes)} on FHIR at {fhir_url} ({count} free slots).")
        logins = await demo_logins(resources)
        await resources.close_database()
        return logins

    print_demo_logins(resources, asyncio.run(setup()))
    from app.http.protocol import HttpToolsProtocol
    from app.main import build_app

    print(f"GraphiQL: http://{host}:{port}/graphql")
    configure_logging(settings.log_format)
    uvicorn.run(
        build_app(resources),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        http=HttpToolsProtocol,  # as production (app/asgi.py)
        ws="wsproto",  # WebSockets at a fraction of the memory (pyproject.toml),
        ws_per_message_deflate=False,  # and no compression state per connection (README)
    )


def token(settings: Settings, subject: str, staff: bool) -> int:
    resources = build_resources(settings, SystemClock())
    if resources.dev_issuer is None or resources.dev_staff_issuer is None:
        print("The development issuer is off (VARDGRAF_DEV_ISSUER_ENABLED=false).", file=sys.stderr)
        return 2
    if staff:
        if not is_valid_hsa_id(subject):
            print("That is not an HSA-id, e.g. SE2321000016-P0001.", file=sys.stderr)
            return 2
        if not asyncio.run(_seeded(resources, Staff, Staff.hsa_id, subject)):
            print(f"No staff member {subject} is seeded: see `serve`'s logins.", file=sys.stderr)
            return 2
        print(resources.dev_staff_issuer.token(subject))
        return 0
    try:
        number = parse_personnummer(subject, stockholm_date(resources.clock.now()))
    except InvalidIdentifier as error:
        print(error, file=sys.stderr)
        return 2
    if not asyncio.run(_seeded(resources, Citizen, Citizen.personnummer, number.digits)):
        print(
            "No citizen with that personnummer is seeded (the seeds follow the day they were "
            "made): take one from `serve`'s logins.",
            file=sys.stderr,
        )
        return 2
    print(resources.dev_issuer.citizen_token(number.digits))
    return 0


async def _seeded(resources: Resources, model: Any, column: Any, value: str) -> bool:
    """Whether the database holds this person (a token for anyone else would be refused)."""
    try:
        async with resources.sessions() as session:
            return await session.scalar(select(model).where(col(column) == value)) is not None
    except DBAPIError:
        return False  # not migrated or seeded yet
    finally:
        await resources.close_database()


async def run_worker(settings: Settings) -> int:
    """The notification worker on its own (production: several server processes with
    VARDGRAF_NOTIFICATIONS__WORKER=off, and one or more of these). Stops on SIGTERM/SIGINT
    once the jobs under way are done; a job of a worker killed outright is taken up again by
    another after the heartbeat timeout."""
    resources = build_resources(settings, SystemClock())
    try:
        if resources.engine.dialect.name != "postgresql":
            print(
                "The worker takes its jobs from PostgreSQL; on SQLite the server runs them.",
                file=sys.stderr,
            )
            return 2
        configure_logging(settings.log_format)
        worker = await resources.notifications.worker()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signal_number, worker.shutdown)
        print("Notification worker: running.", flush=True)
        await worker.run()
        return 0
    finally:
        await resources.http.aclose()
        await resources.close_database()


async def migrate(settings: Settings) -> None:
    engine = build_engine(settings)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vardgraf")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="migrate, seed and start the server")
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8000)
    serve_cmd.add_argument("--citizens", type=int, default=DEFAULT_CITIZENS)
    serve_cmd.add_argument(
        "--fhir-regions",
        default="",
        help="county codes, e.g. 12,13: serve them from a stand-in FHIR server (demo)",
    )
    commands.add_parser("migrate", help="bring the database to the newest schema (releases)")
    seed_cmd = commands.add_parser("seed", help="migrate and seed (idempotent)")
    seed_cmd.add_argument("--citizens", type=int, default=DEFAULT_CITIZENS)
    commands.add_parser("worker", help="run notification jobs (PostgreSQL)")
    token_cmd = commands.add_parser("token", help="mint a development token")
    token_cmd.add_argument("subject", help="a personnummer, or an HSA-id with --staff")
    token_cmd.add_argument("--staff", action="store_true", help="a staff (SITHS) token")
    args = parser.parse_args(argv)
    return run_command(args, load_settings())  # what cannot start exits in one line


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "serve":
        serve(settings, args.host, args.port, args.citizens, args.fhir_regions)
        return 0
    if args.command == "migrate":
        asyncio.run(migrate(settings))
        return 0
    if args.command == "worker":
        return asyncio.run(run_worker(settings))
    if args.command == "seed":
        resources = build_resources(settings, SystemClock())

        async def run() -> None:
            await prepare(resources, args.citizens)
            await resources.close_database()

        asyncio.run(run())
        return 0
    return token(settings, args.subject, args.staff)


if __name__ == "__main__":
    sys.exit(main())
