"""Probes for the orchestrator: /healthz (the process answers) and /readyz (it can serve).

Ready means the database answers. Regional sources are reported (their circuit breakers, as
real traffic left them) but do not make an instance unready: a region that is down is down for
every instance alike, and taking them all out of rotation would turn one region's outage into
everyone's. Probes ask no regional system themselves, so a fleet of probes adds no load there.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from app.resources import Resources

logger = logging.getLogger("vardgraf.health")


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "alive"})


async def readyz(request: Request) -> JSONResponse:
    resources: Resources = request.app.state.resources
    database = await _database(resources)
    sources = {name: b.state.value for name, b in sorted(resources.sources.breakers.items())}
    ready = database == "ok"
    return JSONResponse(
        {"status": "ready" if ready else "unready", "database": database, "sources": sources},
        status_code=200 if ready else 503,
    )


async def _database(resources: Resources) -> str:
    try:
        async with asyncio.timeout(resources.settings.readiness_timeout_seconds):
            async with resources.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except Exception:  # any failure means not ready; the reason goes to the log
        logger.warning("readiness: the database did not answer", exc_info=True)
        return "unreachable"
    return "ok"
