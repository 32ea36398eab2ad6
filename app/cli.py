"""Command line: `serve` (migrate, seed, print demo logins, run), `seed`, `token`."""

from __future__ import annotations

import argparse
import asyncio
import sys

import uvicorn
from sqlmodel import col, select

from app.clock import SystemClock, stockholm_date
from app.identifiers import InvalidIdentifier, parse_personnummer
from app.migrate import upgrade
from app.models import Citizen
from app.resources import Resources, build_resources
from app.settings import Settings
from seeds.run import DEFAULT_CITIZENS, seed

DEMO_LOGINS = [
    ("Anna", "Andersson", "guardian of Ella (13 in 3 days), Olle, and Saga (protected)"),
    ("Erik", "Andersson", "second guardian of Ella and Olle"),
    ("Johan", "Berg", "guardian blocked by staff from acting for Maja"),
    ("Karin", "Ek", "a guardian with protected identity"),
]


async def prepare(resources: Resources, citizens: int) -> None:
    await upgrade(resources.engine)
    result = await seed(resources.sessions, stockholm_date(resources.clock.now()), citizens)
    state = "seeded" if result.created else "already seeded"
    print(f"Database {state}: {result.citizens} citizens.")


async def demo_logins(resources: Resources) -> list[tuple[str, str, str]]:
    found = []
    async with resources.sessions() as session:
        for given, family, role in DEMO_LOGINS:
            citizen = await session.scalar(
                select(Citizen).where(
                    col(Citizen.given_name) == given, col(Citizen.family_name) == family
                )
            )
            if citizen is not None:
                found.append((f"{given} {family}", role, citizen.personnummer))
    return found


def print_demo_logins(resources: Resources, logins: list[tuple[str, str, str]]) -> None:
    issuer = resources.dev_issuer
    if issuer is None:
        return
    print('\nDemo logins (paste into GraphiQL\'s Headers as {"Authorization": "Bearer <token>"}):')
    for name, role, personnummer in logins:
        print(f"\n  {name}: {role}\n  personnummer {personnummer[:8]}-{personnummer[8:]}")
        print(f"  Bearer {issuer.citizen_token(personnummer)}")
    print("\nMint more: python3 dev.py token <personnummer>\n")


def serve(settings: Settings, host: str, port: int, citizens: int) -> None:
    resources = build_resources(settings, SystemClock())

    async def setup() -> list[tuple[str, str, str]]:
        await prepare(resources, citizens)
        logins = await demo_logins(resources)
        await resources.engine.dispose()
        return logins

    print_demo_logins(resources, asyncio.run(setup()))
    from app.main import build_app

    print(f"GraphiQL: http://{host}:{port}/graphql")
    uvicorn.run(build_app(resources), host=host, port=port, log_level="info")


def token(settings: Settings, personnummer: str) -> int:
    resources = build_resources(settings, SystemClock())
    if resources.dev_issuer is None:
        print("The development issuer is off (VARDGRAF_DEV_ISSUER_ENABLED=false).", file=sys.stderr)
        return 2
    try:
        number = parse_personnummer(personnummer, stockholm_date(resources.clock.now()))
    except InvalidIdentifier as error:
        print(error, file=sys.stderr)
        return 2
    print(resources.dev_issuer.citizen_token(number.digits))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vardgraf")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="migrate, seed and start the server")
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8000)
    serve_cmd.add_argument("--citizens", type=int, default=DEFAULT_CITIZENS)
    seed_cmd = commands.add_parser("seed", help="migrate and seed (idempotent)")
    seed_cmd.add_argument("--citizens", type=int, default=DEFAULT_CITIZENS)
    token_cmd = commands.add_parser("token", help="mint a development token")
    token_cmd.add_argument("personnummer")
    args = parser.parse_args(argv)
    settings = Settings()
    if args.command == "serve":
        serve(settings, args.host, args.port, args.citizens)
        return 0
    if args.command == "seed":
        resources = build_resources(settings, SystemClock())

        async def run() -> None:
            await prepare(resources, args.citizens)
            await resources.engine.dispose()

        asyncio.run(run())
        return 0
    return token(settings, args.personnummer)


if __name__ == "__main__":
    sys.exit(main())
