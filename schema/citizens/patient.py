"""The person an errand or form is about, as care staff see them."""

from __future__ import annotations

import strawberry

from app.data.records import CitizenRecord
from app.domain.ids import IdCodec, NodeKind
from app.domain.keys import pk
from schema.node import Node
from schema.scalars import PersonnummerValue


@strawberry.type(
    description="The person an errand or form request is about, as care staff see them. Its "
    "id is its own, not the Citizen's of the same person."
)
class Patient(Node):
    personnummer: PersonnummerValue = strawberry.field(description="The personnummer.")
    given_name: str = strawberry.field(description="Registered given name.")
    family_name: str = strawberry.field(description="Registered family name.")

    @classmethod
    def from_row(cls, row: CitizenRecord, ids: IdCodec) -> Patient:
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.PATIENT, pk(row))),
            personnummer=PersonnummerValue(row.personnummer),
            given_name=row.given_name,
            family_name=row.family_name,
        )
