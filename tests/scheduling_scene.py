"""One clinic in Skåne (region 12), its region served by the adapter a test names: "sql" (rows
in our database) or "fhir" (the stand-in FHIR server). Tests speak to both through the same
GraphQL documents; only putting booking types, slots, certificates and forms in place differs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.data.models import BookingType, Citizen, Clinic, Region
from app.domain.ids import NodeKind
from app.domain.keys import pk
from tests.client import Api, contract_document
from tests.conftest import app_on
from tests.databases import Databases
from tests.factories import World
from tests.fhir_server import FhirRegion, FhirServer
from tests.regions import with_region_changed

CLINIC_PAGE = contract_document("citizen/ClinicPage.graphql")
SLOTS = contract_document("citizen/AvailableSlots.graphql")
BOOK = contract_document("citizen/BookAppointment.graphql")


@dataclass
class Scene:
    adapter: str
    api: Api
    world: World
    clinic: Clinic
    alice: Citizen
    bob: Citizen
    fhir: FhirRegion | None
    stockholm: Region  # region 01, always on the SQL source

    async def booking_type(self, **flags: Any) -> str:
        """A booking type at the clinic, in the region's source; its public id."""
        if self.fhir is not None:
            await self.fhir.booking_type(self.clinic, **flags)
        else:
            await self.world.booking_type(self.clinic, **flags)
        page = await self.api.gql(
            CLINIC_PAGE,
            {"clinicId": self.clinic_id, "citizenId": self.id_of(self.alice)},
            as_=self.alice,
        )
        assert "errors" not in page, page
        return str(page["data"]["clinic"]["bookingTypes"][-1]["id"])

    async def clinic_directory_says(self, street: str, city: str, phone: str) -> None:
        """The region's directory describes the clinic so (SQL: our catalogue is it)."""
        if self.fhir is not None:
            await self.fhir.location(self.clinic, street, city, phone)
            return
        async with self.api.resources.sessions() as session:
            row = await session.get(Clinic, pk(self.clinic))
            assert row is not None
            row.street, row.city, row.phone = street, city, phone
            row.opening_hours = "mån–fre 08:00–17:00"
            await session.commit()

    async def certificate(self, issued_at: datetime, title: str, **more: Any) -> None:
        """A certificate of Alice's from the clinic, in the region's source."""
        if self.fhir is not None:
            await self.fhir.certificate(self.alice, self.clinic, issued_at, title, **more)
            return
        recipients = list(more.pop("recipients", ("FKASSA",)))
        await self.world.certificate(
            self.alice, self.clinic, issued_at=issued_at, title=title, recipients=recipients
        )

    async def form_request(self, questions: list[dict[str, Any]], sent_at: datetime) -> None:
        """A form of `questions` sent to Alice by the clinic, in the region's source."""
        if self.fhir is not None:
            await self.fhir.form_request(self.alice, self.clinic, questions, sent_at)
            return
        form = await self.world.form(self.clinic, questions)
        await self.world.form_request(self.alice, form, sent_at=sent_at)

    async def slots(self, booking_type_id: str, *starts: datetime) -> None:
        key = self.api.resources.ids.decode_as(booking_type_id, NodeKind.BOOKING_TYPE)
        assert key is not None
        if self.fhir is not None:
            service = (await self.api.resources.sources.refs.records_of([key]))[key]
            for start in starts:
                await self.fhir.slot(service.foreign_id, start)
            return
        kind = BookingType(id=key, clinic_id=pk(self.clinic), name="", duration_minutes=20)
        for start in starts:
            await self.world.slot(kind, start)

    async def free(self, booking_type_id: str, first: int = 50, **more: Any) -> dict[str, Any]:
        body = await self.api.gql(
            SLOTS,
            {
                "clinicId": self.clinic_id,
                "bookingTypeId": booking_type_id,
                "from": "2026-11-25",
                "to": "2026-12-31",
                "first": first,
                **more,
            },
            as_=self.alice,
        )
        assert "errors" not in body, body
        page: dict[str, Any] = body["data"]["availableSlots"]
        return page

    async def free_ids(self, booking_type_id: str) -> list[str]:
        return [edge["node"]["id"] for edge in (await self.free(booking_type_id))["edges"]]

    async def book(self, slot_id: str, who: Citizen | None = None, **more: Any) -> dict[str, Any]:
        who = who or self.alice
        body = await self.api.gql(
            BOOK, {"input": {"citizenId": self.id_of(who), "slotId": slot_id, **more}}, as_=who
        )
        assert "errors" not in body, body
        payload: dict[str, Any] = body["data"]["bookAppointment"]
        return payload

    @property
    def clinic_id(self) -> str:
        return self.api.id_of(NodeKind.CLINIC, self.clinic)

    def id_of(self, citizen: Citizen) -> str:
        return self.api.id_of(NodeKind.CITIZEN, citizen)


async def scene_on(
    adapter: str,
    databases: Databases,
    template: str,
    tmp_path: Path,
    fhir_server: FhirServer,
    **overrides: Any,
) -> AsyncIterator[Scene]:
    fhir = fhir_server.tenant() if adapter == "fhir" else None
    if fhir is not None:
        overrides["regions_file"] = with_region_changed(
            tmp_path,
            "12",
            'source = "sql"',
            f'source = "fhir"\nsettings = {{ base_url = "{fhir.base_url}" }}',
        )
    url = await databases.clone(template)
    async for api in app_on(url, tmp_path, **overrides):
        world = World(api.resources.sessions, api.clock.now())
        clinic = await world.clinic(await world.region("12"), "Vårdcentralen Lund", city="Lund")
        stockholm = await world.region("01")
        alice = await world.citizen(date(1980, 1, 1), "Alice")
        bob = await world.citizen(date(1985, 5, 5), "Bob")
        yield Scene(adapter, api, world, clinic, alice, bob, fhir, stockholm)
    await databases.drop(url)
