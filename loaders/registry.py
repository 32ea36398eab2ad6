"""The per-request loaders. Built in get_context, never at module level: a loader's cache
shared between requests would hand one patient's data to another."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from app.db import SessionFactory
from app.models import (
    Booking,
    BookingType,
    Certificate,
    CertificateDelivery,
    Clinic,
    Commission,
    Errand,
    ErrandMessage,
    ErrandType,
    Form,
    FormAnswer,
    FormQuestion,
    FormRequest,
    Region,
    Slot,
    Staff,
)
from app.sources.fanout import SourceFailure
from app.sources.registry import SourceRegistry
from app.store.people import Child, CitizenRecord, People, Viewer
from app.store.regions import RegionCatalogue
from loaders.factories import citizens_by, load_all, many_per_key, one_per_key
from loaders.regional import booking_types_of_clinic, by_key, clinics_as_known, lists_by_key


@dataclass(frozen=True)
class Loaders:
    citizen: DataLoader[int, CitizenRecord | None]
    citizen_by_personnummer: DataLoader[str, CitizenRecord | None]
    viewer: DataLoader[str, Viewer | None]  # by personnummer, with the children
    children_of_guardian: DataLoader[int, list[Child]]
    region: DataLoader[str, Region | None]
    clinic: DataLoader[int, Clinic | None]  # as known: the catalogue's, with regional details
    booking_type: DataLoader[int, BookingType | None]
    booking_types_of_clinic: DataLoader[int, list[BookingType]]
    slot: DataLoader[int, Slot | None]
    booking: DataLoader[int, Booking | None]
    errand_type: DataLoader[int, ErrandType | None]
    errand: DataLoader[int, Errand | None]
    messages_of_errand: DataLoader[int, list[ErrandMessage]]
    staff: DataLoader[int, Staff | None]
    staff_by_hsa_id: DataLoader[str, Staff | None]
    commissions_of_staff: DataLoader[int, list[Commission]]
    form: DataLoader[int, Form | None]
    questions_of_form: DataLoader[int, list[FormQuestion]]
    form_request: DataLoader[int, FormRequest | None]
    answers_of_form_request: DataLoader[int, list[FormAnswer]]
    certificate: DataLoader[int, Certificate | None]
    deliveries_of_certificate: DataLoader[int, list[CertificateDelivery]]
    region_catalogue: RegionCatalogue  # the process's: known regions need no loader

    async def regions(self, codes: Sequence[str]) -> list[Region | None]:
        """The regions by code: from the catalogue when it knows them all (no batch, no
        task), else through the loader."""
        known = self.region_catalogue.known(codes)
        if known is not None:
            return list(known)
        return await load_all(self.region, codes)


def build_loaders(
    sessions: SessionFactory,
    people: People,
    sources: SourceRegistry,
    regions: RegionCatalogue,
    failures: list[SourceFailure] | None = None,
) -> Loaders:
    """`failures`: where loaders that answer without a failed source say so (the request's
    Context.source_failures)."""
    failed = [] if failures is None else failures
    catalogue = one_per_key(sessions, Clinic, Clinic.id)
    return Loaders(
        citizen=citizens_by(people, "id"),
        citizen_by_personnummer=citizens_by(people, "personnummer"),
        viewer=DataLoader(load_fn=people.viewers),
        children_of_guardian=DataLoader(load_fn=people.children_of_guardians),
        region=DataLoader(load_fn=regions.load_many),
        clinic=clinics_as_known(sources, catalogue, failed),
        booking_type=by_key(
            sources, "booking_type", lambda s, ids: s.scheduling.booking_types(ids)
        ),
        booking_types_of_clinic=booking_types_of_clinic(sources, catalogue, failed),
        slot=by_key(sources, "slot", lambda s, ids: s.scheduling.slots(ids)),
        booking=by_key(sources, "booking", lambda s, ids: s.scheduling.bookings(ids)),
        errand_type=one_per_key(sessions, ErrandType, ErrandType.id),
        errand=one_per_key(sessions, Errand, Errand.id),
        messages_of_errand=many_per_key(
            sessions,
            ErrandMessage,
            ErrandMessage.errand_id,
            (ErrandMessage.sent_at, ErrandMessage.id),
        ),
        staff=one_per_key(sessions, Staff, Staff.id),
        staff_by_hsa_id=one_per_key(sessions, Staff, Staff.hsa_id),
        commissions_of_staff=many_per_key(
            sessions, Commission, Commission.staff_id, (Commission.id,)
        ),
        form=by_key(sources, "form", lambda s, ids: s.forms.forms(ids)),
        questions_of_form=lists_by_key(
            sources, "form", lambda s, ids: s.forms.questions_of_forms(ids)
        ),
        form_request=by_key(sources, "form_request", lambda s, ids: s.forms.form_requests(ids)),
        answers_of_form_request=lists_by_key(
            sources, "form_request", lambda s, ids: s.forms.answers_of_requests(ids)
        ),
        certificate=by_key(sources, "certificate", lambda s, ids: s.certificates.certificates(ids)),
        deliveries_of_certificate=many_per_key(
            sessions,
            CertificateDelivery,
            CertificateDelivery.certificate_id,
            (CertificateDelivery.sent_at, CertificateDelivery.id),
        ),
        region_catalogue=regions,
    )
