"""A region's prescriptions over FHIR R4, for renewing from the list (R-150), read live.

Read from MedicationRequest (intent order), not MedicationStatement: renewing needs the
prescription, and only a MedicationRequest says who prescribed (`requester`), where, and when
(`authoredOn`); a MedicationStatement records that a medication is taken, its
`informationSource` is whoever told. (The journal's MEDICATION category reads
MedicationStatement: journal_mapping.py.)

MedicationRequest
  medication    `medicationReference` to a contained Medication (`#medication`): `code` (the
                ATC coding; `text` the product's name), `form.text`, and the strength as
                `ingredient[0].strength`, a Ratio (10 mg; 0,5 mg per dos)
  prescriber    `requester`: a contained PractitionerRole as the journal's author
                (journal_mapping.py): `practitioner.display`, `code[0].text`, `organization` the
                unit by HSA-id and name; the care provider is the organisation the unit's HSA-id
                names (R-70)
  status        active, completed, stopped; on-hold reads as STOPPED; cancelled, draft and
                entered-in-error were never a prescription of the patient's and are left out
  date          `authoredOn`, the Stockholm date
  approved      as every journal record: the label or the extension (R-121)
  patient       `subject`, included: checked to be the patient asked about
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from fhir.resources.R4B.medication import Medication
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.ratio import Ratio
from fhir.resources.R4B.resource import Resource

from app.data.records import CitizenRecord
from app.domain.clock import STOCKHOLM
from app.sources.fanout import SourceError
from app.sources.fhir import mapping
from app.sources.fhir.client import FhirClient
from app.sources.fhir.journal_mapping import ATC
from app.sources.fhir.reading import Bundled, approval, contained_role, made_at, unit_named
from app.sources.medication_records import MedicationLine
from app.sources.ports import OwnIds
from app.sources.refs import ForeignRecord, SourceRefs

RESOURCE = "MedicationRequest"
ENTRY = "medication"  # what our keys of its lines are handed out as (refs.py)
STATUSES = {
    "active": "ACTIVE",
    "completed": "COMPLETED",
    "stopped": "STOPPED",
    "on-hold": "STOPPED",
}
NEVER_PRESCRIBED = frozenset({"cancelled", "draft", "entered-in-error"})
WITH_PATIENT = ("_include", "MedicationRequest:patient")


class FhirMedications:
    def __init__(
        self, client: FhirClient, refs: SourceRefs, source_name: str, region_code: str
    ) -> None:
        self._client, self._refs = client, refs
        self._source, self._region = source_name, region_code

    def regions(self) -> frozenset[str]:
        return frozenset({self._region})

    async def medications_of(self, patient: CitizenRecord) -> list[MedicationLine]:
        found, more = await self._client.search(
            RESOURCE,
            [
                ("patient.identifier", f"{mapping.PERSONNUMMER}|{patient.personnummer}"),
                ("intent", "order"),
                WITH_PATIENT,
            ],
        )
        if more:
            raise SourceError(f"{RESOURCE}: a patient's prescriptions paged on without an end")
        lines = await self._lines(found)
        if any(line.patient_personnummer != patient.personnummer for line in lines):
            raise SourceError(f"{RESOURCE}: another patient's prescription")
        return lines

    async def medications(self, wanted: OwnIds) -> dict[int, MedicationLine]:
        ids = [
            foreign.removeprefix(f"{RESOURCE}/")
            for foreign in wanted.values()
            if foreign.startswith(f"{RESOURCE}/")
        ]
        if not ids:
            return {}
        found, _ = await self._client.search(RESOURCE, [("_id", ",".join(ids)), WITH_PATIENT])
        return {line.key: line for line in await self._lines(found)}

    async def _lines(self, found: Sequence[Resource]) -> list[MedicationLine]:
        bundled = Bundled(found)
        requests = [
            r
            for r in found
            if isinstance(r, MedicationRequest) and str(r.status) not in NEVER_PRESCRIBED
        ]
        handed_out = [ForeignRecord(self._source, ENTRY, f"{RESOURCE}/{r.id}") for r in requests]
        keys = await self._refs.keys_for(handed_out)
        return [
            _line(request, keys[foreign], self._region, bundled)
            for request, foreign in zip(requests, handed_out, strict=True)
        ]


def _line(
    request: MedicationRequest, key: int, region_code: str, bundled: Bundled
) -> MedicationLine:
    what = f"{RESOURCE}/{request.id}"
    status = STATUSES.get(str(request.status))
    if status is None:
        raise SourceError(f"{what}: status {request.status} is no prescription status")
    medication = _medication(request, what)
    role = contained_role(request, request.requester, what)
    unit_hsa_id, unit_name = unit_named(role.organization, what)
    professions = [c.text for c in role.code or [] if c.text]
    prescriber = role.practitioner.display if role.practitioner is not None else None
    if not prescriber:
        raise SourceError(f"{what}: no prescriber's name")
    if medication.code is None or not medication.code.text or medication.form is None:
        raise SourceError(f"{what}: the medication needs its name and form")
    atc = [c.code for c in medication.code.coding or [] if c.system == ATC]
    return MedicationLine(
        key=key,
        region_code=region_code,
        patient_personnummer=bundled.personnummer(request.subject, what),
        name=str(medication.code.text),
        strength=_strength(medication, what),
        form=str(medication.form.text or ""),
        atc_code=str(atc[0]) if atc else None,
        prescriber_name=str(prescriber),
        prescriber_role=professions[0] if professions else None,
        care_unit_hsa_id=unit_hsa_id,
        care_unit_name=unit_name,
        care_provider_hsa_id=unit_hsa_id.split("-", 1)[0],
        status=status,
        last_prescribed_on=_date(request.authoredOn, what),
        approved_for_patient=approval(request),
    )


def _medication(request: MedicationRequest, what: str) -> Medication:
    wanted = request.medicationReference.reference if request.medicationReference else None
    found = [
        r for r in request.contained or [] if isinstance(r, Medication) and wanted == f"#{r.id}"
    ]
    if len(found) != 1:
        raise SourceError(f"{what}: its medication is not a contained Medication")
    return found[0]


def _strength(medication: Medication, what: str) -> str:
    ratios = [i.strength for i in medication.ingredient or [] if i.strength is not None]
    if len(ratios) != 1:
        raise SourceError(f"{what}: the medication needs one strength")
    return strength_text(ratios[0], what)


def strength_text(ratio: Ratio, what: str) -> str:
    """10 mg; 0,5 mg/dos; 100 mikrog/dos: as Swedish product texts write it."""
    top = ratio.numerator
    if top is None or top.value is None or not top.unit:
        raise SourceError(f"{what}: a strength needs its value and unit")
    text = f"{_number(top.value)} {top.unit}"
    bottom = ratio.denominator
    if bottom is None or not bottom.unit:
        return text
    per = "" if bottom.value in (None, 1) else f"{_number(bottom.value)} "
    return f"{text}/{per}{bottom.unit}"


def _number(value: Decimal | float) -> str:
    return format(Decimal(str(value)).normalize(), "f").replace(".", ",")


def _date(value: object, what: str) -> date:
    return made_at(value, what).astimezone(STOCKHOLM).date()
