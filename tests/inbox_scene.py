"""Vårdcentralen Ekan: a clinic that writes to inboxes, its errand handler, a patient of it
and a person who has never been there (tests of sending and of notifications)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.data.models import Citizen, Clinic, Staff
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.factories import World

SEND = contract_document("staff/SendInboxMessage.graphql")
SENT = contract_document("staff/SentMessages.graphql")
INBOX = contract_document("citizen/Inbox.graphql")
MESSAGE = contract_document("citizen/InboxMessage.graphql")
REBOOK = contract_document("citizen/RebookAppointment.graphql")


class Ekan:
    """Vårdcentralen Ekan, its errand handler Eva, its patient Anna (an errand there last
    month), and Bo, who has never been there."""

    def __init__(self, api: Api, world: World, clinic: Clinic, eva: Staff, **people: Citizen):
        self.api, self.world, self.clinic, self.eva = api, world, clinic, eva
        self.anna, self.bo = people["anna"], people["bo"]

    async def send(
        self, to: Citizen | str, as_: Staff | None = None, **fields: Any
    ) -> dict[str, Any]:
        input = {
            "clinicId": self.api.id_of(NodeKind.CLINIC, self.clinic),
            "personnummer": to if isinstance(to, str) else to.personnummer,
            "kind": "INFORMATION",
            "subject": "Nya öppettider",
            "body": "Från måndag öppnar vi klockan sju.",
            "replyAllowed": False,
            **fields,
        }
        body = await self.api.gql(SEND, {"input": input}, as_=as_ or self.eva)
        assert "errors" not in body, body
        payload: dict[str, Any] = body["data"]["sendInboxMessage"]
        return payload

    async def inbox(self, of: Citizen) -> list[dict[str, Any]]:
        body = await self.api.gql(
            INBOX, {"citizenId": self.api.id_of(NodeKind.CITIZEN, of), "first": 10}, as_=of
        )
        return [edge["node"] for edge in body["data"]["citizen"]["inbox"]["edges"]]


async def ekan_at(api: Api) -> Ekan:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"), "Vårdcentralen Ekan")
    eva = await world.staff("Eva", "Holm")
    await world.commission(eva, clinic, "ERRAND_HANDLER")
    anna = await world.citizen(date(1985, 1, 1), "Anna")
    bo = await world.citizen(date(1970, 3, 3), "Bo")
    await world.errand(
        anna, await world.errand_type(clinic), created_at=world.now - timedelta(days=30)
    )
    return Ekan(api, world, clinic, eva, anna=anna, bo=bo)
