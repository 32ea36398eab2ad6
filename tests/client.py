"""Talking to the real app in-process: httpx over ASGI, tokens from the dev issuer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, func, select
from sqlmodel import SQLModel
from starlette.applications import Starlette

from app.data.models import Citizen, Staff
from app.data.store.regions import CATALOGUE_FILL
from app.domain.clock import FixedClock
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.resources import Resources

CONTRACT = Path(__file__).resolve().parent.parent / "contract"
STATEMENT_PREFIXES = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


def without_cost(body: dict[str, Any]) -> dict[str, Any]:
    """The answer without extensions.cost (its remaining budget differs request by request),
    so two answers can be compared whole: same data, same errors, nothing else."""
    extensions = {k: v for k, v in body.get("extensions", {}).items() if k != "cost"}
    answer = {k: v for k, v in body.items() if k != "extensions"}
    return {**answer, "extensions": extensions} if extensions else answer


def contract_document(name: str) -> str:
    """A registered client document, e.g. "citizen/Me.graphql", from the project's copy."""
    return (CONTRACT / name).read_text()


@dataclass
class StatementCounter:
    """Counts SQL statements (not BEGIN/COMMIT) the engine sends while `counting` is on.

    The rate limiter's own statements (its spend, one per operation: tests/graphql/
    test_rate_limits.py counts it) and the region catalogue's fill (once per process:
    tests/graphql/test_region_catalogue.py) are left out: these counts are about what
    answering costs. On PostgreSQL a citizen's spend reads the viewer too (one statement
    beginning WITH): that one is counted, as the viewer's read it stands for."""

    statements: list[str] = field(default_factory=list)
    counting: bool = False

    def __call__(
        self, _conn: Any, _cursor: Any, statement: str, _parameters: Any, context: Any, *_: Any
    ) -> None:
        if not self.counting or _rate_limiter_alone(statement):
            return
        if context is not None and context.execution_options.get(CATALOGUE_FILL):
            return
        if statement.lstrip().upper().startswith(STATEMENT_PREFIXES):
            self.statements.append(statement)


def _rate_limiter_alone(statement: str) -> bool:
    return (
        statement.lstrip()
        .upper()
        .startswith(("INSERT INTO RATE_BUCKET", "DELETE FROM RATE_BUCKET"))
    )


@dataclass
class Api:
    app: Starlette
    client: httpx.AsyncClient
    clock: FixedClock
    counter: StatementCounter

    @property
    def resources(self) -> Resources:
        resources: Resources = self.app.state.resources
        return resources

    @property
    def access_log_alone(self) -> int:
        """The statements a request's read access-log rows take of their own: on SQLite one
        INSERT; on PostgreSQL none when a read follows them, as they go with that read's
        statement (app/access/audit.py, AuditTrail.board)."""
        return 0 if self.resources.engine.dialect.name == "postgresql" else 1

    def token(self, citizen: Citizen) -> str:
        assert self.resources.dev_issuer is not None
        return self.resources.dev_issuer.citizen_token(citizen.personnummer)

    def staff_token(self, staff: Staff) -> str:
        assert self.resources.dev_staff_issuer is not None
        return self.resources.dev_staff_issuer.token(staff.hsa_id)

    def id_of(self, kind: NodeKind, row: Any) -> str:
        return self.resources.ids.encode(kind, pk(row))

    def free_times(
        self, clinic: Any, kind: Any, start: date, days: int = 7, first: int = 10
    ) -> dict[str, Any]:
        """AvailableSlots' variables: `kind`'s free times at `clinic`, `days` from `start`."""
        return {
            "clinicId": self.id_of(NodeKind.CLINIC, clinic),
            "bookingTypeId": self.id_of(NodeKind.BOOKING_TYPE, kind),
            "from": start.isoformat(),
            "to": (start + timedelta(days=days)).isoformat(),
            "first": first,
        }

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        as_: Citizen | Staff | None = None,
    ) -> dict[str, Any]:
        """The JSON answer of a GraphQL request; asserts it was not an HTTP failure."""
        token = (
            None
            if as_ is None
            else self.staff_token(as_)
            if isinstance(as_, Staff)
            else self.token(as_)
        )
        response = await self.post(query, variables, token)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def table_rows(self) -> dict[str, int]:
        """Rows in every table (rate-limit buckets aside): equal before and after a refused
        request means it wrote nothing, not even an audit row."""
        counts: dict[str, int] = {}
        async with self.resources.sessions() as session:
            for table in SQLModel.metadata.sorted_tables:
                if table.name != "rate_bucket":
                    counts[table.name] = (
                        await session.scalar(select(func.count()).select_from(table)) or 0
                    )
        return counts

    async def count_statements(
        self, query: str, variables: dict[str, Any], *, as_: Citizen
    ) -> tuple[dict[str, Any], int]:
        self.counter.statements.clear()
        self.counter.counting = True
        try:
            body = await self.gql(query, variables, as_=as_)
        finally:
            self.counter.counting = False
        return body, len(self.counter.statements)


@contextmanager
def statements_containing(api: Api, text: str) -> Iterator[list[str]]:
    """The SQL statements the app sends while inside the block that contain `text`."""
    found: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if text in statement:
            found.append(statement)

    engine = api.resources.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", record)


def attach_counter(app: Starlette) -> StatementCounter:
    counter = StatementCounter()
    event.listen(app.state.resources.engine.sync_engine, "before_cursor_execute", counter)
    return counter
