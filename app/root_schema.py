"""The one schema: root Query and Mutation, composed from the per-domain resolvers."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.schema.config import StrawberryConfig

from resolvers.bookings.accept_earlier_time import accept_earlier_time
from resolvers.bookings.available_slots import resolve_available_slots
from resolvers.bookings.book import book_appointment
from resolvers.bookings.cancel import cancel_appointment
from resolvers.bookings.rebook import rebook_appointment
from resolvers.bookings.watch import watch_for_earlier_time
from resolvers.care_systems.send_inbox_message import send_inbox_message_from_care_system
from resolvers.certificates.send import send_certificate
from resolvers.citizens.me import resolve_citizen, resolve_me
from resolvers.clinics.search import resolve_clinic, resolve_clinics, resolve_regions
from resolvers.complaints.submit import submit_complaint
from resolvers.complaints.submit_anonymous import submit_anonymous_complaint
from resolvers.errands.create import create_errand
from resolvers.errands.reply import reply_to_errand
from resolvers.forms.answering import save_form_draft, submit_form
from resolvers.inbox.archive import archive_inbox_message
from resolvers.inbox.mark_read import mark_inbox_messages_read
from resolvers.inbox.notification_settings import update_notification_settings
from resolvers.inbox.reply import reply_to_inbox_message
from resolvers.listing.change import change_listing
from resolvers.node import resolve_node, resolve_nodes
from resolvers.prescriptions.request_renewal import request_prescription_renewal
from resolvers.programs.complete_step import complete_program_step
from resolvers.programs.send_message import send_program_message
from resolvers.programs.start import start_program
from resolvers.public_statistics import resolve_public_statistics
from resolvers.regional_services.open import open_regional_service
from resolvers.samples.cancel import cancel_sample_order
from resolvers.samples.order import order_sample
from resolvers.staff.answer_complaint import answer_complaint
from resolvers.staff.assign_sample_offer import assign_sample_offer
from resolvers.staff.create_errand_type import create_errand_type
from resolvers.staff.create_form import create_form
from resolvers.staff.decide_listing_request import decide_listing_request
from resolvers.staff.enrol_in_program import enrol_in_program
from resolvers.staff.fetch_sample_order import fetch_sample_order
from resolvers.staff.program_participants import (
    mark_program_messages_read,
    set_program_module_open,
)
from resolvers.staff.publish_slots import publish_slots
from resolvers.staff.record_sample_result import record_sample_result
from resolvers.staff.send_form_request import send_form_request
from resolvers.staff.send_inbox_message import send_inbox_message
from resolvers.staff.set_complaint_status import set_complaint_status
from resolvers.staff.set_errand_status import set_errand_status
from resolvers.staff.update_errand_type import update_errand_type
from resolvers.staff.usage_statistics import resolve_usage_statistics
from resolvers.staff.workspace import resolve_workspace
from schema.bookings.inputs import BookingPayload
from schema.bookings.types import Slot
from schema.certificates.inputs import CertificatePayload
from schema.certificates.types import Certificate
from schema.citizens.types import Citizen
from schema.clinics.types import Clinic, ClinicConnection, Region
from schema.complaints.inputs import (
    ReceivedComplaintPayload,
    SubmitAnonymousComplaintPayload,
    SubmitComplaintPayload,
)
from schema.enum_values import describe_enum_values
from schema.errands.inputs import ErrandPayload
from schema.errands.types import Errand
from schema.forms.inputs import FormRequestPayload
from schema.forms.types import FormRequest
from schema.inbox.events import InboxEvent, inbox_events
from schema.inbox.inputs import (
    ArchiveInboxMessagePayload,
    MarkInboxMessagesReadPayload,
    ReplyToInboxMessagePayload,
    UpdateNotificationSettingsPayload,
)
from schema.journal.types import JOURNAL_ENTRY_TYPES
from schema.listing.inputs import ChangeListingPayload, DecideListingRequestPayload
from schema.node import Node
from schema.pagination import Connection
from schema.prescriptions.inputs import RequestPrescriptionRenewalPayload
from schema.programs.inputs import (
    CompleteProgramStepPayload,
    EnrolInProgramPayload,
    ProgramParticipantPayload,
    SendProgramMessagePayload,
    StartProgramPayload,
)
from schema.public_statistics import PublicStatistics
from schema.regional_services.types import OpenRegionalServicePayload
from schema.samples.inputs import (
    AssignSampleOfferPayload,
    CancelSampleOrderPayload,
    FetchSampleOrderPayload,
    OrderSamplePayload,
    RecordSampleResultPayload,
)
from schema.scalars import SCALARS
from schema.staff.inputs import (
    ErrandTypePayload,
    FormPayload,
    PublishSlotsPayload,
    SendInboxMessagePayload,
)
from schema.staff.statistics import UsageStatistics
from schema.staff.types import Workspace


@strawberry.type(description="What can be read.")
class Query:
    me: Citizen = strawberry.field(
        resolver=resolve_me, description="The logged-in citizen: the start page (Mina sidor)."
    )
    citizen: Citizen | None = strawberry.field(
        resolver=resolve_citizen,
        description="Yourself or a child you represent; null for anyone else (R-22).",
    )
    node: Node | None = strawberry.field(
        resolver=resolve_node, description="Any object by id; null when missing or not yours."
    )
    nodes: list[Node | None] = strawberry.field(
        resolver=resolve_nodes, description="Up to 100 objects by id, in the order asked."
    )
    clinic: Clinic | None = strawberry.field(resolver=resolve_clinic, description="A clinic by id.")
    clinics: ClinicConnection = strawberry.field(
        resolver=resolve_clinics, description="Find clinics by region and free text (name, city)."
    )
    regions: list[Region] = strawberry.field(
        resolver=resolve_regions, description="The 21 regions and the functions each offers."
    )
    workspace: Workspace = strawberry.field(
        resolver=resolve_workspace,
        description="The staff tool: my clinics and their work (staff tokens only).",
    )
    public_statistics: PublicStatistics = strawberry.field(
        resolver=resolve_public_statistics,
        description="Usage of the e-services per month and region, for anyone: counts under "
        "ten withheld (R-219).",
    )
    usage_statistics: UsageStatistics = strawberry.field(
        resolver=resolve_usage_statistics,
        description="Usage of the e-services in a region and period (region administrators).",
    )
    available_slots: Connection[Slot] = strawberry.field(
        resolver=resolve_available_slots,
        description="Free times of one booking type at one clinic, between two dates "
        "(inclusive, Stockholm time), earliest first.",
    )


@strawberry.type(description="What can be done. Expected failures come back as userErrors.")
class Mutation:
    book_appointment: BookingPayload = strawberry.mutation(
        resolver=book_appointment, description="Book a free slot."
    )
    rebook_appointment: BookingPayload = strawberry.mutation(
        resolver=rebook_appointment, description="Move a booking to another slot."
    )
    cancel_appointment: BookingPayload = strawberry.mutation(
        resolver=cancel_appointment, description="Cancel a booking."
    )
    create_errand: ErrandPayload = strawberry.mutation(
        resolver=create_errand, description="Send an errand to a clinic."
    )
    reply_to_errand: ErrandPayload = strawberry.mutation(
        resolver=reply_to_errand, description="Add a message to an errand."
    )
    save_form_draft: FormRequestPayload = strawberry.mutation(
        resolver=save_form_draft, description="Save answers to a form request as a draft."
    )
    submit_form: FormRequestPayload = strawberry.mutation(
        resolver=submit_form, description="Submit a form request's answers (once)."
    )
    mark_inbox_messages_read: MarkInboxMessagesReadPayload = strawberry.mutation(
        resolver=mark_inbox_messages_read,
        description="Mark messages of an inbox read: what opening a message does (R-112).",
    )
    archive_inbox_message: ArchiveInboxMessagePayload = strawberry.mutation(
        resolver=archive_inbox_message,
        description="Archive a message of an inbox, or take it back.",
    )
    change_listing: ChangeListingPayload = strawberry.mutation(
        resolver=change_listing,
        description="Ask to be listed at a primary-care centre, anywhere (R-165): PENDING "
        "until the region registers it (R-168).",
    )
    request_prescription_renewal: RequestPrescriptionRenewalPayload = strawberry.mutation(
        resolver=request_prescription_renewal,
        description="Ask a clinic to renew medications of the list (R-150): one errand.",
    )
    reply_to_inbox_message: ReplyToInboxMessagePayload = strawberry.mutation(
        resolver=reply_to_inbox_message,
        description="Answer a message that allows it: one thread with the clinic (R-111).",
    )
    update_notification_settings: UpdateNotificationSettingsPayload = strawberry.mutation(
        resolver=update_notification_settings,
        description="Where to be told that a message arrived (never what it says, R-104).",
    )
    order_sample: OrderSamplePayload = strawberry.mutation(
        resolver=order_sample,
        description="Order a sample within an offer care assigned (R-180): at a sampling unit "
        "or as a home kit.",
    )
    cancel_sample_order: CancelSampleOrderPayload = strawberry.mutation(
        resolver=cancel_sample_order,
        description="Cancel a sample order whose sample is not taken yet.",
    )
    submit_complaint: SubmitComplaintPayload = strawberry.mutation(
        resolver=submit_complaint,
        description="Complain to a clinic or the region's patient board (R-200): the answer "
        "comes to the inbox.",
    )
    submit_anonymous_complaint: SubmitAnonymousComplaintPayload = strawberry.mutation(
        resolver=submit_anonymous_complaint,
        description="Complain without logging in (R-205): nothing identifies you, no answer comes.",
    )
    start_program: StartProgramPayload = strawberry.mutation(
        resolver=start_program,
        description="Start a program your region lets you start yourself (R-190).",
    )
    complete_program_step: CompleteProgramStepPayload = strawberry.mutation(
        resolver=complete_program_step,
        description="Do a program's next step, with its answers (in order, once: R-191).",
    )
    send_program_message: SendProgramMessagePayload = strawberry.mutation(
        resolver=send_program_message,
        description="A message in a program: the participant's to the therapists, or a "
        "therapist's to the participant (R-191).",
    )
    open_regional_service: OpenRegionalServicePayload = strawberry.mutation(
        resolver=open_regional_service,
        description="Open one of the region's own services without logging in again: a "
        "single-use code for it to redeem (R-214).",
    )
    watch_for_earlier_time: BookingPayload = strawberry.mutation(
        resolver=watch_for_earlier_time,
        description="Wait for an earlier time of a booking's kind at its clinic, or stop "
        "(R-222): offers come to the inbox and InboxEvents.",
    )
    accept_earlier_time: BookingPayload = strawberry.mutation(
        resolver=accept_earlier_time,
        description="Take an offered earlier time: the booking moves to it if no one was "
        "first (R-222).",
    )
    send_certificate: CertificatePayload = strawberry.mutation(
        resolver=send_certificate, description="Send a certificate to a recipient."
    )
    set_errand_status: ErrandPayload = strawberry.mutation(
        resolver=set_errand_status, description="Staff: move an errand to a new status."
    )
    decide_listing_request: DecideListingRequestPayload = strawberry.mutation(
        resolver=decide_listing_request,
        description="Staff, the region's listing office: register, queue or refuse a request.",
    )
    create_errand_type: ErrandTypePayload = strawberry.mutation(
        resolver=create_errand_type, description="Staff: a new errand type."
    )
    update_errand_type: ErrandTypePayload = strawberry.mutation(
        resolver=update_errand_type, description="Staff: change or retire an errand type."
    )
    publish_slots: PublishSlotsPayload = strawberry.mutation(
        resolver=publish_slots, description="Staff: publish free times."
    )
    create_form: FormPayload = strawberry.mutation(
        resolver=create_form, description="Staff: a new form."
    )
    send_inbox_message: SendInboxMessagePayload = strawberry.mutation(
        resolver=send_inbox_message,
        description="Staff: a message to a patient's inbox (R-100..R-107).",
    )
    assign_sample_offer: AssignSampleOfferPayload = strawberry.mutation(
        resolver=assign_sample_offer,
        description="Staff: offer a patient a sample to order themself (R-180, R-184).",
    )
    fetch_sample_order: FetchSampleOrderPayload = strawberry.mutation(
        resolver=fetch_sample_order,
        description="Staff, a sampling unit: the order's sample is taken, or its kit came back "
        "(R-186).",
    )
    record_sample_result: RecordSampleResultPayload = strawberry.mutation(
        resolver=record_sample_result,
        description="Staff, the lab: a fetched order's result, to the patient's inbox and "
        "journal (R-182, R-185).",
    )
    answer_complaint: ReceivedComplaintPayload = strawberry.mutation(
        resolver=answer_complaint,
        description="Staff: answer a complaint of the unit's queue, to the person's inbox (R-200).",
    )
    set_complaint_status: ReceivedComplaintPayload = strawberry.mutation(
        resolver=set_complaint_status,
        description="Staff: take up a complaint, or close it.",
    )
    enrol_in_program: EnrolInProgramPayload = strawberry.mutation(
        resolver=enrol_in_program,
        description="Staff, a therapist: enrol a patient in one of the clinic's programs.",
    )
    set_program_module_open: ProgramParticipantPayload = strawberry.mutation(
        resolver=set_program_module_open,
        description="Staff, a therapist: open or hide a module for a participant (R-191).",
    )
    mark_program_messages_read: ProgramParticipantPayload = strawberry.mutation(
        resolver=mark_program_messages_read,
        description="Staff, a therapist: the participant's messages are read.",
    )
    send_form_request: FormRequestPayload = strawberry.mutation(
        resolver=send_form_request, description="Staff: send a form to a citizen."
    )
    send_inbox_message_from_care_system: SendInboxMessagePayload = strawberry.mutation(
        resolver=send_inbox_message_from_care_system,
        description="Care systems: a message to a patient's inbox for one of the system's care "
        "units (R-100, the AddMessage contract's role), under the staff's rules.",
    )


DESCRIPTION = (
    "Vårdgraf: Sweden's patient e-services (1177 e-tjänster) in one schema. Citizens and the "
    "guardians of children under 13 book, send errands, answer forms and read their "
    "certificates at any clinic of the 21 regions; care staff handle their clinics' work. Ids "
    "are opaque, and one you may not see answers like one that does not exist. A field is "
    "deprecated with a reason and kept for at least six months before it goes (README)."
)


@strawberry.type(description="Live updates over WebSocket (graphql-transport-ws) at /graphql.")
class Subscription:
    inbox_events: AsyncGenerator[InboxEvent, None] = strawberry.subscription(
        resolver=inbox_events,
        description="What happens in an inbox the caller may read, as it happens (R-113): a "
        "message arrived, was read or archived (on another device too).",
    )


def build_schema() -> strawberry.Schema:
    """The schema; the app runs it through app/execution/operation.py, with its own execution
    class."""
    schema = strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Errand, FormRequest, Certificate, *JOURNAL_ENTRY_TYPES],
        config=StrawberryConfig(scalar_map=SCALARS),
    )
    schema._schema.description = DESCRIPTION
    describe_enum_values(schema._schema)
    return schema
