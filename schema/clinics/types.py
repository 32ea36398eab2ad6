"""Regions, clinics and their booking types.

Their objects are never changed once built (`@shared_as_built`): the catalogue's are kept for
every request (app/data/shared_objects.py), and a selection remembers what it made of each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Private

from app.context import Info
from app.data.models import Region as RegionRow
from app.data.records import AnyBookingType, AnyClinic
from app.data.shared_objects import shared_as_built
from app.domain.ids import IdCodec, NodeKind
from app.domain.regions_config import Feature, RegionsConfig
from schema.node import Node
from schema.pagination import Edge, PageInfo
from schema.scalars import HsaIdValue

if TYPE_CHECKING:
    from schema.errands.types import ErrandType
    from schema.listing.types import ListingTerms


strawberry.enum(
    Feature,
    name="RegionFeature",
    description="An e-service function a region can offer (a padlock when not).",
)


@shared_as_built
@strawberry.type(description="One of Sweden's 21 healthcare regions.")
class Region:
    code: str = strawberry.field(description='County code, "01".."25".')
    name: str = strawberry.field(description="The region's name, e.g. Region Stockholm.")
    features: list[Feature] = strawberry.field(
        description="The functions this region offers; others are shown as unavailable."
    )

    @classmethod
    def from_row(cls, row: RegionRow, regions: RegionsConfig) -> Region:
        return cls(code=row.code, name=row.name, features=regions.features(row.code))


@shared_as_built
@strawberry.type(description="A postal address.")
class Address:
    street: str = strawberry.field(description="Street and number.")
    postal_code: str = strawberry.field(description="Postal code, e.g. 111 22.")
    city: str = strawberry.field(description="Postal town.")


@shared_as_built
@strawberry.type(description="A kind of appointment a clinic publishes free times for.")
class BookingType(Node):
    name: str = strawberry.field(description="What the appointment is, e.g. Vaccination.")
    duration_minutes: int = strawberry.field(description="Length of one appointment.")

    @classmethod
    def from_row(cls, row: AnyBookingType, ids: IdCodec) -> BookingType:
        assert row.id is not None
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.BOOKING_TYPE, row.id)),
            name=row.name,
            duration_minutes=row.duration_minutes,
        )


@strawberry.interface(
    description="A care unit: a clinic of 1177's catalogue, or a unit of a region's own system "
    "(a ward, a lab) as that system names it."
)
class CareUnit:
    hsa_id: HsaIdValue = strawberry.field(description="The care unit's HSA-id.")
    name: str = strawberry.field(description="The care unit's name.")


@shared_as_built  # a few units name many records: built by schema/clinics/build.py
@strawberry.type(description="A care unit as a region's own system names it (R-136).")
class RegionalCareUnit(CareUnit):
    pass


@shared_as_built
@strawberry.type(description="A care unit (mottagning, vårdcentral) identified by its HSA-id.")
class Clinic(Node, CareUnit):
    hsa_id: HsaIdValue = strawberry.field(description="The care unit's HSA-id.")
    name: str = strawberry.field(description="The clinic's name.")
    phone: str = strawberry.field(description="Telephone number.")
    opening_hours: str = strawberry.field(description="Opening hours, as the clinic states them.")
    online_booking: bool = strawberry.field(
        description="Whether the clinic is activated for online booking."
    )
    region: Region = strawberry.field(description="The region the clinic belongs to.")
    address: Address = strawberry.field(description="Visiting address.")
    row: Private[AnyClinic]

    @classmethod
    def from_rows(cls, row: AnyClinic, region: Region, ids: IdCodec) -> Clinic:
        assert row.id is not None
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.CLINIC, row.id)),
            hsa_id=HsaIdValue(row.hsa_id),
            name=row.name,
            phone=row.phone,
            opening_hours=row.opening_hours,
            online_booking=row.online_booking,
            region=region,  # one per region for all of a list's clinics
            address=Address(street=row.street, postal_code=row.postal_code, city=row.city),
            row=row,
        )

    @strawberry.field(description="The kinds of appointment bookable here.")
    async def booking_types(self, info: Info) -> list[BookingType]:
        assert self.row.id is not None
        rows = await info.context.loaders.booking_types_of_clinic.load(self.row.id)
        return [BookingType.from_row(row, info.context.ids) for row in rows]

    @strawberry.field(description="Whether one can list here, and whether it has a queue.")
    async def listing_terms(
        self, info: Info
    ) -> Annotated[ListingTerms, strawberry.lazy("schema.listing.types")]:
        # Imported here: listing types refer back to Clinic.
        from schema.listing.types import listing_terms_of

        return await listing_terms_of(info.context, self.row)

    @strawberry.field(
        description="The errand types offered here: the region's base offering and the clinic's "
        "own. With forCitizen, `available` says whether you can use the type for that citizen "
        "(yourself or a child you represent)."
    )
    async def errand_types(
        self,
        info: Info,
        for_citizen: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="A citizen (yourself or a child) to judge for."),
        ] = None,
    ) -> list[Annotated[ErrandType, strawberry.lazy("schema.errands.types")]]:
        # Imported here: errand types are built from a module that refers back to Clinic.
        from schema.clinics.errand_types import errand_types_of_clinic

        return await errand_types_of_clinic(info.context, self.row, for_citizen)


@strawberry.type(description="A page of clinics, with the number of matches.")
class ClinicConnection:
    edges: list[Edge[Clinic]] = strawberry.field(description="The clinics of this page.")
    page_info: PageInfo = strawberry.field(description="How to continue.")
    count: Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many clinics match in all (counted only when asked).")
    async def total_count(self) -> int:
        return await self.count()
