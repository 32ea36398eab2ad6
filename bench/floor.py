"""The floor: the least a server can do to answer the start page and "Bokade tider", and to
book a time.

A bare Starlette endpoint with hand-written SQL on a raw asyncpg pool. It does what the law
and the contract require and nothing else: it verifies the same e-ID token, applies the same
guardian rules (R-01..R-30, in the SQL), writes the same access-log rows (R-40, fail closed)
and answers with JSON byte-identical to Vårdgraf's `data`. No GraphQL, no rate limits, no
metrics, no logging. Started by bench/run.py as:

    uvicorn --factory bench.floor:application

with the settings of the server under test in VARDGRAF_* (database, secret, issuer, JWKS).
"""

from __future__ import annotations

import json
import os
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from jose import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.domain.clock import STOCKHOLM, add_years
from app.domain.cursors import CursorCodec
from app.domain.identifiers import Personnummer
from app.domain.ids import IdCodec, NodeKind
from app.domain.paging import Position
from app.domain.regions_config import Feature, load_regions
from app.guard.trusted_documents import TrustedDocuments

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"

VIEWER = """
SELECT c.id, c.personnummer, c.given_name, c.family_name, c.birth_date, c.deceased,
       c.protected_identity, c.home_region_code, r.name AS region_name
FROM citizen c LEFT JOIN region r ON r.code = c.home_region_code
WHERE c.personnummer = $1
"""
# the children a guardian may act for today.
CHILDREN = """
SELECT c.id, c.given_name, c.family_name, c.birth_date
FROM guardianship g JOIN citizen c ON c.id = g.child_id
WHERE g.guardian_id = $1 AND NOT g.blocked AND NOT c.protected_identity AND NOT c.deceased
  AND c.birth_date > $2
ORDER BY g.id
"""
BOOKINGS = """
SELECT b.id, b.starts_at, b.ends_at, b.cancellation_allowed, b.rebooking_allowed,
       b.message_allowed, t.id AS type_id, t.name AS type_name, k.id AS clinic_id,
       k.name AS clinic_name, k.street, k.postal_code, k.city, r.code AS region_code,
       r.name AS region_name
FROM booking b
JOIN bookingtype t ON t.id = b.booking_type_id
JOIN clinic k ON k.id = b.clinic_id
JOIN region r ON r.code = k.region_code
WHERE b.citizen_id = $1 AND b.status = 'BOOKED' AND b.starts_at >= $2
ORDER BY b.starts_at, b.id
LIMIT $3
"""
AUDIT = """
INSERT INTO auditevent (at, day, request_id, actor_kind, actor_citizen_id,
    on_behalf_of_citizen_id, subject_citizen_id, action)
SELECT $1, $2, $3, 'CITIZEN', $4, $5, $6, unnest($7::text[])
"""
# The page with its access-log rows in one statement, as Vårdgraf sends a list on PostgreSQL
# (app/access/audit.py): the rows are written if and only if the page is read.
LOGGED_BOOKINGS = f"""
WITH logged AS (
    INSERT INTO auditevent (at, day, request_id, actor_kind, actor_citizen_id,
        on_behalf_of_citizen_id, subject_citizen_id, action)
    SELECT $2, $4, 'floor', 'CITIZEN', $5, $6, $1, unnest($7::text[])
)
{BOOKINGS}"""
# A slot with what booking it needs: its clinic (R-80) and type (R-83's flags, the answer).
SLOT = """
SELECT s.id, s.clinic_id, s.booking_type_id, s.starts_at, s.ends_at, k.name AS clinic_name,
       k.region_code, k.online_booking, t.name AS type_name, t.cancellation_allowed,
       t.rebooking_allowed, t.message_allowed
FROM slot s JOIN clinic k ON k.id = s.clinic_id JOIN bookingtype t ON t.id = s.booking_type_id
WHERE s.id = $1
"""
BOOK_AUDIT = """
INSERT INTO auditevent (at, day, request_id, actor_kind, actor_citizen_id,
    on_behalf_of_citizen_id, subject_citizen_id, action, care_unit_id)
VALUES ($1, $2, 'floor', 'CITIZEN', $3, $4, $5, 'BOOK', $6)
"""
# One booking per slot and per (booker, key): the database's unique indexes decide.
BOOK = """
INSERT INTO booking (citizen_id, slot_id, clinic_id, booking_type_id, starts_at, ends_at,
    status, reason, cancellation_allowed, rebooking_allowed, message_allowed, booked_by_id,
    created_at, changed_at, idempotency_key)
VALUES ($1, $2, $3, $4, $5, $6, 'BOOKED', $7, $8, $9, $10, $11, $12, $12, $13)
ON CONFLICT DO NOTHING
RETURNING id
"""
REPLAYED = """
SELECT id, slot_id, citizen_id FROM booking WHERE booked_by_id = $1 AND idempotency_key = $2
"""


class Refused(Exception):
    """A booking refused with a userError, its transaction (and audit row) rolled back."""

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(message)
        self.error = {"code": code, "field": ["input", field], "message": message}


class Floor:
    def __init__(self) -> None:
        env = os.environ
        self.pool: asyncpg.Pool | None = None
        self.dsn = env["VARDGRAF_DATABASE_URL"].replace("postgresql+asyncpg", "postgresql")
        self.pool_size = int(env.get("VARDGRAF_DATABASE_POOL_SIZE", "10"))
        self.ids = IdCodec(env["VARDGRAF_SECRET_KEY"])
        self.cursors = CursorCodec(env["VARDGRAF_SECRET_KEY"])
        self.issuer = env["VARDGRAF_CITIZEN_ISSUER"]
        jwks = json.loads(Path(env["VARDGRAF_CITIZEN_JWKS_FILE"]).read_text())
        self.keys = {key["kid"]: key for key in jwks["keys"]}
        root = Path(__file__).resolve().parent.parent
        self.regions = load_regions(root / "regions.toml")
        trusted = TrustedDocuments.from_directory(root / "contract").documents()
        self.operations = {
            d.id: d.label.removeprefix("citizen/")
            for d in trusted
            if d.label in ("citizen/Me", "citizen/BookedTimes", "citizen/BookAppointment")
        }

    def viewer_number(self, request: Request) -> str:
        token = request.headers["authorization"].removeprefix("Bearer ")
        key = self.keys[jwt.get_unverified_header(token)["kid"]]
        claims = jwt.decode(
            token, key, algorithms=["RS256"], audience="vardgraf", issuer=self.issuer
        )
        if claims.get("acr") != LOA3:
            raise PermissionError("level of assurance")
        return str(claims["sub"])

    async def answer(self, request: Request) -> Response:
        body = json.loads(await request.body())
        operation = self.operations[body["documentId"]]
        number = self.viewer_number(request)
        now = datetime.now(UTC)
        assert self.pool is not None
        async with self.pool.acquire() as connection:
            viewer = await connection.fetchrow(VIEWER, number)
            if viewer is None or viewer["deceased"] or Personnummer(number).is_coordination_number:
                return Response(b'{"errors":[]}', status_code=401)
            if operation == "Me":
                data = await self.me(connection, viewer, now)
            elif operation == "BookAppointment":
                data = await self.book(connection, viewer, body["variables"]["input"], now)
            else:
                data = await self.booked_times(connection, viewer, body["variables"], now)
        content = json.dumps({"data": data}, ensure_ascii=False, separators=(",", ":"))
        return Response(content.encode(), media_type="application/json; charset=utf-8")

    async def me(self, connection: Any, viewer: Any, now: datetime) -> dict[str, Any]:
        today = now.astimezone(STOCKHOLM).date()
        children = await self.children(connection, viewer, today)
        await self.audit(connection, now, viewer["id"], viewer["id"], ["READ_PROFILE"])
        code = viewer["home_region_code"]
        return {
            "me": {
                "id": self.ids.encode(NodeKind.CITIZEN, viewer["id"]),
                "personnummer": f"{viewer['personnummer'][:8]}-{viewer['personnummer'][8:]}",
                "givenName": viewer["given_name"],
                "familyName": viewer["family_name"],
                "birthDate": viewer["birth_date"].isoformat(),
                "homeRegion": {
                    "code": code,
                    "name": viewer["region_name"],
                    "features": [f.value for f in self.regions.features(code)],
                },
                "represented": [
                    {
                        "id": self.ids.encode(NodeKind.CITIZEN, child["id"]),
                        "givenName": child["given_name"],
                        "familyName": child["family_name"],
                        "birthDate": child["birth_date"].isoformat(),
                        "representedUntil": (
                            add_years(child["birth_date"], 13) - timedelta(days=1)
                        ).isoformat(),
                    }
                    for child in children
                ],
            }
        }

    async def children(self, connection: Any, viewer: Any, today: date) -> list[Any]:
        if viewer["protected_identity"] or add_years(viewer["birth_date"], 13) > today:
            return []
        rows: list[Any] = await connection.fetch(CHILDREN, viewer["id"], add_years(today, -13))
        return rows

    async def booked_times(
        self, connection: Any, viewer: Any, variables: dict[str, Any], now: datetime
    ) -> dict[str, Any]:
        subject_id = self.ids.decode_as(variables["citizenId"], NodeKind.CITIZEN)
        today = now.astimezone(STOCKHOLM).date()
        if subject_id == viewer["id"]:
            subject = viewer
        else:
            children = await self.children(connection, viewer, today)
            subject = next((c for c in children if c["id"] == subject_id), None)
            if subject is None:
                return {"citizen": None}
        first = int(variables["first"])
        day = now.astimezone(STOCKHOLM).date()
        behalf = subject["id"] if subject["id"] != viewer["id"] else None
        actions = ["READ_PROFILE", "READ_BOOKINGS"]
        rows = await connection.fetch(
            LOGGED_BOOKINGS, subject["id"], now, first + 1, day, viewer["id"], behalf, actions
        )
        edges = [self.booking_edge(row, now) for row in rows[:first]]
        return {
            "citizen": {
                "id": self.ids.encode(NodeKind.CITIZEN, subject["id"]),
                "givenName": subject["given_name"],
                "bookings": {
                    "edges": edges,
                    "pageInfo": {
                        "hasNextPage": len(rows) > first,
                        "endCursor": edges[-1]["cursor"] if edges else None,
                    },
                },
            }
        }

    async def book(
        self, connection: Any, viewer: Any, given: dict[str, Any], now: datetime
    ) -> dict[str, Any]:
        """bookAppointment with its guarantees: acting for oneself or a child (R-01..R-30),
        the registered name (R-87), a slot ahead at a clinic booking online (R-80), the audit
        row first and in the same transaction (R-41), one booking per slot and per key."""
        try:
            booking = await self.booked(connection, viewer, given, now)
        except Refused as refused:
            return {"bookAppointment": {"booking": None, "userErrors": [refused.error]}}
        return {"bookAppointment": {"booking": booking, "userErrors": []}}

    async def booked(
        self, connection: Any, viewer: Any, given: dict[str, Any], now: datetime
    ) -> dict[str, Any]:
        subject_id = self.ids.decode_as(given["citizenId"], NodeKind.CITIZEN)
        subject = viewer if subject_id == viewer["id"] else None
        if subject is None:
            today = now.astimezone(STOCKHOLM).date()
            children = await self.children(connection, viewer, today)
            subject = next((c for c in children if c["id"] == subject_id), None)
        if subject is None:
            raise Refused("NOT_FOUND", "citizenId", "No such person.")
        if not (subject["given_name"].strip() and subject["family_name"].strip()):
            raise Refused("NAME_MISSING", "citizenId", "A registered name is needed.")
        slot_id = self.ids.decode_as(given["slotId"], NodeKind.SLOT)
        slot = None if slot_id is None else await connection.fetchrow(SLOT, slot_id)
        if slot is None:
            raise Refused("NOT_FOUND", "slotId", "No such slot.")
        if slot["starts_at"] <= now:
            raise Refused("SLOT_IN_PAST", "slotId", "The slot has already started.")
        if not (
            slot["online_booking"] and Feature.BOOKING in self.regions.features(slot["region_code"])
        ):
            raise Refused(
                "ONLINE_BOOKING_UNAVAILABLE", "slotId", "This clinic has no online booking."
            )
        key = given.get("idempotencyKey")
        behalf = subject["id"] if subject["id"] != viewer["id"] else None
        day = now.astimezone(STOCKHOLM).date()
        async with connection.transaction():
            await connection.execute(
                BOOK_AUDIT, now, day, viewer["id"], behalf, subject["id"], slot["clinic_id"]
            )
            booking_id = await connection.fetchval(
                BOOK,
                subject["id"],
                slot["id"],
                slot["clinic_id"],
                slot["booking_type_id"],
                slot["starts_at"],
                slot["ends_at"],
                given.get("reason"),
                slot["cancellation_allowed"],
                slot["rebooking_allowed"],
                slot["message_allowed"],
                viewer["id"],
                now,
                key,
            )
            if booking_id is None:
                booking_id = await self.replayed(connection, viewer, subject, slot, key)
        return {
            "id": self.ids.encode(NodeKind.BOOKING, booking_id),
            "startsAt": slot["starts_at"].astimezone(STOCKHOLM).isoformat(),
            "endsAt": slot["ends_at"].astimezone(STOCKHOLM).isoformat(),
            "status": "BOOKED",
            "clinic": {
                "id": self.ids.encode(NodeKind.CLINIC, slot["clinic_id"]),
                "name": slot["clinic_name"],
            },
            "bookingType": {
                "id": self.ids.encode(NodeKind.BOOKING_TYPE, slot["booking_type_id"]),
                "name": slot["type_name"],
            },
        }

    async def replayed(
        self, connection: Any, viewer: Any, subject: Any, slot: Any, key: str | None
    ) -> int:
        """A conflict: the same order again under its key (its booking answers), or the slot
        taken (refused: the transaction and its audit row roll back)."""
        first = None if key is None else await connection.fetchrow(REPLAYED, viewer["id"], key)
        if first is not None and (first["slot_id"], first["citizen_id"]) == (
            slot["id"],
            subject["id"],
        ):
            return int(first["id"])
        if first is not None:
            raise Refused(
                "IDEMPOTENCY_KEY_REUSED",
                "idempotencyKey",
                "This key already made another booking; use a new key for a new booking.",
            )
        raise Refused("SLOT_TAKEN", "slotId", "The slot was just taken.")

    def booking_edge(self, row: Any, now: datetime) -> dict[str, Any]:
        starts_at: datetime = row["starts_at"]
        ahead = starts_at > now
        return {
            "cursor": self.cursors.encode(Position(starts_at, row["id"])),
            "node": {
                "id": self.ids.encode(NodeKind.BOOKING, row["id"]),
                "startsAt": starts_at.astimezone(STOCKHOLM).isoformat(),  # R-88, as ours
                "endsAt": row["ends_at"].astimezone(STOCKHOLM).isoformat(),
                "status": "BOOKED",
                "bookingType": {
                    "id": self.ids.encode(NodeKind.BOOKING_TYPE, row["type_id"]),
                    "name": row["type_name"],
                },
                "clinic": {
                    "id": self.ids.encode(NodeKind.CLINIC, row["clinic_id"]),
                    "name": row["clinic_name"],
                    "region": {"code": row["region_code"], "name": row["region_name"]},
                    "address": {
                        "street": row["street"],
                        "postalCode": row["postal_code"],
                        "city": row["city"],
                    },
                },
                "canCancel": ahead and row["cancellation_allowed"],
                "canRebook": ahead and row["rebooking_allowed"],
                "canMessage": row["message_allowed"],
            },
        }

    async def audit(
        self, connection: Any, now: datetime, actor: int, subject: int, actions: list[str]
    ) -> None:
        behalf = subject if subject != actor else None
        day = now.astimezone(STOCKHOLM).date()
        await connection.execute(AUDIT, now, day, "floor", actor, behalf, subject, actions)


def application() -> Starlette:
    floor = Floor()

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> Any:
        floor.pool = await asyncpg.create_pool(
            floor.dsn, min_size=floor.pool_size, max_size=floor.pool_size
        )
        yield
        await floor.pool.close()

    return Starlette(routes=[Route("/graphql", floor.answer, methods=["POST"])], lifespan=lifespan)
