"""Renewing prescriptions from the list (R-150..R-159) as the clients read it: a person's
medications at one clinic, which it renews and why not the others, and the clinic's terms."""

from __future__ import annotations

from datetime import date

import strawberry

from app.data.shared_objects import SharedObjects, shared_as_built
from app.domain.ids import IdCodec, NodeKind
from app.domain.regions_config import RenewalTerms as Terms
from app.sources.medication_records import MedicationLine
from auth.prescription_policy import ListUnavailable, NotRenewable
from schema.clinics.build import shown_regional_unit
from schema.clinics.types import RegionalCareUnit

PrescriptionsUnavailableReason = strawberry.enum(
    ListUnavailable,
    name="PrescriptionsUnavailableReason",
    description="Why a clinic shows no medication list (R-150, R-157).",
)
NotRenewableReason = strawberry.enum(
    NotRenewable,
    name="NotRenewableReason",
    description="Why a clinic cannot renew a listed medication (R-152, R-153).",
)


@shared_as_built  # the same few prescribers for a person's 30 medications: built once
@strawberry.type(description="Who prescribed a medication, and where.")
class Prescriber:
    name: str = strawberry.field(description="The prescriber's name.")
    role: str | None = strawberry.field(description="Their profession, e.g. Läkare.")
    care_unit: RegionalCareUnit = strawberry.field(description="The unit that prescribed it.")


@strawberry.type(description="A medication of the person's list, as a clinic sees it (R-151).")
class PrescriptionItem:
    id: strawberry.ID = strawberry.field(description="Give it to requestPrescriptionRenewal.")
    medication_name: str = strawberry.field(description="The product, e.g. Enalapril Sandoz.")
    strength: str = strawberry.field(description="The strength, e.g. 10 mg.")
    form: str = strawberry.field(description="The form, e.g. tablett.")
    atc_code: str | None = strawberry.field(description="Its ATC code, where the region has it.")
    last_prescribed_on: date = strawberry.field(description="When it was last prescribed.")
    prescriber: Prescriber = strawberry.field(description="Who prescribed it, and where.")
    renewable_here: bool = strawberry.field(description="Whether this clinic can renew it.")
    not_renewable_reason: NotRenewable | None = strawberry.field(
        description="Why not, when it cannot: then turn to the prescriber."
    )


@strawberry.type(description="The clinic's terms for renewals (R-153), shown before asking.")
class RenewalTerms:
    turnaround_days: int = strawberry.field(description="Working days to an answer.")
    fee_sek: int = strawberry.field(description="The fee, in kronor (0: none).")


@strawberry.type(description="A person's medication list at one clinic (R-150..R-157).")
class Prescriptions:
    available: bool = strawberry.field(description="Whether the clinic shows the list.")
    unavailable_reason: ListUnavailable | None = strawberry.field(
        description="Why not, when it does not."
    )
    opens_on: date | None = strawberry.field(
        description="When the person's own list opens to them (NOT_YET: at 18, R-157)."
    )
    terms: RenewalTerms | None = strawberry.field(
        description="The clinic's terms, where it renews from the list."
    )
    items: list[PrescriptionItem] = strawberry.field(
        description="The active medications approved for the patient, by name."
    )


def item_from_line(
    line: MedicationLine, reason: NotRenewable | None, ids: IdCodec, shared: SharedObjects
) -> PrescriptionItem:
    return PrescriptionItem(
        id=strawberry.ID(ids.encode(NodeKind.PRESCRIPTION, line.key)),
        medication_name=line.name,
        strength=line.strength,
        form=line.form,
        atc_code=line.atc_code,
        last_prescribed_on=line.last_prescribed_on,
        prescriber=_prescriber(line, shared),
        renewable_here=reason is None,
        not_renewable_reason=reason,
    )


def _prescriber(line: MedicationLine, shared: SharedObjects) -> Prescriber:
    name, role = line.prescriber_name, line.prescriber_role
    unit_hsa_id, unit_name = line.care_unit_hsa_id, line.care_unit_name
    return shared.get(
        ("prescriber", name, role, unit_hsa_id, unit_name),
        lambda: Prescriber(
            name=name, role=role, care_unit=shown_regional_unit(shared, unit_hsa_id, unit_name)
        ),
    )


def terms_from(terms: Terms) -> RenewalTerms:
    return RenewalTerms(turnaround_days=terms.turnaround_days, fee_sek=terms.fee_sek)
