"""Care systems send to inboxes (R-100, the national AddMessage contract's role): a client-
credentials token of their own issuer and audience, for the care units it names, with a
mutation of their own under the staff's rules (R-103, R-105). Staff and care-system tokens never
cross, and a care system reads nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from app.data.models import AuditEvent, InboxMessage, Region
from app.domain.ids import NodeKind
from auth.tokens import mint
from tests.client import Api, contract_document
from tests.conftest import app_on
from tests.databases import Databases
from tests.inbox_scene import Ekan, ekan_at
from tests.production import key_pair

pytestmark = pytest.mark.anyio

ISSUER = "https://care-systems.example/idp"
AUDIENCE = "vardgraf-care-systems"
CLIENT = "journalsystem-ekan"
SEND = """
mutation Send($input: CareSystemInboxMessageInput!) {
  sendInboxMessageFromCareSystem(input: $input) {
    message { id kind subject sender { hsaId name } replyAllowed }
    userErrors { code field message }
  }
}
"""
STAFF_SEND = contract_document("staff/SendInboxMessage.graphql")
ME = "query { me { givenName } }"


class Systems:
    def __init__(self, api: Api, ekan: Ekan, pem: bytes) -> None:
        self.api, self.ekan, self.pem = api, ekan, pem

    def token(self, units: list[str] | None = None, **claims: Any) -> str:
        return mint(
            self.pem,
            kid="care-systems",
            issuer=ISSUER,
            audience=AUDIENCE,
            subject=CLIENT,
            extra_claims={
                "acr": None,  # no person logs in with client credentials
                "scope": "inbox:send",
                "care_units": [self.ekan.clinic.hsa_id] if units is None else units,
                **claims,
            },
        )

    async def send(self, token: str | None = None, **fields: Any) -> dict[str, Any]:
        input = {
            "careUnitHsaId": self.ekan.clinic.hsa_id,
            "personnummer": self.ekan.anna.personnummer,
            "kind": "RESULT",
            "subject": "Provsvar",
            "body": "Dina prover är utan anmärkning.",
            "replyAllowed": False,
            **fields,
        }
        response = await self.api.post(SEND, {"input": input}, token or self.token())
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
async def systems(
    databases: Databases, empty_template: str, tmp_path: Path
) -> AsyncIterator[Systems]:
    pem, jwks = key_pair(tmp_path, "care-systems")
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path, care_system_issuer=ISSUER, care_system_jwks_file=jwks):
        yield Systems(api, await ekan_at(api), pem)
    await databases.drop(url)


async def test_a_care_system_sends_for_its_unit_and_the_patient_reads_it(
    systems: Systems,
) -> None:
    ekan, api = systems.ekan, systems.api
    body = await systems.send()
    sent = body["data"]["sendInboxMessageFromCareSystem"]
    assert sent["userErrors"] == [] and sent["message"]["kind"] == "RESULT"
    assert sent["message"]["sender"] == {"hsaId": ekan.clinic.hsa_id, "name": ekan.clinic.name}
    [message] = await ekan.inbox(ekan.anna)
    assert (message["subject"], message["sender"]["name"]) == ("Provsvar", ekan.clinic.name)
    async with api.resources.sessions() as session:
        row = (await session.execute(select(InboxMessage))).scalar_one()
        audit = (
            await session.execute(
                select(AuditEvent).where(col(AuditEvent.action) == "SEND_INBOX_MESSAGE")
            )
        ).scalar_one()
    assert (row.sent_by_system, row.sent_by_staff_id) == (CLIENT, None)
    assert (audit.actor_kind, audit.actor_system, audit.care_unit_id) == (
        "CARE_SYSTEM",
        CLIENT,
        ekan.clinic.id,
    )


async def test_a_unit_the_token_does_not_name_answers_like_an_unknown_one(
    systems: Systems,
) -> None:
    other = await systems.ekan.world.clinic(Region(code="01", name="Region 01"), "Annan")
    before = await systems.api.table_rows()
    for unit in (other.hsa_id, "SE2321000016-X9999"):
        body = await systems.send(careUnitHsaId=unit)
        [error] = body["data"]["sendInboxMessageFromCareSystem"]["userErrors"]
        assert (error["code"], error["field"]) == ("NOT_FOUND", ["input", "careUnitHsaId"])
    assert await systems.api.table_rows() == before


async def test_the_staffs_rules_hold_no_relation_and_no_such_person_alike(
    systems: Systems,
) -> None:
    for number in (systems.ekan.bo.personnummer, "19121212-1212"):
        body = await systems.send(personnummer=number)
        [error] = body["data"]["sendInboxMessageFromCareSystem"]["userErrors"]
        assert (error["code"], error["field"]) == ("NOT_FOUND", ["input", "personnummer"])
    body = await systems.send(kind="ERRAND_ANSWER")
    [error] = body["data"]["sendInboxMessageFromCareSystem"]["userErrors"]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "kind"])


async def test_staff_and_care_system_tokens_never_cross(systems: Systems) -> None:
    api, ekan = systems.api, systems.ekan
    # Staff on the care systems' mutation, a care system on the staff's and a citizen's field.
    staff_token = api.staff_token(ekan.eva)
    body = await systems.send(token=staff_token)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    staff_input = {
        "clinicId": api.id_of(NodeKind.CLINIC, ekan.clinic),
        "personnummer": ekan.anna.personnummer,
        "kind": "INFORMATION",
        "subject": "x",
        "body": "y",
        "replyAllowed": False,
    }
    response = await api.post(STAFF_SEND, {"input": staff_input}, systems.token())
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    response = await api.post(ME, None, systems.token())
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await ekan.inbox(ekan.anna) == []
    # What it sent, it cannot read back: a message's id answers like a random one.
    sent = (await systems.send())["data"]["sendInboxMessageFromCareSystem"]["message"]
    node = "query ($id: ID!) { node(id: $id) { id } }"
    response = await api.post(node, {"id": sent["id"]}, systems.token())
    assert response.json()["data"] == {"node": None}


@pytest.mark.parametrize(
    "claims",
    [
        {"scope": "inbox:read"},  # not the scope that sends
        {"care_units": []},
        {"care_units": ["not-an-hsa-id"]},
        {"client_id": "another-client"},  # says another client than sub
    ],
)
async def test_a_token_without_what_sending_needs_is_refused(
    systems: Systems, claims: dict[str, Any]
) -> None:
    response = await systems.api.post(SEND, {"input": {}}, systems.token(**claims))
    assert response.status_code == 401


async def test_a_care_system_token_is_not_taken_from_another_audience(systems: Systems) -> None:
    token = mint(
        systems.pem,
        kid="care-systems",
        issuer=ISSUER,
        audience="vardgraf-staff",
        subject=CLIENT,
        extra_claims={"scope": "inbox:send", "care_units": [systems.ekan.clinic.hsa_id]},
    )
    response = await systems.api.post(SEND, {"input": {}}, token)
    assert response.status_code == 401


async def test_a_retry_with_the_same_key_sends_once(systems: Systems) -> None:
    first = await systems.send(idempotencyKey="lab-result-4711")
    again = await systems.send(idempotencyKey="lab-result-4711")
    assert first["data"] == again["data"]
    assert len(await systems.ekan.inbox(systems.ekan.anna)) == 1
