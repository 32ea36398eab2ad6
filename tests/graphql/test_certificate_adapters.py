"""The same certificate journeys over every adapter (R-91): the list across regions, one
certificate with its text, its PDF by signed link, and sending it once."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.client import contract_document
from tests.databases import Databases
from tests.fhir_server import FhirServer
from tests.scheduling_scene import Scene, scene_on

pytestmark = pytest.mark.anyio
LIST = contract_document("citizen/Certificates.graphql")
SHOW = contract_document("citizen/Certificate.graphql")
SEND = contract_document("citizen/SendCertificate.graphql")


@pytest.fixture(params=["sql", "fhir"])
async def scene(
    request: pytest.FixtureRequest,
    databases: Databases,
    empty_template: str,
    tmp_path: Path,
    fhir_server: FhirServer,
) -> AsyncIterator[Scene]:
    async for scene in scene_on(request.param, databases, empty_template, tmp_path, fhir_server):
        yield scene


def day(n: int) -> datetime:
    return datetime(2026, 11, n, 10, 0, tzinfo=UTC)


async def listed(scene: Scene, first: int, after: str | None = None) -> dict[str, Any]:
    body = await scene.api.gql(LIST, {"first": first, "after": after}, as_=scene.alice)
    assert "errors" not in body, body
    page: dict[str, Any] = body["data"]["me"]["certificates"]
    return page


async def with_three_certificates(scene: Scene) -> None:
    """Two from the scene's clinic (its region's source), one from Stockholm (SQL) between."""
    await scene.certificate(day(10), "Intyg A")
    await scene.certificate(day(20), "Intyg C", recipients=("FKASSA", "TRANSPORTSTYRELSEN"))
    stockholm = await scene.world.clinic(scene.stockholm, "Vårdcentralen Åsö")
    await scene.world.certificate(scene.alice, stockholm, issued_at=day(15), title="Intyg B")


async def test_certificates_of_all_regions_come_newest_first_page_by_page(scene: Scene) -> None:
    await with_three_certificates(scene)
    first = await listed(scene, 2)
    second = await listed(scene, 2, first["pageInfo"]["endCursor"])
    nodes = [edge["node"] for edge in first["edges"] + second["edges"]]
    assert [n["title"] for n in nodes] == ["Intyg C", "Intyg B", "Intyg A"]
    assert [n["issuer"]["name"] for n in nodes] == [
        "Vårdcentralen Lund",
        "Vårdcentralen Åsö",
        "Vårdcentralen Lund",
    ]
    assert nodes[0]["availableRecipients"] == ["FKASSA", "TRANSPORTSTYRELSEN"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasNextPage"] is False


async def test_a_certificate_shows_its_text_and_downloads_as_pdf(scene: Scene) -> None:
    await scene.certificate(day(20), "Läkarintyg för sjukpenning")
    [edge] = (await listed(scene, 5))["edges"]
    body = await scene.api.gql(SHOW, {"id": edge["node"]["id"]}, as_=scene.alice)
    certificate = body["data"]["node"]
    assert certificate["kind"] == "SICK_LEAVE"
    assert [s["heading"] for s in certificate["sections"]] == ["Diagnos"]
    response = await scene.api.client.get(certificate["downloadUrl"])
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Läkarintyg för sjukpenning" in text
    assert "Vårdcentralen Lund" in text


async def test_a_certificate_is_sent_to_a_recipient_once(scene: Scene) -> None:
    await scene.certificate(day(20), "Intyg")
    [edge] = (await listed(scene, 5))["edges"]
    send = {"certificateId": edge["node"]["id"], "recipient": "FKASSA"}
    sent = await scene.api.gql(SEND, {"input": send}, as_=scene.alice)
    assert sent["data"]["sendCertificate"]["userErrors"] == []
    assert [d["recipient"] for d in sent["data"]["sendCertificate"]["certificate"]["sentTo"]] == [
        "FKASSA"
    ]
    again = await scene.api.gql(SEND, {"input": send}, as_=scene.alice)
    assert [e["code"] for e in again["data"]["sendCertificate"]["userErrors"]] == ["ALREADY_SENT"]
    elsewhere = {**send, "recipient": "TRANSPORTSTYRELSEN"}
    refused = await scene.api.gql(SEND, {"input": elsewhere}, as_=scene.alice)
    assert [e["code"] for e in refused["data"]["sendCertificate"]["userErrors"]] == [
        "RECIPIENT_NOT_AVAILABLE"
    ]


async def test_another_citizen_can_neither_read_nor_send_it(scene: Scene) -> None:
    await scene.certificate(day(20), "Intyg")
    [edge] = (await listed(scene, 5))["edges"]
    seen = await scene.api.gql(SHOW, {"id": edge["node"]["id"]}, as_=scene.bob)
    assert seen["data"]["node"] is None  # as for an id that does not exist
    send = {"certificateId": edge["node"]["id"], "recipient": "FKASSA"}
    refused = await scene.api.gql(SEND, {"input": send}, as_=scene.bob)
    assert [e["code"] for e in refused["data"]["sendCertificate"]["userErrors"]] == ["NOT_FOUND"]
    bobs = await scene.api.gql(LIST, {"first": 5}, as_=scene.bob)
    assert bobs["data"]["me"]["certificates"]["edges"] == []


async def test_a_page_may_end_on_any_regions_certificate(scene: Scene) -> None:
    """Pages of one: each cursor stands on one certificate, the region's (a foreign key, 62
    bits) or ours, and every source reads on from it (PostgreSQL's 32-bit ids included)."""
    await with_three_certificates(scene)
    titles: list[str] = []
    after = None
    for _ in range(3):
        page = await listed(scene, 1, after)
        titles.extend(edge["node"]["title"] for edge in page["edges"])
        after = page["pageInfo"]["endCursor"]
    assert titles == ["Intyg C", "Intyg B", "Intyg A"]
    assert page["pageInfo"]["hasNextPage"] is False
