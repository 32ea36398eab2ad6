"""Migrations and models agree: the migrated database is exactly what the models describe."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import app.data.models  # noqa: F401  (registers the tables)
from app.data.migrate import ours
from tests.databases import Databases

pytestmark = pytest.mark.anyio


async def test_models_match_the_migrated_schema(databases: Databases, empty_template: str) -> None:
    url = await databases.clone(empty_template)
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"include_name": ours}), SQLModel.metadata
            )
        )
    await engine.dispose()
    await databases.drop(url)
    assert differences == []
