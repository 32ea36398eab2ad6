"""Certificates: read, download as a real PDF by a short-lived signed link, send once (R-91)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlmodel import col

from app.data.models import AuditEvent, Certificate, Citizen
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.factories import World

pytestmark = pytest.mark.anyio

SHOW = contract_document("citizen/Certificate.graphql")
SEND = contract_document("citizen/SendCertificate.graphql")


async def setup(api: Api) -> tuple[Citizen, Certificate]:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"), "Vårdcentralen Åsö")
    alice = await world.citizen(date(1980, 1, 1), "Åsa", "Öberg")
    certificate = await world.certificate(alice, clinic, recipients=["FKASSA"])
    return alice, certificate


async def download_url(api: Api, alice: Citizen, certificate: Certificate) -> str:
    body = await api.gql(SHOW, {"id": api.id_of(NodeKind.CERTIFICATE, certificate)}, as_=alice)
    url: str = body["data"]["node"]["downloadUrl"]
    return url


async def actions(api: Api) -> list[str]:
    async with api.resources.sessions() as session:
        rows = await session.scalars(select(AuditEvent).order_by(col(AuditEvent.id)))
        return [row.action for row in rows]


async def test_the_download_link_gives_the_certificate_as_pdf_and_is_logged(api: Api) -> None:
    alice, certificate = await setup(api)
    url = await download_url(api, alice, certificate)
    response = await api.client.get(url)  # no bearer token: the signed link is the grant
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Läkarintyg för sjukpenning" in text
    assert "Åsa Öberg" in text
    assert "Vårdcentralen Åsö" in text
    assert await actions(api) == ["READ_CERTIFICATE", "DOWNLOAD_CERTIFICATE"]


@pytest.mark.parametrize(
    ("given", "family", "clinic"),
    [
        ("Áŋŋe", "Ŋuolja", "Guovdageainnu dearvvašvuođaguovddáš"),  # Northern Sámi
        ("Äänis", "Hämäläinen", "Tornion terveyskeskus"),  # Finnish (Tornedalen)
        ("Łukasz", "Wąsik", "Vårdcentralen Źródło"),  # Polish
    ],
)
async def test_the_pdf_prints_every_name_as_written(
    api: Api, given: str, family: str, clinic: str
) -> None:
    world = World(api.resources.sessions, api.clock.now())
    issuer = await world.clinic(await world.region("25"), clinic)
    holder = await world.citizen(date(1980, 1, 1), given, family, home_region_code="25")
    certificate = await world.certificate(holder, issuer)
    response = await api.client.get(await download_url(api, holder, certificate))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert f"{given} {family}" in text
    assert clinic in text
    assert "?" not in text


async def test_tampered_and_expired_links_are_refused(api: Api) -> None:
    alice, certificate = await setup(api)
    url = await download_url(api, alice, certificate)
    query = parse_qs(urlsplit(url).query)
    tampered = url.replace(f"exp={query['exp'][0]}", f"exp={int(query['exp'][0]) + 3600}")
    other = url.replace("sig=", "sig=A")
    for bad in (tampered, other, url.split("?")[0]):
        response = await api.client.get(bad)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "LINK_INVALID"
    api.clock.set(api.clock.now() + timedelta(seconds=api.resources.settings.download_link_seconds))
    expired = await api.client.get(url)
    assert expired.status_code == 403
    assert expired.json()["error"]["code"] == "LINK_INVALID"
    assert "DOWNLOAD_CERTIFICATE" not in await actions(api)


async def send(
    api: Api, alice: Citizen, certificate: Certificate, recipient: str
) -> dict[str, Any]:
    body = await api.gql(
        SEND,
        {
            "input": {
                "certificateId": api.id_of(NodeKind.CERTIFICATE, certificate),
                "recipient": recipient,
            }
        },
        as_=alice,
    )
    result: dict[str, Any] = body["data"]["sendCertificate"]
    return result


async def test_a_certificate_is_sent_to_a_recipient_at_most_once(api: Api) -> None:
    alice, certificate = await setup(api)
    first = await send(api, alice, certificate, "FKASSA")
    assert [s["recipient"] for s in first["certificate"]["sentTo"]] == ["FKASSA"]
    again = await send(api, alice, certificate, "FKASSA")
    assert again["userErrors"][0]["code"] == "ALREADY_SENT"
    elsewhere = await send(api, alice, certificate, "TRANSPORTSTYRELSEN")
    assert elsewhere["userErrors"] == [
        {
            "code": "RECIPIENT_NOT_AVAILABLE",
            "field": ["input", "recipient"],
            "message": elsewhere["userErrors"][0]["message"],
        }
    ]
