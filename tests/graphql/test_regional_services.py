"""The regions' own services and the hand-off to them (R-210..R-214): the list a person (or a
guardian for a child) is shown, a code redeemed once by the service with private_key_jwt (RFC
7523) or a client secret for a signed assertion of who the user is, and every refusal: another
region's service, one that takes no child, a code replayed, expired or another service's, a
bad proof (each the same answer), and a flood of redemptions."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.data.models import Citizen
from app.domain.ids import NodeKind
from auth.tokens import sign, verified_claims
from tests.client import Api, contract_document
from tests.conftest import app_on
from tests.databases import Databases
from tests.factories import World
from tests.regions import with_more

pytestmark = pytest.mark.anyio
SERVICES = contract_document("citizen/RegionalServices.graphql")
OPEN = contract_document("citizen/OpenRegionalService.graphql")
ENDPOINT = "http://testserver/handoff/token"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SECRET = "a-long-random-client-secret-of-the-test-service"


def _key() -> tuple[bytes, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public.decode()


KEY, PUBLIC = _key()
OTHER_KEY, _ = _key()


def _services(public: str) -> str:
    secret_hash = hashlib.sha256(SECRET.encode()).hexdigest()
    return f'''
[[regions."01".services]]
key = "test-journalen"
name = "Journalen i regionen"
url = "https://tjanst.region01.se/sso?lang=sv"
audience = "https://tjanst.region01.se"
acts_for_children = true
public_key = """
{public}"""

[[regions."01".services]]
key = "test-hjalp"
name = "Hjälp hemma"
url = "https://hjalpmedel.region01.se/sso"
audience = "https://hjalpmedel.region01.se"
recommended = true
secret_sha256 = "{secret_hash}"

[[regions."03".services]]
key = "uppsala"
name = "Uppsalas tjänst"
url = "https://tjanst.region03.se/"
audience = "https://tjanst.region03.se"
secret_sha256 = "{secret_hash}"
'''


@dataclass
class Scene:
    api: Api
    world: World
    anna: Citizen  # Stockholm
    olle: Citizen  # her son
    ulla: Citizen  # Uppsala

    async def services(self, whose: Citizen, as_: Citizen | None = None) -> list[dict[str, Any]]:
        variables = {"citizenId": self.api.id_of(NodeKind.CITIZEN, whose)}
        body = await self.api.gql(SERVICES, variables, as_=as_ or whose)
        assert "errors" not in body, body
        found: list[dict[str, Any]] = body["data"]["citizen"]["regionalServices"]
        return found

    async def open(self, service_id: str, whose: Citizen | None = None, **more: Any) -> Any:
        whose = whose or self.anna
        input = {"citizenId": self.api.id_of(NodeKind.CITIZEN, whose), "serviceId": service_id}
        body = await self.api.gql(OPEN, {"input": input}, as_=more.get("as_", whose))
        assert "errors" not in body, body
        return body["data"]["openRegionalService"]

    async def code(self, name: str, whose: Citizen | None = None, **more: Any) -> str:
        [service] = [
            s for s in await self.services(whose or self.anna, **more) if s["name"] == name
        ]
        opened = await self.open(service["id"], whose, **more)
        assert opened["userErrors"] == [], opened
        [code] = parse_qs(urlsplit(str(opened["handOff"]["url"])).query)["code"]
        return code

    async def redeem(self, code: str, client: str = "01/test-journalen", **proof: str) -> Any:
        form = {"code": code, "client_id": client, **(proof or _assertion(client))}
        return await self.api.client.post("/handoff/token", data=form)


def _assertion(client: str, key: bytes = KEY, **claims: Any) -> dict[str, str]:
    now = int(time.time())
    signed = sign(
        key,
        {
            "iss": client,
            "sub": client,
            "aud": ENDPOINT,
            "iat": now,
            "exp": now + 60,
            "jti": secrets.token_urlsafe(8),
            **claims,
        },
        kid="test",
        algorithm="ES256",
    )
    return {"client_assertion_type": JWT_BEARER, "client_assertion": signed}


@pytest.fixture
async def scene(databases: Databases, empty_template: str, tmp_path: Path) -> AsyncIterator[Scene]:
    url = await databases.clone(empty_template)
    regions = with_more(tmp_path, _services(PUBLIC))
    async for api in app_on(url, tmp_path, regions_file=regions):
        world = World(api.resources.sessions, api.clock.now())
        for code in ("01", "03"):
            await world.region(code)
        anna = await world.citizen(date(1985, 5, 5), "Anna", "Andersson")
        olle = await world.citizen(world.now.date().replace(year=world.now.year - 6), "Olle")
        await world.guardianship(anna, olle)
        ulla = await world.citizen(date(1970, 1, 1), "Ulla", home_region_code="03")
        yield Scene(api, world, anna, olle, ulla)
    await databases.drop(url)


async def test_a_person_sees_their_regions_services_and_a_child_those_that_take_one(
    scene: Scene,
) -> None:
    mine = {s["name"]: s for s in await scene.services(scene.anna)}
    assert (mine["Journalen i regionen"]["recommended"], mine["Hjälp hemma"]["recommended"]) == (
        False,
        True,
    )
    assert {s["region"]["code"] for s in mine.values()} == {"01"}
    for_olle = await scene.services(scene.olle, as_=scene.anna)
    assert "Journalen i regionen" in {s["name"] for s in for_olle}
    assert "Hjälp hemma" not in {s["name"] for s in for_olle}
    assert [s["name"] for s in await scene.services(scene.ulla)] == ["Uppsalas tjänst"]


async def test_a_code_redeemed_with_private_key_jwt_says_who_and_for_whom(scene: Scene) -> None:
    [service] = [s for s in await scene.services(scene.anna) if s["name"].startswith("Journalen")]
    opened = await scene.open(service["id"], scene.olle, as_=scene.anna)
    url = urlsplit(opened["handOff"]["url"])
    assert (url.scheme, url.netloc, url.path) == ("https", "tjanst.region01.se", "/sso")
    query = parse_qs(url.query)
    assert query["lang"] == ["sv"] and len(query["code"][0]) >= 43  # 256 bits
    assert scene.anna.personnummer not in opened["handOff"]["url"]
    answer = await scene.redeem(query["code"][0])
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    keys = (await scene.api.client.get("/handoff/jwks.json")).json()
    claims = verified_claims(
        answer.json()["assertion"],
        keys,
        issuer="http://testserver",
        audience="https://tjanst.region01.se",
    )
    assert claims is not None
    assert (claims["sub"], claims["given_name"]) == (scene.anna.personnummer, "Anna")
    assert claims["act_for"]["sub"] == scene.olle.personnummer
    assert claims["exp"] - claims["iat"] <= 120
    # Another service's audience does not take it.
    wrong = verified_claims(
        answer.json()["assertion"],
        keys,
        issuer="http://testserver",
        audience="https://hjalpmedel.region01.se",
    )
    assert wrong is None


async def test_a_client_secret_redeems_too(scene: Scene) -> None:
    code = await scene.code("Hjälp hemma")
    answer = await scene.redeem(code, "01/test-hjalp", client_secret=SECRET)
    assert answer.status_code == 200, answer.text


async def test_every_failed_redemption_gets_the_same_answer(scene: Scene) -> None:
    api = scene.api
    used = await scene.code("Journalen i regionen")
    assert (await scene.redeem(used)).status_code == 200
    tries = [
        (used, "01/test-journalen", _assertion("01/test-journalen")),  # replayed
        (
            await scene.code("Hjälp hemma"),
            "01/test-journalen",
            _assertion("01/test-journalen"),
        ),  # theirs
        (
            await scene.code("Journalen i regionen"),
            "01/test-journalen",
            _assertion("01/test-journalen", OTHER_KEY),
        ),
        (
            await scene.code("Journalen i regionen"),
            "01/test-journalen",
            _assertion("01/test-journalen", aud="x"),
        ),
        (
            await scene.code("Journalen i regionen"),
            "01/test-journalen",
            _assertion("01/test-journalen", exp=int(time.time()) - 600),
        ),
        (await scene.code("Hjälp hemma"), "01/test-hjalp", {"client_secret": "wrong"}),
        ("not-a-code", "01/test-journalen", _assertion("01/test-journalen")),
        (await scene.code("Journalen i regionen"), "99/nothing", {"client_secret": SECRET}),
    ]
    for code, client, proof in tries:
        before = await api.table_rows()
        answer = await scene.redeem(code, client, **proof)
        assert (answer.status_code, answer.json()) == (400, {"error": "invalid_grant"}), client
        assert await api.table_rows() == before
    late = await scene.code("Journalen i regionen")
    api.clock.set(api.clock.now() + timedelta(seconds=61))
    assert (await scene.redeem(late)).status_code == 400


async def test_refused_hand_offs_write_nothing(scene: Scene) -> None:
    api = scene.api
    theirs = (await scene.services(scene.ulla))[0]["id"]
    mine = {s["name"]: s["id"] for s in await scene.services(scene.anna)}  # with the shipped
    tries: list[tuple[Callable[[], Awaitable[Any]], list[str]]] = [
        (lambda: scene.open(theirs), ["NOT_FOUND"]),  # another region's
        (
            lambda: scene.open(mine["Hjälp hemma"], scene.olle, as_=scene.anna),
            ["NOT_OPEN_TO_GUARDIANS"],
        ),
        (lambda: scene.open(mine["Hjälp hemma"], scene.ulla, as_=scene.anna), ["NOT_FOUND"]),
        (lambda: scene.open(api.id_of(NodeKind.CITIZEN, scene.anna)), ["NOT_FOUND"]),
    ]
    for attempt, expected in tries:
        before = await api.table_rows()
        opened = await attempt()
        assert [e["code"] for e in opened["userErrors"]] == expected
        assert await api.table_rows() == before


async def test_a_flood_of_redemptions_from_one_service_is_cut(scene: Scene) -> None:
    statuses = [
        (await scene.redeem("guess", "01/test-hjalp", client_secret=SECRET)).status_code
        for _ in range(70)
    ]
    assert statuses.count(400) == 60 and statuses[-1] == 429
    # Another service is not held back.
    code = await scene.code("Journalen i regionen")
    assert (await scene.redeem(code)).status_code == 200
