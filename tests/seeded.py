"""Finding the seeded demo people in a test's copy of the seeded database."""

from __future__ import annotations

from sqlmodel import col, select

from app.data.models import Citizen
from tests.client import Api


async def seeded_citizen(api: Api, given: str, family: str) -> Citizen:
    async with api.resources.sessions() as session:
        citizen = await session.scalar(
            select(Citizen).where(
                col(Citizen.given_name) == given, col(Citizen.family_name) == family
            )
        )
    assert citizen is not None, f"{given} {family} is not seeded"
    return citizen
