"""A clinic of mine, one of another region's, a citizen with errands at both, and Eva, who
holds every clinic role at mine: the stage for the staff mutation tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.data.models import BookingType, Citizen, Clinic, Errand, Staff
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.factories import World


class Scene:
    def __init__(self, api: Api, world: World) -> None:
        self.api, self.world = api, world

    async def build(self) -> Scene:
        w = self.world
        self.region = await w.region("01")
        self.mine: Clinic = await w.clinic(self.region, "Vårdcentralen Min")
        self.theirs: Clinic = await w.clinic(await w.region("03"), "Vårdcentralen Annan")
        self.kind: BookingType = await w.booking_type(self.mine)
        self.eva: Staff = await w.staff("Eva", "Holm")
        await w.commission(self.eva, self.mine, "ERRAND_HANDLER", "ERRAND_TYPE_ADMIN", "SCHEDULER")
        self.anna: Citizen = await w.citizen(date(1985, 1, 1), "Anna", "Andersson")
        self.mine_errand: Errand = await w.errand(self.anna, await w.errand_type(self.mine))
        self.their_errand: Errand = await w.errand(self.anna, await w.errand_type(self.theirs))
        return self

    async def run(
        self, document: str, payload: dict[str, Any], as_: Staff | Citizen | None = None
    ) -> dict[str, Any]:
        folder = "citizen" if document == "ReplyToErrand" else "staff"
        body = await self.api.gql(
            contract_document(f"{folder}/{document}.graphql"),
            {"input": payload},
            as_=as_ or self.eva,
        )
        assert "errors" not in body, body
        result: dict[str, Any] = next(iter(body["data"].values()))
        return result

    def id(self, kind: NodeKind, row: Any) -> str:
        return self.api.id_of(kind, row)


async def scene(api: Api) -> Scene:
    return await Scene(api, World(api.resources.sessions, api.clock.now())).build()


def codes(result: dict[str, Any]) -> list[str]:
    return [e["code"] for e in result["userErrors"]]
