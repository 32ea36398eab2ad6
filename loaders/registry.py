"""The per-request loaders. Built in get_context, never at module level: a loader's cache
shared between requests would hand one patient's data to another."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property, partial

from app.data.db import SessionFactory
from app.data.models import (
    Booking,
    BookingType,
    Certificate,
    ClinicListingTerms,
    Commission,
    Complaint,
    EarlierTimeWatch,
    Errand,
    ErrandMessage,
    ErrandType,
    Form,
    FormAnswer,
    FormQuestion,
    FormRequest,
    InboxMessage,
    Program,
    ProgramEnrolment,
    ProgramMessage,
    ProgramModule,
    ProgramModuleAccess,
    ProgramOffer,
    ProgramQuestion,
    ProgramStep,
    ProgramStepDone,
    Region,
    RenewalLine,
    SampleOffer,
    SampleOfferSite,
    SampleOrder,
    SampleResult,
    Staff,
)
from app.data.records import (
    AnyBookingType,
    AnyClinic,
    AnySlot,
    CitizenRecord,
    ClinicRecord,
    DeliveryRecord,
    SampleOfferRecord,
    VersionStepRecord,
    Viewer,
)
from app.data.store.certificate_page import deliveries_of
from app.data.store.clinic_catalogue import catalogue_clinics
from app.data.store.clinic_identities import ClinicIdentities, ClinicIdentity
from app.data.store.direct import DirectStatements
from app.data.store.enrolment_list import steps_in_order_of_versions
from app.data.store.kept_catalogue import KeptCatalogue, KeptForAWhile, TypeAtClinic
from app.data.store.people import People
from app.data.store.programs import EnrolmentCounts, counts_of, steps_of_versions
from app.data.store.regions import RegionCatalogue
from app.data.store.sample_lists import offers_of_people
from app.data.store.samples import placed_of_offers
from app.data.store.slots import booking_type_with_clinic
from app.sources.fanout import SourceFailure
from app.sources.journal_records import JournalRecord
from app.sources.ports import OwnIds, RegionalSource
from app.sources.refs import is_foreign
from app.sources.registry import SourceRegistry
from loaders.dataloader import DataLoader
from loaders.factories import citizens_by, load_all, many_per_key, one_per_key
from loaders.regional import booking_types_of_clinic, by_key, clinics_as_known, lists_by_key


class Loaders:
    """A request's loaders, each built the first time the request asks for it: an operation
    uses a few of them, and building all of them for every request cost more than the start
    page's own reading of the region (sampled with py-spy).

    A loader's function holds what it reads with, never these Loaders: a closure over `self`
    made each request's loaders, and the context they hang from, a reference cycle, freed
    only by the collector's full passes, which under load took 50-150 ms each
    (docs/performance-history.md, "Session 24"; tests/graphql/test_reference_cycles.py)."""

    def __init__(
        self,
        sessions: SessionFactory,
        direct: DirectStatements,
        people: People,
        sources: SourceRegistry,
        regions: RegionCatalogue,
        identities: ClinicIdentities,
        kept: KeptCatalogue,
        failures: list[SourceFailure],
    ) -> None:
        self._sessions = sessions
        self._direct = direct
        self._people = people
        self._sources = sources
        self.region_catalogue = regions  # the process's: known regions need no loader
        self._clinic_identities = identities  # the process's: known clinics need no statement
        self._kept = kept  # the process's catalogue entries, within their bound
        self._failures = failures

    async def regions(self, codes: Sequence[str]) -> list[Region | None]:
        """The regions by code: from the catalogue when it knows them all (no batch, no
        task), else through the loader."""
        known = self.region_catalogue.known(codes)
        if known is not None:
            return list(known)
        return await load_all(self.region, codes)

    async def clinic_identity(self, clinic_id: int) -> ClinicIdentity | None:
        """A clinic's id, region and HSA-id: the process's when it knows them, else read
        with the request's other clinics (app/data/store/clinic_identities.py)."""
        known = self._clinic_identities.known(clinic_id)
        if known is not None:
            return known
        clinic = await self.clinic.load(clinic_id)
        return None if clinic is None else self._clinic_identities.learn(clinic)

    @cached_property
    def citizen(self) -> DataLoader[int, CitizenRecord | None]:
        return citizens_by(self._people, "id")

    @cached_property
    def citizen_by_personnummer(self) -> DataLoader[str, CitizenRecord | None]:
        return citizens_by(self._people, "personnummer")

    @cached_property
    def viewer(self) -> DataLoader[str, Viewer | None]:
        """By personnummer, with the children."""
        return DataLoader(load_fn=self._people.viewers)

    @cached_property
    def region(self) -> DataLoader[str, Region | None]:
        return DataLoader(load_fn=self.region_catalogue.load_many)

    @cached_property
    def clinic(self) -> DataLoader[int, AnyClinic | None]:
        """As known: the catalogue's, with regional details."""
        return clinics_as_known(self._sources, self._clinic_catalogue, self._failures)

    @cached_property
    def _clinic_catalogue(self) -> DataLoader[int, AnyClinic | None]:
        return DataLoader(load_fn=partial(_catalogue_clinics_by_id, self._direct))

    @cached_property
    def listing_terms(self) -> DataLoader[int, ClinicListingTerms | None]:
        return one_per_key(self._sessions, ClinicListingTerms, ClinicListingTerms.clinic_id)

    @cached_property
    def booking_type(self) -> DataLoader[int, AnyBookingType | None]:
        return by_key(self._sources, "booking_type", lambda s, ids: s.scheduling.booking_types(ids))

    async def booking_type_and_clinic(
        self, booking_type_id: int
    ) -> tuple[AnyBookingType, AnyClinic] | None:
        """A booking type and its clinic, as `booking_type` and `clinic` give them. One of our
        own types (the SQL source's tables) is read with its catalogue clinic in one
        statement, which primes both loaders; the clinic then takes its region's details, as
        any clinic does. A regional system's type goes through the loaders."""
        if is_foreign(booking_type_id):
            kind = await self.booking_type.load(booking_type_id)
            clinic = None if kind is None else await self.clinic.load(kind.clinic_id)
            return None if kind is None or clinic is None else (kind, clinic)
        found = await _kept_type_at_clinic(self._direct, self._kept.booking_types, booking_type_id)
        if found is None:
            return None
        kind, catalogued = found.booking_type, found.clinic
        self.booking_type.prime(booking_type_id, kind)
        self._clinic_catalogue.prime(catalogued.id, catalogued)
        known = await self.clinic.load(catalogued.id)
        return None if known is None else (kind, known)

    @cached_property
    def booking_types_of_clinic(self) -> DataLoader[int, list[BookingType]]:
        return booking_types_of_clinic(self._sources, self._clinic_catalogue, self._failures)

    @cached_property
    def slot(self) -> DataLoader[int, AnySlot | None]:
        return by_key(self._sources, "slot", lambda s, ids: s.scheduling.slots(ids))

    @cached_property
    def booking(self) -> DataLoader[int, Booking | None]:
        return by_key(self._sources, "booking", lambda s, ids: s.scheduling.bookings(ids))

    @cached_property
    def errand_type(self) -> DataLoader[int, ErrandType | None]:
        return one_per_key(self._sessions, ErrandType, ErrandType.id)

    @cached_property
    def errand(self) -> DataLoader[int, Errand | None]:
        return one_per_key(self._sessions, Errand, Errand.id)

    @cached_property
    def messages_of_errand(self) -> DataLoader[int, list[ErrandMessage]]:
        order = (ErrandMessage.sent_at, ErrandMessage.id)
        return many_per_key(self._sessions, ErrandMessage, ErrandMessage.errand_id, order)

    @cached_property
    def renewal_lines_of_errand(self) -> DataLoader[int, list[RenewalLine]]:
        order = (RenewalLine.position,)
        return many_per_key(self._sessions, RenewalLine, RenewalLine.errand_id, order)

    @cached_property
    def inbox_message(self) -> DataLoader[int, InboxMessage | None]:
        return one_per_key(self._sessions, InboxMessage, InboxMessage.id)

    @cached_property
    def complaint(self) -> DataLoader[int, Complaint | None]:
        return one_per_key(self._sessions, Complaint, Complaint.id)

    @cached_property
    def earlier_time_watch(self) -> DataLoader[int, EarlierTimeWatch | None]:
        return one_per_key(self._sessions, EarlierTimeWatch, EarlierTimeWatch.booking_id)

    @cached_property
    def program(self) -> DataLoader[int, Program | None]:
        return one_per_key(self._sessions, Program, Program.id)

    @cached_property
    def program_offer(self) -> DataLoader[int, ProgramOffer | None]:
        return one_per_key(self._sessions, ProgramOffer, ProgramOffer.id)

    @cached_property
    def program_enrolment(self) -> DataLoader[int, ProgramEnrolment | None]:
        return one_per_key(self._sessions, ProgramEnrolment, ProgramEnrolment.id)

    @cached_property
    def enrolment_counts(self) -> DataLoader[int, EnrolmentCounts]:
        """Progress and unread messages, counted by the database (app/data/store/programs)."""

        return DataLoader(load_fn=partial(counts_of, self._sessions))

    @cached_property
    def steps_of_version(self) -> DataLoader[int, list[tuple[ProgramStep, ProgramModule]]]:
        """A version's steps with their modules, in the order they are done."""

        return DataLoader(load_fn=partial(steps_of_versions, self._sessions))

    async def version_steps(
        self, version_ids: Sequence[int]
    ) -> dict[int, tuple[VersionStepRecord, ...]]:
        """Program versions' steps in order, as the process keeps them
        (app/data/store/kept_catalogue.py), the others read together."""
        return await self._kept.version_steps.read_through(
            dict.fromkeys(version_ids), partial(steps_in_order_of_versions, self._direct)
        )

    @cached_property
    def modules_of_version(self) -> DataLoader[int, list[ProgramModule]]:
        order = (ProgramModule.position,)
        return many_per_key(self._sessions, ProgramModule, ProgramModule.version_id, order)

    @cached_property
    def questions_of_program_step(self) -> DataLoader[int, list[ProgramQuestion]]:
        order = (ProgramQuestion.position,)
        return many_per_key(self._sessions, ProgramQuestion, ProgramQuestion.step_id, order)

    @cached_property
    def steps_done_of_enrolment(self) -> DataLoader[int, list[ProgramStepDone]]:
        return many_per_key(self._sessions, ProgramStepDone, ProgramStepDone.enrolment_id)

    @cached_property
    def module_access_of_enrolment(self) -> DataLoader[int, list[ProgramModuleAccess]]:
        return many_per_key(self._sessions, ProgramModuleAccess, ProgramModuleAccess.enrolment_id)

    @cached_property
    def messages_of_enrolment(self) -> DataLoader[int, list[ProgramMessage]]:
        order = (ProgramMessage.sent_at, ProgramMessage.id)
        return many_per_key(self._sessions, ProgramMessage, ProgramMessage.enrolment_id, order)

    @cached_property
    def sample_offer(self) -> DataLoader[int, SampleOffer | None]:
        return one_per_key(self._sessions, SampleOffer, SampleOffer.id)

    @cached_property
    def sample_offers_of_citizen(self) -> DataLoader[int, list[SampleOfferRecord]]:
        """A person's offers as their lists show them: both lists of a page read them once."""

        return DataLoader(load_fn=partial(offers_of_people, self._direct))

    @cached_property
    def sites_of_sample_offer(self) -> DataLoader[int, list[SampleOfferSite]]:
        order = (SampleOfferSite.clinic_id,)
        return many_per_key(self._sessions, SampleOfferSite, SampleOfferSite.offer_id, order)

    @cached_property
    def orders_placed_within_offer(self) -> DataLoader[int, int]:
        """How many orders count against each offer (R-180); the offers' list primes it."""

        return DataLoader(load_fn=partial(placed_of_offers, self._sessions))

    @cached_property
    def sample_order(self) -> DataLoader[int, SampleOrder | None]:
        return one_per_key(self._sessions, SampleOrder, SampleOrder.id)

    @cached_property
    def result_of_sample_order(self) -> DataLoader[int, SampleResult | None]:
        return one_per_key(self._sessions, SampleResult, SampleResult.order_id)

    @cached_property
    def staff(self) -> DataLoader[int, Staff | None]:
        return one_per_key(self._sessions, Staff, Staff.id)

    @cached_property
    def clinic_by_hsa_id(self) -> DataLoader[str, AnyClinic | None]:
        return DataLoader(
            load_fn=partial(
                _catalogue_clinics_by_hsa_id, self._direct, self._kept.clinics_by_hsa_id
            )
        )

    @cached_property
    def staff_by_hsa_id(self) -> DataLoader[str, Staff | None]:
        return one_per_key(self._sessions, Staff, Staff.hsa_id)

    @cached_property
    def commissions_of_staff(self) -> DataLoader[int, list[Commission]]:
        return many_per_key(self._sessions, Commission, Commission.staff_id, (Commission.id,))

    @cached_property
    def form(self) -> DataLoader[int, Form | None]:
        return by_key(self._sources, "form", lambda s, ids: s.forms.forms(ids))

    @cached_property
    def questions_of_form(self) -> DataLoader[int, list[FormQuestion]]:
        return lists_by_key(self._sources, "form", lambda s, ids: s.forms.questions_of_forms(ids))

    @cached_property
    def form_request(self) -> DataLoader[int, FormRequest | None]:
        return by_key(self._sources, "form_request", lambda s, ids: s.forms.form_requests(ids))

    @cached_property
    def answers_of_form_request(self) -> DataLoader[int, list[FormAnswer]]:
        return lists_by_key(
            self._sources, "form_request", lambda s, ids: s.forms.answers_of_requests(ids)
        )

    @cached_property
    def journal_entry(self) -> DataLoader[int, JournalRecord | None]:
        return by_key(self._sources, "journal_entry", _journal_entries)

    @cached_property
    def certificate(self) -> DataLoader[int, Certificate | None]:
        return by_key(self._sources, "certificate", lambda s, ids: s.certificates.certificates(ids))

    @cached_property
    def deliveries_of_certificate(self) -> DataLoader[int, list[DeliveryRecord]]:
        return DataLoader(load_fn=partial(deliveries_of, self._direct))


def build_loaders(
    sessions: SessionFactory,
    direct: DirectStatements,
    people: People,
    sources: SourceRegistry,
    regions: RegionCatalogue,
    identities: ClinicIdentities,
    kept: KeptCatalogue,
    failures: list[SourceFailure] | None = None,
) -> Loaders:
    """`failures`: where loaders that answer without a failed source say so (the request's
    Context.source_failures)."""
    return Loaders(
        sessions,
        direct,
        people,
        sources,
        regions,
        identities,
        kept,
        [] if failures is None else failures,
    )


async def _journal_entries(source: RegionalSource, wanted: OwnIds) -> dict[int, JournalRecord]:
    return {} if source.journal is None else await source.journal.entries(wanted)


async def _catalogue_clinics_by_id(
    direct: DirectStatements, ids: Sequence[int]
) -> list[AnyClinic | None]:
    found = {clinic.id: clinic for clinic in await catalogue_clinics(direct, ids)}
    return [found.get(key) for key in ids]


async def _catalogue_clinics_by_hsa_id(
    direct: DirectStatements, kept: KeptForAWhile[str, ClinicRecord | None], hsa_ids: Sequence[str]
) -> list[AnyClinic | None]:
    """As the process keeps them (app/data/store/kept_catalogue.py), the others read together."""

    async def read(missing: list[str]) -> dict[str, ClinicRecord | None]:
        found = {c.hsa_id: c for c in await catalogue_clinics(direct, missing, "hsa_id")}
        return {hsa_id: found.get(hsa_id) for hsa_id in missing}

    known = await kept.read_through(hsa_ids, read)
    return [known[key] for key in hsa_ids]


async def _kept_type_at_clinic(
    direct: DirectStatements, kept: KeptForAWhile[int, TypeAtClinic | None], booking_type_id: int
) -> TypeAtClinic | None:
    """As the process keeps it (app/data/store/kept_catalogue.py), else read and kept."""

    async def read(missing: list[int]) -> dict[int, TypeAtClinic | None]:
        found = await booking_type_with_clinic(direct, booking_type_id)  # the one asked for
        return {booking_type_id: None if found is None else TypeAtClinic(*found)}

    return (await kept.read_through((booking_type_id,), read))[booking_type_id]
