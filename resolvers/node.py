"""`node(id:)` and `nodes(ids:)`: any object by its opaque id, if the viewer may see it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from app.access.audit import AccessAction, RegionalUnit
from app.access.reads import readable, record_units_read
from app.context import Context, Info
from app.domain.errors import bad_input
from app.domain.ids import NodeKind
from auth.journal_policy import shown
from auth.policy import Capability
from resolvers.citizens.me import citizen_by_key
from resolvers.citizens.patient import patient_by_key
from resolvers.errands.read import mark_read
from schema.arguments import Id
from schema.bookings.build import build_bookings
from schema.bookings.types import Slot
from schema.certificates.build import build_certificates
from schema.clinics.build import clinics_by_id
from schema.clinics.types import BookingType
from schema.complaints.build import build_complaints
from schema.errands.build import build_errands, errand_types_from_rows
from schema.forms.build import build_form_requests, forms_by_id
from schema.inbox.types import InboxMessage
from schema.journal.types import entry_from_record
from schema.node import Node
from schema.programs.build import as_seen
from schema.samples.build import build_orders

MAX_NODES = 100
Resolver = Callable[[Info, int], Awaitable[Node | None]]


async def _booking(info: Info, pk: int) -> Node | None:
    context = info.context
    row = await context.loaders.booking.load(pk)
    if row is None or not await readable(
        context, row.citizen_id, Capability.VIEW_BOOKINGS, AccessAction.READ_BOOKINGS, row.clinic_id
    ):
        return None
    return (await build_bookings(context, [row]))[pk]


async def _errand(info: Info, pk: int) -> Node | None:
    context = info.context
    row = await context.loaders.errand.load(pk)
    if row is None or not await readable(
        context, row.citizen_id, Capability.VIEW_ERRANDS, AccessAction.READ_ERRAND, row.clinic_id
    ):
        return None
    return (await build_errands(context, [await mark_read(context, row)]))[pk]


async def _form_request(info: Info, pk: int) -> Node | None:
    context = info.context
    row = await context.loaders.form_request.load(pk)
    if row is None or not await readable(
        context,
        row.citizen_id,
        Capability.VIEW_FORMS,
        AccessAction.READ_FORM_REQUEST,
        row.clinic_id,
    ):
        return None
    return (await build_form_requests(context, [row]))[pk]


async def _certificate(info: Info, pk: int) -> Node | None:
    context = info.context
    row = await context.loaders.certificate.load(pk)
    if row is None or not await readable(
        context,
        row.citizen_id,
        Capability.VIEW_CERTIFICATES,
        AccessAction.READ_CERTIFICATE,
        row.issuer_clinic_id,
    ):
        return None
    return (await build_certificates(context, [row]))[pk]


async def _inbox_message(info: Info, pk: int) -> Node | None:
    context = info.context
    row = await context.loaders.inbox_message.load(pk)
    if row is None or not await readable(
        context, row.citizen_id, Capability.VIEW_INBOX, AccessAction.READ_INBOX_MESSAGE
    ):
        return None
    return InboxMessage.from_row(row, context.ids)


async def _journal_entry(info: Info, pk: int) -> Node | None:
    """A record of a region's journal: shown only where the journal list would show it
    (the region offers it, the predicate shows it, the reader may read the journal now);
    anything else answers like an id that does not exist (R-22)."""
    context = info.context
    record = await context.loaders.journal_entry.load(pk)
    if record is None or not shown(record, context.regions, context.today, hide_recent=False):
        return None
    patient = await context.loaders.citizen_by_personnummer.load(record.patient_personnummer)
    if patient is None:
        return None
    subject = await readable(
        context, patient.id, Capability.VIEW_JOURNAL, AccessAction.READ_JOURNAL
    )
    if subject is None:
        return None
    unit = RegionalUnit(
        context.sources.name_for_region(record.region_code), record.care_unit_hsa_id
    )
    await record_units_read(context, subject, AccessAction.READ_JOURNAL, [unit])
    return entry_from_record(record, context.ids, context.shared_objects)


async def _citizen(info: Info, pk: int) -> Node | None:
    return await citizen_by_key(info.context, pk)


async def _complaint(info: Info, pk: int) -> Node | None:
    context = info.context
    row = await context.loaders.complaint.load(pk)
    if (
        row is None
        or row.citizen_id is None
        or not await readable(
            context, row.citizen_id, Capability.VIEW_COMPLAINTS, AccessAction.READ_COMPLAINTS
        )
    ):
        return None
    return (await build_complaints(context, [row]))[pk]


async def _program_enrolment(info: Info, pk: int) -> Node | None:
    context = info.context
    row = await context.loaders.program_enrolment.load(pk)
    if row is None or not await readable(
        context, row.citizen_id, Capability.PROGRAMS, AccessAction.READ_PROGRAMS, row.clinic_id
    ):
        return None
    return await as_seen(context, pk)


async def _sample_order(info: Info, pk: int) -> Node | None:
    context = info.context
    row = await context.loaders.sample_order.load(pk)
    if row is None or not await readable(
        context, row.citizen_id, Capability.VIEW_SAMPLES, AccessAction.READ_SAMPLES
    ):
        return None
    return (await build_orders(context, [row]))[pk]


async def _patient(info: Info, pk: int) -> Node | None:
    return await patient_by_key(info.context, pk)


async def _clinic(info: Info, pk: int) -> Node | None:
    return (await clinics_by_id(info.context, [pk])).get(pk)


async def _booking_type(info: Info, pk: int) -> Node | None:
    row = await info.context.loaders.booking_type.load(pk)
    return None if row is None else BookingType.from_row(row, info.context.ids)


async def _slot(info: Info, pk: int) -> Node | None:
    row = await info.context.loaders.slot.load(pk)
    return None if row is None else Slot.from_row(row, info.context.ids)


async def _errand_type(info: Info, pk: int) -> Node | None:
    row = await info.context.loaders.errand_type.load(pk)
    return None if row is None else (errand_types_from_rows(info.context, [row]))[pk]


async def _form(info: Info, pk: int) -> Node | None:
    return (await forms_by_id(info.context, [pk])).get(pk)


RESOLVERS: dict[NodeKind, Resolver] = {
    NodeKind.CITIZEN: _citizen,
    NodeKind.CLINIC: _clinic,
    NodeKind.BOOKING_TYPE: _booking_type,
    NodeKind.SLOT: _slot,
    NodeKind.BOOKING: _booking,
    NodeKind.ERRAND_TYPE: _errand_type,
    NodeKind.ERRAND: _errand,
    NodeKind.FORM: _form,
    NodeKind.FORM_REQUEST: _form_request,
    NodeKind.CERTIFICATE: _certificate,
    NodeKind.PATIENT: _patient,
    NodeKind.INBOX_MESSAGE: _inbox_message,
    NodeKind.JOURNAL_ENTRY: _journal_entry,
    NodeKind.SAMPLE_ORDER: _sample_order,
    NodeKind.COMPLAINT: _complaint,
    NodeKind.PROGRAM_ENROLMENT: _program_enrolment,
}


async def _resolve(info: Info, context: Context, public_id: str) -> Node | None:
    """An id a principal may not see answers null, like one never made (R-22): for personal
    kinds `readable` says None to anyone but a citizen who may read them. A citizen's login
    is checked whatever the id, so even a refused login cannot tell the two apart."""
    if context.access.authenticated:
        await context.access.viewer()
    decoded = context.ids.decode(public_id)
    resolver = None if decoded is None else RESOLVERS.get(decoded[0])
    if decoded is None or resolver is None:
        return None
    return await resolver(info, decoded[1])


async def resolve_node(info: Info, id: Id) -> Node | None:
    return await _resolve(info, info.context, str(id))


async def resolve_nodes(
    info: Info,
    ids: Annotated[list[strawberry.ID], strawberry.argument(description="Up to 100 ids.")],
) -> list[Node | None]:
    if len(ids) > MAX_NODES:
        raise bad_input(f"At most {MAX_NODES} ids at a time.")
    return list(await asyncio.gather(*(_resolve(info, info.context, str(i)) for i in ids)))
