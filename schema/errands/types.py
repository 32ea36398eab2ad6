"""Errand types (ärendetyper), errands (vårdärenden) and their messages."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Private

from app.context import Info
from app.data.models import RenewalLine as RenewalLineRow
from app.data.records import AnyErrand, AnyErrandType
from app.data.shared_objects import SharedObjects
from app.domain.ids import IdCodec, NodeKind
from schema.citizens.patient import Patient
from schema.forms.types import Form
from schema.node import Node

if TYPE_CHECKING:
    from schema.clinics.types import Clinic, RegionalCareUnit


@strawberry.enum(description="What kind of errand a type is.")
class ErrandCategory(Enum):
    ADVICE = "ADVICE"
    PRESCRIPTION_RENEWAL = "PRESCRIPTION_RENEWAL"
    JOURNAL_COPY = "JOURNAL_COPY"
    BOOKING_REQUEST = "BOOKING_REQUEST"
    OTHER = "OTHER"


@strawberry.enum(description="Where an errand stands: sent, in progress, answered, closed.")
class ErrandStatus(Enum):
    SENT = "SENT"
    IN_PROGRESS = "IN_PROGRESS"
    ANSWERED = "ANSWERED"
    CLOSED = "CLOSED"


@strawberry.enum(description="Who wrote a message.")
class AuthorKind(Enum):
    CITIZEN = "CITIZEN"
    GUARDIAN = "GUARDIAN"
    STAFF = "STAFF"


@strawberry.type(description="A kind of errand a clinic (or its whole region) offers.")
class ErrandType(Node):
    name: str = strawberry.field(description="The type's name, e.g. Förnya recept.")
    description: str = strawberry.field(description="What the type is for.")
    category: ErrandCategory = strawberry.field(description="Its category.")
    open_to_guardians: bool = strawberry.field(
        description="Whether a guardian may use it for a child."
    )
    active: bool = strawberry.field(description="False once retired; old errands keep it.")
    available: bool = strawberry.field(
        description="Whether it can be used now, for the citizen asked about."
    )
    form_id: Private[int | None]

    @classmethod
    def build(cls, row: AnyErrandType, ids: IdCodec, *, available: bool) -> ErrandType:
        assert row.id is not None
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.ERRAND_TYPE, row.id)),
            name=row.name,
            description=row.description,
            category=ErrandCategory(row.category),
            open_to_guardians=row.open_to_guardians,
            active=row.active,
            available=available,
            form_id=row.form_id,
        )

    @strawberry.field(description="Questions to answer with the errand.")
    async def form(self, info: Info) -> Form | None:
        # Read when asked for (a list of errands seldom asks), in batch with its siblings'.
        if self.form_id is None:
            return None
        # Imported here: the builders (schema/*/build.py) import this module's types.
        from schema.forms.build import forms_by_id

        return (await forms_by_id(info.context, [self.form_id])).get(self.form_id)


@strawberry.type(description="Who wrote a message, as shown to the citizen.")
class MessageAuthor:
    kind: AuthorKind = strawberry.field(description="Citizen, guardian or staff.")
    display_name: str = strawberry.field(description="The author's name.")


@strawberry.type(description="One message of an errand's thread.")
class ErrandMessage:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
    body: str = strawberry.field(description="The text.")
    sent_at: datetime = strawberry.field(description="When it was sent.")
    author: MessageAuthor = strawberry.field(description="Who wrote it.")


@strawberry.type(description="A medication a renewal asks for, as the list showed it (R-150).")
class RenewalLine:
    medication_name: str = strawberry.field(description="The product.")
    strength: str = strawberry.field(description="The strength, e.g. 10 mg.")
    form: str = strawberry.field(description="The form, e.g. tablett.")
    atc_code: str | None = strawberry.field(description="Its ATC code, where known.")
    prescriber_name: str = strawberry.field(description="Who prescribed it last.")
    care_unit: Annotated[RegionalCareUnit, strawberry.lazy("schema.clinics.types")] = (
        strawberry.field(description="Where it was prescribed.")
    )

    @classmethod
    def from_row(cls, row: RenewalLineRow, shared: SharedObjects) -> RenewalLine:
        # Imported here: clinics' types name errand types, so this module loads first.
        from schema.clinics.build import shown_regional_unit

        return cls(
            medication_name=row.medication_name,
            strength=row.strength,
            form=row.form,
            atc_code=row.atc_code,
            prescriber_name=row.prescriber_name,
            care_unit=shown_regional_unit(shared, row.care_unit_hsa_id, row.care_unit_name),
        )


@strawberry.type(description="An errand (vårdärende) between a citizen and a clinic.")
class Errand(Node):
    status: ErrandStatus = strawberry.field(description="Where it stands.")
    created_at: datetime = strawberry.field(description="When it was sent.")
    updated_at: datetime = strawberry.field(description="Latest activity.")
    unread: bool = strawberry.field(description="A staff reply the citizen has not yet read.")
    errand_type: ErrandType = strawberry.field(description="Its type (possibly retired).")
    clinic: Annotated[Clinic, strawberry.lazy("schema.clinics.types")] = strawberry.field(
        description="The clinic it is addressed to."
    )
    subject: Patient = strawberry.field(description="The person the errand is about.")
    row: Private[AnyErrand]

    @classmethod
    def build(
        cls,
        row: AnyErrand,
        errand_type: ErrandType,
        clinic: Clinic,
        subject: Patient,
        ids: IdCodec,
    ) -> Errand:
        assert row.id is not None
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.ERRAND, row.id)),
            status=ErrandStatus(row.status),
            created_at=row.created_at,
            updated_at=row.updated_at,
            unread=row.unread_by_citizen,
            errand_type=errand_type,
            clinic=clinic,
            subject=subject,
            row=row,
        )

    @strawberry.field(
        description="A renewal from the medication list: the medications asked for, as the "
        "list showed them (R-150); empty for other errands."
    )
    async def renewal_lines(self, info: Info) -> list[RenewalLine]:
        if self.errand_type.category is not ErrandCategory.PRESCRIPTION_RENEWAL:
            return []  # only renewals have lines: no read for the others
        rows = await info.context.loaders.renewal_lines_of_errand.load(self.row.id or 0)
        return [RenewalLine.from_row(row, info.context.shared_objects) for row in rows]

    @strawberry.field(description="The thread, oldest first.")
    async def messages(self, info: Info) -> list[ErrandMessage]:
        # Imported here: messages are built beside errands, from this module's types.
        from schema.errands.messages import messages_of

        return await messages_of(info.context, self.row)
