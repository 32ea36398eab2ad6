"""A citizen: myself, or a child I represent. Every field asks the policy for its subject."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import strawberry
from strawberry import Private

from app.access.citizens import Subject
from app.context import Context, Info
from app.domain.ids import IdCodec, NodeKind
from app.sources.listing_records import ListingKind
from auth.policy import Relation, represented_until
from schema.arguments import After, First
from schema.audit.types import AccessLogEntry
from schema.bookings.types import Booking, BookingWhen
from schema.certificates.types import Certificate
from schema.citizens.access_log import access_log_of_subject
from schema.citizens.bookings import bookings_of_subject
from schema.citizens.certificates import certificates_of_subject
from schema.citizens.complaints import complaints_of_subject
from schema.citizens.errands import errands_of_subject
from schema.citizens.form_requests import form_requests_of_subject
from schema.citizens.inbox import inbox_of_subject
from schema.citizens.journal import journal_of_subject
from schema.citizens.listing import listing_of_subject
from schema.citizens.notification_settings import notification_settings_of_subject
from schema.citizens.prescriptions import prescriptions_of_subject
from schema.citizens.programs import enrolments_of_subject, self_start_programs_of_subject
from schema.citizens.regional_services import services_of_subject
from schema.citizens.samples import sample_offers_of_subject, sample_orders_of_subject
from schema.clinics.build import shown_region
from schema.clinics.types import Region
from schema.complaints.types import Complaint
from schema.errands.types import Errand
from schema.forms.types import FormRequest, FormRequestStatus
from schema.inbox.types import InboxConnection, NotificationSettings
from schema.journal.types import Journal
from schema.listing.types import Listing
from schema.node import Node
from schema.pagination import Connection
from schema.prescriptions.types import Prescriptions
from schema.programs.types import Program, ProgramEnrolment
from schema.regional_services.types import RegionalService
from schema.samples.types import SampleOffer, SampleOrder
from schema.scalars import PersonnummerValue

FORM_STATUS: dict[FormRequestStatus, Literal["OPEN", "SUBMITTED"]] = {
    FormRequestStatus.OPEN: "OPEN",
    FormRequestStatus.SUBMITTED: "SUBMITTED",
}


@strawberry.type(description="A person with a personnummer: yourself or a child you represent.")
class Citizen(Node):
    personnummer: PersonnummerValue = strawberry.field(description="The personnummer.")
    given_name: str = strawberry.field(description="Registered given name.")
    family_name: str = strawberry.field(description="Registered family name.")
    birth_date: date = strawberry.field(description="Registered date of birth (R-64).")
    represented_until: date | None = strawberry.field(
        description="For a child you represent: the last day you can act for them (the day "
        "before their 13th birthday). Null for yourself."
    )
    home_region: Region | None = strawberry.field(
        description="The region where the person is registered."
    )
    represented: list[Citizen] = strawberry.field(
        description="The children under 13 you can act for (R-01..R-30). Empty for a child."
    )
    subject: Private[Subject]

    @classmethod
    async def of(cls, subject: Subject, context: Context) -> Citizen:
        """The citizen with their region and, for oneself, the children one may act for:
        both are in memory by the time a citizen is read (the process's region catalogue, the
        viewer read with the login), so they are plain fields, not a resolver each."""
        children = await context.access.represented() if subject.relation is Relation.SELF else []
        people = [subject, *(Subject(child, Relation.GUARDIAN) for child in children)]
        rows = await context.loaders.regions([p.citizen.home_region_code for p in people])
        regions = [None if row is None else shown_region(context, row) for row in rows]
        built = [
            cls._built(person, region, context.ids)
            for person, region in zip(people, regions, strict=True)
        ]
        built[0].represented = built[1:]
        return built[0]

    @classmethod
    def _built(cls, subject: Subject, region: Region | None, ids: IdCodec) -> Citizen:
        row = subject.citizen
        until = represented_until(row.birth_date) if subject.relation is Relation.GUARDIAN else None
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.CITIZEN, subject.id)),
            personnummer=PersonnummerValue(row.personnummer),
            given_name=row.given_name,
            family_name=row.family_name,
            birth_date=row.birth_date,
            represented_until=until,
            home_region=region,
            represented=[],
            subject=subject,
        )

    @strawberry.field(description="Bookings across all clinics and regions (R-82).")
    async def bookings(
        self,
        info: Info,
        first: First,
        after: After = None,
        when: Annotated[
            BookingWhen, strawberry.argument(description="Upcoming (default) or past.")
        ] = BookingWhen.UPCOMING,
    ) -> Connection[Booking]:
        return await bookings_of_subject(info.context, self.subject, when.value, first, after)

    @strawberry.field(description="Errands, newest activity first.")
    async def errands(self, info: Info, first: First, after: After = None) -> Connection[Errand]:
        return await errands_of_subject(info.context, self.subject, first, after)

    @strawberry.field(description="Forms clinics have sent, newest first.")
    async def form_requests(
        self,
        info: Info,
        first: First,
        after: After = None,
        status: Annotated[
            FormRequestStatus | None, strawberry.argument(description="Only open or submitted.")
        ] = None,
    ) -> Connection[FormRequest]:
        wanted = None if status is None else FORM_STATUS[status]
        return await form_requests_of_subject(info.context, self.subject, wanted, first, after)

    @strawberry.field(
        description="Messages from care, newest first (R-108: a child's own, read by each "
        "guardian until 13). Reading it marks nothing read (R-112)."
    )
    async def inbox(
        self,
        info: Info,
        first: First,
        after: After = None,
        archived: Annotated[
            bool | None,
            strawberry.argument(
                description="false (default): the inbox; true: the archive; null: both."
            ),
        ] = False,
    ) -> InboxConnection:
        return await inbox_of_subject(info.context, self.subject, archived, first, after)

    @strawberry.field(
        description="Where the person is told that a message arrived (never what it says)."
    )
    async def notification_settings(self, info: Info) -> NotificationSettings:
        return await notification_settings_of_subject(info.context, self.subject)

    @strawberry.field(description="Your certificates, newest first. Never a child's (R-07).")
    async def certificates(
        self, info: Info, first: First, after: After = None
    ) -> Connection[Certificate]:
        return await certificates_of_subject(info.context, self.subject, first, after)

    @strawberry.field(
        description="The journal, read live from the regions' systems (R-120): a guardian "
        "reads a child's until 13, one's own opens at 16 (R-134)."
    )
    async def journal(self, info: Info) -> Journal:
        return await journal_of_subject(info.context, self.subject)

    @strawberry.field(
        description="Where one is listed in primary care (vårdval, R-165), read live from the "
        "regions' listing systems; a guardian's of a child under 13 (R-06)."
    )
    async def listing(
        self,
        info: Info,
        type: Annotated[
            ListingKind,
            strawberry.argument(description="Primary care, or a child's child health centre."),
        ] = ListingKind.PRIMARY_CARE,
    ) -> Listing:
        return await listing_of_subject(info.context, self.subject, type)

    @strawberry.field(
        description="The medication list as one clinic sees it, to renew from (R-150): a "
        "guardian's of a child until 13, one's own from 18 (R-157)."
    )
    async def prescriptions(
        self,
        info: Info,
        clinic_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The clinic asked to renew (its care provider's "
                "prescriptions are renewable there)."
            ),
        ],
    ) -> Prescriptions:
        return await prescriptions_of_subject(info.context, self.subject, str(clinic_id))

    @strawberry.field(
        description="Samples care has offered you to order yourself (R-180), newest first: "
        "those you can still order, or all with includeExpired."
    )
    async def sample_offers(
        self,
        info: Info,
        include_expired: Annotated[
            bool, strawberry.argument(description="Also offers whose last day has passed.")
        ] = False,
    ) -> list[SampleOffer]:
        return await sample_offers_of_subject(info.context, self.subject, include_expired)

    @strawberry.field(description="Samples ordered, newest first, with status and result.")
    async def sample_orders(
        self, info: Info, first: First, after: After = None
    ) -> Connection[SampleOrder]:
        return await sample_orders_of_subject(info.context, self.subject, first, after)

    @strawberry.field(
        description="Complaints sent to care providers or patient boards, newest first: your "
        "own, or a child's under 13 (R-208)."
    )
    async def complaints(
        self, info: Info, first: First, after: After = None
    ) -> Connection[Complaint]:
        return await complaints_of_subject(info.context, self.subject, first, after)

    @strawberry.field(
        description="Your support and treatment programs, newest first (R-190). Your own "
        "only: not a child's."
    )
    async def program_enrolments(self, info: Info) -> list[ProgramEnrolment]:
        return await enrolments_of_subject(info.context, self.subject)

    @strawberry.field(description="Programs your region's clinics let you start yourself.")
    async def self_start_programs(self, info: Info) -> list[Program]:
        return await self_start_programs_of_subject(info.context, self.subject)

    @strawberry.field(
        description="The home region's own services, reached without logging in again "
        "(R-210); for a child, those that take a guardian."
    )
    def regional_services(self, info: Info) -> list[RegionalService]:
        return services_of_subject(info.context, self.subject)

    @strawberry.field(description="Which care units accessed your data, and when (R-42).")
    async def access_log(
        self,
        info: Info,
        first: First,
        after: After = None,
        include_regions: Annotated[
            bool | None,
            strawberry.argument(
                description="Also the accesses the regions' own record systems logged (R-136); "
                "null: as false."
            ),
        ] = False,
    ) -> Connection[AccessLogEntry]:
        return await access_log_of_subject(
            info.context, self.subject, first, after, include_regions=bool(include_regions)
        )
