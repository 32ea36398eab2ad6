"""Sending what attackers send, and checking the exact answer and that nothing was written."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx

from app.data.models import Citizen
from tests.client import Api

GRAPHQL_RESPONSE = "application/graphql-response+json"


class Hostile:
    """One caller (a logged-in citizen) whose every refused request must leave no trace."""

    def __init__(self, api: Api, citizen: Citizen) -> None:
        self.api = api
        self.token = api.token(citizen)

    async def send(
        self,
        body: dict[str, Any] | None = None,
        *,
        content: bytes | AsyncIterator[bytes] | None = None,
        method: str = "POST",
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        may_write: bool = False,
    ) -> httpx.Response:
        """The response, after checking it is no 5xx, has no trace and (unless it `may_write`:
        a read that is let through writes its audit row) wrote no row."""
        before = await self.api.table_rows()
        response = await self.api.client.request(
            method,
            "/graphql",
            json=body,
            content=content,
            params=params,
            headers={"authorization": f"Bearer {self.token}", **(headers or {})},
        )
        assert response.status_code < 500, response.text
        assert "Traceback" not in response.text
        if not may_write:
            assert await self.api.table_rows() == before, "a refused request wrote something"
        return response

    async def run(self, query: str) -> dict[str, Any]:
        """The answer to a document that should pass the gate (it may read, and be audited)."""
        response = await self.api.post(query, token=self.token)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def refused(self, query: str, **variables: Any) -> tuple[int, dict[str, Any]]:
        """Status and body of a document sent as application/graphql-response+json."""
        response = await self.send(
            {"query": query, "variables": variables}, headers={"accept": GRAPHQL_RESPONSE}
        )
        body: dict[str, Any] = response.json()
        return response.status_code, body


def refusal(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}
