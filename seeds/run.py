"""Seed the database: deterministic for a given day, and idempotent (a seeded database is left
as it is; delete var/ to start over)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import col

from app.data.db import SessionFactory, write_transaction
from app.data.models import Citizen, Region, Staff
from seeds.activity import seed_activity
from seeds.catalogue import seed_catalogue
from seeds.complaints import seed_complaints
from seeds.journal import seed_journals
from seeds.listing import seed_listing_terms, seed_listings
from seeds.medications import seed_medications
from seeds.people import seed_people
from seeds.programs import seed_programs
from seeds.samples import seed_samples
from seeds.staff import EVA
from seeds.usage import seed_usage

DEFAULT_CITIZENS = 60


@dataclass(frozen=True)
class SeedResult:
    created: bool
    citizens: int


async def seed(
    sessions: SessionFactory, today: date, citizens: int = DEFAULT_CITIZENS
) -> SeedResult:
    async with write_transaction(sessions) as session:
        if (await session.scalar(select(func.count()).select_from(Region))) or 0:
            count = await session.scalar(select(func.count()).select_from(Citizen))
            return SeedResult(created=False, citizens=int(count or 0))
        rng = random.Random(f"vardgraf-seed-{today.isoformat()}")
        clinics = await seed_catalogue(session, rng, today)
        people = await seed_people(session, rng, today, citizens)
        await seed_activity(session, rng, today, people, clinics)
        adults = [c for c in people.everyone if c not in people.named.values()]
        await seed_journals(session, rng, today, people.named, adults)
        await seed_medications(session, today, people.named, adults)
        seed_listing_terms(session, clinics)
        seed_listings(session, today, people.named, adults, clinics)
        eva = await session.scalar(select(Staff).where(col(Staff.hsa_id) == EVA))
        assert eva is not None  # seeds/staff.py's first worker
        await seed_samples(session, today, people.named, clinics, eva)
        await seed_complaints(session, today, people.named, clinics)
        await seed_programs(session, today, people.named, clinics, eva)
        await seed_usage(session, rng, today)
        return SeedResult(created=True, citizens=len(people.everyone))
