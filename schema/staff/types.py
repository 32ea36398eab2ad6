"""The staff tool's view: who I am, the clinics where I hold commissions, and their work."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import Private

from app.context import Info
from app.data.models import Staff as StaffRow
from app.data.records import AnyClinic
from app.domain.ids import IdCodec, NodeKind
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from schema.arguments import After, First, Id, RegionCode
from schema.clinics.types import BookingType
from schema.errands.types import ErrandStatus, ErrandType
from schema.forms.types import Form
from schema.listing.types import ListingRequest
from schema.pagination import Connection
from schema.programs.types import Program, ProgramParticipant
from schema.samples.types import SampleOrder
from schema.scalars import HsaIdValue, PersonnummerValue
from schema.staff.clinic_setup import errand_types_of_workspace_clinic, forms_of_clinic
from schema.staff.complaint_queue import ComplaintQueueConnection, complaint_queue
from schema.staff.errand_queue import clinic_errands
from schema.staff.listing_requests import listing_requests_of_region
from schema.staff.programs import (
    participant_at_clinic,
    participants_of_clinic,
    programs_of_clinic,
)
from schema.staff.queue import ClinicErrandConnection
from schema.staff.sample_orders import sample_orders_at_unit
from schema.staff.sent_messages import SentMessage, sent_messages_of_clinic

strawberry.enum(StaffRole, description="What a commission (medarbetaruppdrag) allows.")


@strawberry.type(description="A care worker, as the HSA catalogue knows them.")
class StaffMember:
    hsa_id: HsaIdValue = strawberry.field(description="The person's HSA-id.")
    given_name: str = strawberry.field(description="Given name.")
    family_name: str = strawberry.field(description="Family name.")

    @classmethod
    def from_row(cls, row: StaffRow) -> StaffMember:
        return cls(
            hsa_id=HsaIdValue(row.hsa_id), given_name=row.given_name, family_name=row.family_name
        )


@strawberry.type(description="A clinic where I hold a commission, with the work it allows.")
class WorkspaceClinic:
    id: strawberry.ID = strawberry.field(description="The clinic's id (as in Clinic).")
    hsa_id: HsaIdValue = strawberry.field(description="The care unit's HSA-id.")
    name: str = strawberry.field(description="The clinic's name.")
    roles: list[StaffRole] = strawberry.field(description="My roles at this clinic.")
    row: Private[AnyClinic]

    @classmethod
    def build(cls, row: AnyClinic, roles: frozenset[StaffRole], ids: IdCodec) -> WorkspaceClinic:
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.CLINIC, pk(row))),
            hsa_id=HsaIdValue(row.hsa_id),
            name=row.name,
            roles=sorted(roles),
            row=row,
        )

    @strawberry.field(description="The kinds of appointment the clinic publishes times for.")
    async def booking_types(self, info: Info) -> list[BookingType]:
        rows = await info.context.loaders.booking_types_of_clinic.load(pk(self.row))
        return [BookingType.from_row(row, info.context.ids) for row in rows]

    @strawberry.field(description="The clinic's forms (errand-type administrators).")
    async def forms(self, info: Info) -> list[Form]:
        return await forms_of_clinic(info, self.row)

    @strawberry.field(
        description="The clinic's errand types and its region's base offering; retired ones "
        "too with includeRetired (errand-type administrators)."
    )
    async def errand_types(
        self,
        info: Info,
        include_retired: Annotated[
            bool, strawberry.argument(description="Also the retired types.")
        ] = False,
    ) -> list[ErrandType]:
        return await errand_types_of_workspace_clinic(info, self.row, include_retired)

    @strawberry.field(
        description="Errands addressed to the clinic, oldest first (errand handlers). Reading "
        "them is logged as an access by this clinic."
    )
    async def errands(
        self,
        info: Info,
        first: First,
        after: After = None,
        status: Annotated[
            ErrandStatus | None, strawberry.argument(description="Only errands in this status.")
        ] = None,
    ) -> ClinicErrandConnection:
        return await clinic_errands(
            info, self.row, None if status is None else status.value, first, after
        )

    @strawberry.field(
        description="Messages the clinic sent to inboxes, newest first (errand handlers). "
        "Reading them is logged as an access by this clinic."
    )
    async def sent_messages(
        self, info: Info, first: First, after: After = None
    ) -> Connection[SentMessage]:
        return await sent_messages_of_clinic(info, self.row, first, after)

    @strawberry.field(
        description="A person's sample orders this unit takes samples for: those to be taken "
        "here and the home kits of its own offers (sample handlers). Logged as an access by "
        "this clinic."
    )
    async def sample_orders(
        self,
        info: Info,
        personnummer: Annotated[
            PersonnummerValue, strawberry.argument(description="Whose orders.")
        ],
    ) -> list[SampleOrder]:
        return await sample_orders_at_unit(info, self.row, personnummer)

    @strawberry.field(
        description="Complaints the unit received, oldest first, beside its errands (R-203; "
        "complaint handlers). Reading them is logged as an access by this clinic."
    )
    async def complaints(
        self, info: Info, first: First, after: After = None
    ) -> ComplaintQueueConnection:
        return await complaint_queue(info, self.row, first, after)

    @strawberry.field(description="The programs the clinic offers (therapists).")
    async def programs(self, info: Info) -> list[Program]:
        return await programs_of_clinic(info, self.row)

    @strawberry.field(
        description="The clinic's program participants, most recently active first "
        "(therapists). Reading them is logged as an access by this clinic."
    )
    async def program_enrolments(
        self, info: Info, first: First, after: After = None
    ) -> Connection[ProgramParticipant]:
        return await participants_of_clinic(info, self.row, first, after)

    @strawberry.field(
        description="One participant, with modules and messages (therapists); logged."
    )
    async def program_participant(self, info: Info, id: Id) -> ProgramParticipant | None:
        return await participant_at_clinic(info, self.row, str(id))


@strawberry.type(description="The staff tool's start: me and my clinics.")
class Workspace:
    staff: StaffMember = strawberry.field(description="Who I am.")
    clinics: list[WorkspaceClinic] = strawberry.field(description="Where I hold commissions.")

    @strawberry.field(description="One of my clinics; null for any other clinic.")
    def clinic(self, id: Id) -> WorkspaceClinic | None:
        return next((c for c in self.clinics if c.id == id), None)

    @strawberry.field(
        description="The region's listing requests waiting for registration, oldest first "
        "(the listing office: LISTING_ADMIN in the region, R-168). Each shown is logged."
    )
    async def listing_requests(
        self, info: Info, region_code: RegionCode, first: First, after: After = None
    ) -> Connection[ListingRequest]:
        return await listing_requests_of_region(info, region_code, first, after)
