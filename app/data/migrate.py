"""Alembic migrations are the only way the schema is created, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from app.data.db import transactional

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


JOB_ENGINE_TABLES = "pgqueuer"  # PgQueuer's tables (migration 0011): its own, not our models


def ours(name: str | None, type_: str, _parents: object) -> bool:
    """What our models describe: every table but the job engine's, which it defines itself
    (Alembic's include_name hook, for autogenerate and the models-match-migrations test)."""
    return not (type_ == "table" and name is not None and name.startswith(JOB_ENGINE_TABLES))


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with transactional(engine).begin() as connection:
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))
