"""A region's listings as its FHIR R4 server holds them: the way back of
app/sources/fhir/listing.py (EpisodeOfCare for a listing, Task for a waiting request), for the
stand-in server of the demo and the tests, built through the FHIR models."""

from __future__ import annotations

import httpx
from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import Citizen
from app.data.models.region_listing import RegionListing
from app.sources.fhir import mapping
from app.sources.fhir.journal_writing import checked
from app.sources.fhir.listing import JOIN_QUEUE, LISTING_KIND
from seeds.fhir_journal import Resource, patient_resource

EPISODE_STATUS = {"ACTIVE": "active", "ENDED": "finished"}


def listing_resource(row: RegionListing, patient_id: str) -> Resource:
    """A listing (ACTIVE, ENDED) as an EpisodeOfCare, a waiting request as a Task."""
    kind = {"coding": [{"system": LISTING_KIND, "code": row.listing_type}]}
    unit = {
        "identifier": {"system": mapping.HSA_ID, "value": row.unit_hsa_id},
        "display": row.unit_name,
    }
    if row.status == "PENDING":
        return checked(
            {
                "resourceType": "Task",
                "status": "requested",
                "intent": "order",
                "code": kind,
                "for": {"reference": f"Patient/{patient_id}"},
                "owner": unit,
                "authoredOn": row.requested_at.isoformat(),
                "input": [{"type": {"text": JOIN_QUEUE}, "valueBoolean": row.join_queue}],
            }
        )
    period = {"start": row.valid_from.isoformat() if row.valid_from else None}
    if row.valid_to is not None:
        period["end"] = row.valid_to.isoformat()
    return checked(
        {
            "resourceType": "EpisodeOfCare",
            "status": EPISODE_STATUS[row.status],
            "type": [kind],
            "patient": {"reference": f"Patient/{patient_id}"},
            "managingOrganization": unit,
            "period": period,
        }
    )


async def publish_listings(
    sessions: SessionFactory, codes: list[str], client: httpx.AsyncClient
) -> int:
    """Copy the seeded listings of regions `codes` (seeds/listing.py) into the stand-in server
    at `client`'s base URL; how many. Seeded listings are first listings or waiting requests."""
    async with sessions() as session:
        rows = (
            await session.scalars(
                select(RegionListing)
                .where(col(RegionListing.region_code).in_(codes))
                .order_by(col(RegionListing.id))
            )
        ).all()
        numbers = {row.patient_personnummer for row in rows}
        people = (
            await session.scalars(select(Citizen).where(col(Citizen.personnummer).in_(numbers)))
        ).all()
    patients: dict[str, str] = {}
    for person in people:
        response = await client.post(
            "Patient",
            json=patient_resource(person.personnummer, person.given_name, person.family_name),
            headers={"If-None-Exist": f"identifier={mapping.PERSONNUMMER}|{person.personnummer}"},
        )
        response.raise_for_status()
        patients[person.personnummer] = str(response.json()["id"])
    for row in rows:
        resource = listing_resource(row, patients[row.patient_personnummer])
        response = await client.post(resource["resourceType"], json=resource)
        response.raise_for_status()
    return len(rows)
