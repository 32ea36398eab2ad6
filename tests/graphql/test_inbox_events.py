"""Live updates of an inbox (R-113): `subscription InboxEvents` over WebSocket with the
graphql-transport-ws protocol, spoken by a real client (gql's WebsocketsTransport) to the real
app served by uvicorn on 127.0.0.1, on both databases (LISTEN/NOTIFY on PostgreSQL)."""

from __future__ import annotations

import asyncio
import gc
import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, time
from pathlib import Path
from types import AsyncGeneratorType, CoroutineType, FrameType
from typing import Any

import pytest
import websockets
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportConnectionFailed, TransportQueryError
from gql.transport.websockets import WebsocketsTransport
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

from app.domain.clock import STOCKHOLM
from app.domain.ids import NodeKind
from app.execution.admitted import Admitted
from app.guard.limits import SubscriptionLimits
from app.http.subscriptions import PROTOCOL
from tests.client import CONTRACT, Api
from tests.conftest import app_on
from tests.databases import Databases
from tests.inbox_scene import Ekan, ekan_at
from tests.processes import in_process

pytestmark = pytest.mark.anyio

EVENTS = CONTRACT / "citizen" / "InboxEvents.graphql"
MARK_READ = """
mutation ($input: MarkInboxMessagesReadInput!) {
  markInboxMessagesRead(input: $input) { unreadCount userErrors { code } }
}
"""


@pytest.fixture
async def served(api: Api) -> AsyncIterator[str]:
    async with serving(api) as url:
        yield url


@asynccontextmanager
async def serving(api: Api) -> AsyncIterator[str]:
    """The app on a port of its own, as uvicorn serves it (WebSockets need a real server)."""
    async with in_process(api.app) as address:
        yield f"ws://{address}/graphql"


@pytest.fixture
async def ekan(api: Api) -> Ekan:
    return await ekan_at(api)


def inbox_events(citizen_id: str) -> GraphQLRequest:
    request = gql(EVENTS.read_text())
    request.variable_values = {"citizenId": citizen_id}
    return request


def transport(url: str, token: str | None) -> WebsocketsTransport:
    return WebsocketsTransport(
        url=url,
        init_payload={} if token is None else {"Authorization": f"Bearer {token}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )


async def subscribe_to_the_end(url: str, token: str | None, citizen_id: str) -> None:
    async with Client(transport=transport(url, token)) as session:
        async for _ in session.subscribe(inbox_events(citizen_id)):
            pass


@asynccontextmanager
async def acknowledged(url: str, token: str) -> AsyncIterator[Any]:
    """A graphql-transport-ws connection spoken by hand, past connection_init and its ack."""
    async with websockets.connect(url, subprotocols=[Subprotocol(PROTOCOL)]) as socket:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await socket.send(json.dumps(init))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        yield socket


async def subscribed(api: Api, count: int) -> None:
    """Until the app's event bus holds `count` subscriptions (each is made as its operation
    starts, a moment after the client sent it)."""
    for _ in range(500):
        if len(api.resources.events) == count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{len(api.resources.events)} subscriptions, not {count}")


class Subscriber:
    """An open app: events of one inbox, collected as they come."""

    def __init__(self, api: Api, url: str, token: str, citizen_id: str) -> None:
        self.api = api
        self.client = Client(transport=transport(url, token))
        self.citizen_id = citizen_id
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.ended: BaseException | None = None
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Subscriber:
        session = await self.client.connect_async()  # type: ignore[no-untyped-call]

        async def collect() -> None:
            try:
                async for event in session.subscribe(inbox_events(self.citizen_id)):
                    await self.events.put(event["inboxEvents"])
            except Exception as error:
                self.ended = error

        before = len(self.api.resources.events)
        self._task = asyncio.create_task(collect())
        for _ in range(500):  # subscribed (or refused) before the test acts
            if len(self.api.resources.events) > before or self.ended is not None:
                break
            await asyncio.sleep(0.01)
        return self

    async def refusal(self, seconds: float = 5.0) -> TransportQueryError:
        """The error the server ended this subscription with. Entering together with others
        may return before the server has answered this one (their subscriptions counted), so
        wait for the answer itself."""
        for _ in range(int(seconds / 0.01)):
            if self.ended is not None:
                break
            await asyncio.sleep(0.01)
        assert isinstance(self.ended, TransportQueryError), f"not refused: {self.ended!r}"
        return self.ended

    async def next(self, seconds: float = 1.0) -> dict[str, Any]:
        """The next event, which must come within `seconds` of what caused it (R-113)."""
        try:
            return await asyncio.wait_for(self.events.get(), seconds)
        except TimeoutError:
            if self.ended is not None:
                raise AssertionError(f"the subscription ended: {self.ended!r}") from None
            raise

    async def __aexit__(self, *_: object) -> None:
        if self._task is None:  # never entered: no connection to close
            return
        self._task.cancel()
        await self.client.close_async()  # type: ignore[no-untyped-call]


async def test_a_new_message_reaches_the_open_app_within_a_second(
    api: Api, ekan: Ekan, served: str
) -> None:
    anna_id = api.id_of(NodeKind.CITIZEN, ekan.anna)
    async with Subscriber(api, served, api.token(ekan.anna), anna_id) as app:
        sent = await ekan.send(ekan.anna, subject="Nya öppettider")
        event = await app.next()
        assert event["kind"] == "MESSAGE_ARRIVED" and event["unreadCount"] == 1
        assert event["message"]["id"] == sent["message"]["id"]
        assert event["message"]["subject"] == "Nya öppettider"
        # Read on another device: this one hears of it.
        input = {"citizenId": anna_id, "messageIds": [sent["message"]["id"]]}
        body = await api.gql(MARK_READ, {"input": input}, as_=ekan.anna)
        assert body["data"]["markInboxMessagesRead"]["userErrors"] == []
        read = await app.next()
        assert (read["kind"], read["unreadCount"]) == ("MESSAGE_READ", 0)


async def test_another_persons_inbox_answers_like_none(api: Api, ekan: Ekan, served: str) -> None:
    for citizen_id in (api.id_of(NodeKind.CITIZEN, ekan.anna), "no-such-id"):
        with pytest.raises(TransportQueryError) as refused:
            await subscribe_to_the_end(served, api.token(ekan.bo), citizen_id)
        assert refused.value.errors is not None
        assert refused.value.errors[0]["extensions"]["code"] == "NOT_FOUND"


async def test_no_token_and_a_staff_token_are_not_let_in(api: Api, ekan: Ekan, served: str) -> None:
    for token in (None, api.staff_token(ekan.eva), "not-a-token"):
        with pytest.raises(TransportConnectionFailed) as refused:
            await subscribe_to_the_end(served, token, "x")
        closed = refused.value.__cause__
        assert isinstance(closed, ConnectionClosed) and closed.rcvd is not None
        assert (closed.rcvd.code, closed.rcvd.reason) == (4403, "Forbidden")


async def test_a_guardians_subscription_ends_when_the_child_turns_13(
    api: Api, ekan: Ekan, served: str
) -> None:
    """R-108: the child's inbox is the guardian's to read until the 13th birthday; an open
    subscription is held to that at every event, not only when it began."""
    world = ekan.world
    today = api.clock.now().astimezone(STOCKHOLM).date()
    child = await world.citizen(date(today.year - 13, today.month, today.day + 1), "Ella")
    await world.guardianship(ekan.anna, child)
    await world.errand(child, await world.errand_type(ekan.clinic))
    child_id = api.id_of(NodeKind.CITIZEN, child)
    async with Subscriber(api, served, api.token(ekan.anna), child_id) as app:
        await ekan.send(child)
        assert (await app.next())["kind"] == "MESSAGE_ARRIVED"
        birthday = datetime.combine(today.replace(day=today.day + 1), time(8), STOCKHOLM)
        api.clock.set(birthday)
        await ekan.send(child)
        with pytest.raises(AssertionError, match="the subscription ended"):
            await app.next()
        assert isinstance(app.ended, TransportQueryError)
        assert app.ended.errors is not None
        assert app.ended.errors[0]["extensions"]["code"] == "NOT_FOUND"


async def test_the_connection_closes_when_the_token_expires(
    api: Api, ekan: Ekan, served: str
) -> None:
    assert api.resources.dev_issuer is not None
    token = api.resources.dev_issuer.citizen_token(ekan.anna.personnummer, lifetime_seconds=1)
    anna_id = api.id_of(NodeKind.CITIZEN, ekan.anna)
    async with Subscriber(api, served, token, anna_id) as app:
        with pytest.raises(AssertionError, match="the subscription ended"):
            await app.next(seconds=3)
    closed = app.ended.__cause__ if app.ended else None
    assert isinstance(closed, ConnectionClosed) and closed.rcvd is not None
    assert (closed.rcvd.code, closed.rcvd.reason) == (4401, "Token expired")


async def test_subscriptions_over_the_caps_are_refused_and_the_others_stand(
    api: Api, ekan: Ekan, served: str
) -> None:
    anna_id = api.id_of(NodeKind.CITIZEN, ekan.anna)
    per_citizen = api.resources.settings.subscriptions.per_citizen
    apps = [Subscriber(api, served, api.token(ekan.anna), anna_id) for _ in range(per_citizen + 1)]
    for app in apps:
        await app.__aenter__()
    try:
        refused = [app for app in apps if app.ended is not None]
        assert len(refused) == 1
        assert isinstance(refused[0].ended, TransportQueryError)
        assert refused[0].ended.errors is not None
        assert refused[0].ended.errors[0]["extensions"]["code"] == "SUBSCRIPTION_LIMIT"
        await ekan.send(ekan.anna)
        for app in apps:
            if app.ended is None:
                assert (await app.next())["kind"] == "MESSAGE_ARRIVED"
    finally:
        for app in apps:
            await app.__aexit__()


async def test_subscriptions_set_up_one_at_a_time_all_stand_and_a_refusal_frees_its_turn(
    databases: Databases, empty_template: str, tmp_path: Path
) -> None:
    """Set up at most one at once (a reconnect storm waits before its checks, the login's at
    connection_init and the subscription's first): five apps that come together, one refused
    (Bo asks for Anna's inbox) and two not let in (no token, a staff token) all get their
    turn, and each refusal gives its turn back, so the app after them is set up too."""
    url = await databases.clone(empty_template)
    limits = SubscriptionLimits(setting_up_at_once=1)
    async for api in app_on(url, tmp_path, subscriptions=limits):
        ekan = await ekan_at(api)
        anna_id = api.id_of(NodeKind.CITIZEN, ekan.anna)
        async with serving(api) as served:
            apps = [Subscriber(api, served, api.token(ekan.anna), anna_id) for _ in range(5)]
            foreign = Subscriber(api, served, api.token(ekan.bo), anna_id)
            not_let_in = [
                asyncio.create_task(subscribe_to_the_end(served, token, anna_id))
                for token in (None, api.staff_token(ekan.eva))
            ]
            await asyncio.gather(*(app.__aenter__() for app in [*apps, foreign]))
            for refused_login in await asyncio.gather(*not_let_in, return_exceptions=True):
                assert isinstance(refused_login, TransportConnectionFailed)
            late = Subscriber(api, served, api.token(ekan.anna), anna_id)
            try:
                await subscribed(api, 5)
                refused = await foreign.refusal()
                assert refused.errors is not None
                assert refused.errors[0]["extensions"]["code"] == "NOT_FOUND"
                await late.__aenter__()
                await subscribed(api, 6)
                await ekan.send(ekan.anna)
                for app in [*apps, late]:
                    assert (await app.next())["kind"] == "MESSAGE_ARRIVED"
            finally:
                for app in [*apps, foreign, late]:
                    await app.__aexit__()
    await databases.drop(url)


async def test_queries_go_over_http_not_the_websocket(api: Api, ekan: Ekan, served: str) -> None:
    async with Client(transport=transport(served, api.token(ekan.anna))) as session:
        with pytest.raises(TransportQueryError) as refused:
            await session.execute(gql("query { me { givenName } }"))
    assert refused.value.errors is not None
    assert refused.value.errors[0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_flood_of_subscribe_messages_is_held_to_the_connections_cap(
    api: Api, ekan: Ekan, served: str
) -> None:
    """50 subscribe messages at once on one connection, written straight to the socket: the
    cap's worth run, the rest get an error each, and the connection stays open."""
    cap = api.resources.settings.subscriptions.per_connection
    anna_id = api.id_of(NodeKind.CITIZEN, ekan.anna)
    query = EVENTS.read_text()
    async with acknowledged(served, api.token(ekan.anna)) as socket:
        for n in range(50):
            payload = {"query": query, "variables": {"citizenId": anna_id}}
            await socket.send(json.dumps({"id": str(n), "type": "subscribe", "payload": payload}))
        refused = [json.loads(await asyncio.wait_for(socket.recv(), 5)) for _ in range(50 - cap)]
        assert all(message["type"] == "error" for message in refused)
        await subscribed(api, cap)
        await ekan.send(ekan.anna)
        arrived = [json.loads(await asyncio.wait_for(socket.recv(), 5)) for _ in range(cap)]
        assert {message["type"] for message in arrived} == {"next"}
        assert len({message["id"] for message in arrived}) == cap


async def test_an_idle_subscription_keeps_nothing_of_the_message_that_opened_it(
    api: Api, ekan: Ekan, served: str
) -> None:
    """An open app may send nothing for hours after its subscribe message: the server keeps
    what the operation needs (its id, document and variables), not the message's text or its
    decoded dictionaries (2,000 idle subscriptions in one process, docs/performance.md)."""
    probe = secrets.token_hex(16)  # in the message only: an extension the server ignores
    anna_id = api.id_of(NodeKind.CITIZEN, ekan.anna)
    async with acknowledged(served, api.token(ekan.anna)) as socket:
        await socket.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {
                        "query": EVENTS.read_text(),
                        "variables": {"citizenId": anna_id},
                        "extensions": {"probe": probe},
                    },
                }
            )
        )
        await subscribed(api, 1)
        assert _copies_held(probe) == []
        await ekan.send(ekan.anna)  # and the subscription stands
        assert json.loads(await asyncio.wait_for(socket.recv(), 5))["type"] == "next"


async def test_an_idle_subscription_keeps_no_coerced_variables(
    api: Api, ekan: Ekan, served: str
) -> None:
    """The gate's coerced variables serve a query's execution; graphql-core's subscribe
    coerces a subscription's itself, so the operation kept for hours keeps none of them."""
    async with acknowledged(served, api.token(ekan.anna)) as socket:
        variables = {"citizenId": api.id_of(NodeKind.CITIZEN, ekan.anna)}
        payload = {"query": EVENTS.read_text(), "variables": variables}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        await subscribed(api, 1)
        kept = [
            f"{frame.f_code.co_qualname}'s {name}"
            for frame in _suspended_frames()
            for name, value in frame.f_locals.items()
            if isinstance(value, Admitted) and value.variables.coerced
        ]
        assert kept == []


def _suspended_frames() -> list[FrameType]:
    frames = []
    for thing in gc.get_objects():
        if type(thing) is AsyncGeneratorType:  # type(): a dead weak proxy fails isinstance
            frame = thing.ag_frame
        elif type(thing) is CoroutineType:
            frame = thing.cr_frame
        else:
            continue
        if frame is not None:  # not finished
            frames.append(frame)
    return frames


def _copies_held(probe: str) -> list[str]:
    """The locals of suspended coroutines and generators (where a connection waiting for its
    next message keeps things) that hold the probe: in a text, or in a decoded message."""
    held = []
    for frame in _suspended_frames():
        for name, value in frame.f_locals.items():
            if _mentions(value, probe):
                held.append(f"{frame.f_code.co_qualname}'s {name}")
    return held


def _mentions(value: object, probe: str, depth: int = 4) -> bool:
    if isinstance(value, str):
        return probe in value and value is not probe  # the test's own is no copy
    if depth and isinstance(value, dict):
        return any(_mentions(v, probe, depth - 1) for v in value.values())
    return False


async def test_pings_come_on_time_and_the_expiry_still_closes_the_connection(
    databases: Databases, empty_template: str, tmp_path: Path
) -> None:
    """The server's graphql-transport-ws pings and the token's expiry share one timer per
    connection: both must still happen, each when it should."""
    url = await databases.clone(empty_template)
    limits = SubscriptionLimits(ping_seconds=0.3)
    async for api in app_on(url, tmp_path, subscriptions=limits):
        anna = (await ekan_at(api)).anna
        assert api.resources.dev_issuer is not None
        token = api.resources.dev_issuer.citizen_token(anna.personnummer, lifetime_seconds=2)
        async with serving(api) as served:
            socket = await websockets.connect(served, subprotocols=[Subprotocol(PROTOCOL)])
            init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
            await socket.send(json.dumps(init))
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            started = asyncio.get_running_loop().time()
            pings, closed = await answer_pings_until_closed(socket)
            lasted = asyncio.get_running_loop().time() - started
    await databases.drop(url)
    assert closed.rcvd is not None
    assert (closed.rcvd.code, closed.rcvd.reason) == (4401, "Token expired")
    assert 3 <= pings <= 7  # every 0.3 s for the token's last 1-2 s
    assert 0.5 < lasted < 3


async def answer_pings_until_closed(socket: Any) -> tuple[int, ConnectionClosed]:
    """Pong to every ping (nothing else may come) until the server closes: how many came."""
    pings = 0
    while True:
        try:
            message = json.loads(await asyncio.wait_for(socket.recv(), 5))
        except ConnectionClosed as closed:
            return pings, closed
        assert message == {"type": "ping"}
        pings += 1
        try:
            await socket.send(json.dumps({"type": "pong"}))
        except ConnectionClosed as closed:  # the expiry came right after this ping
            return pings, closed


async def test_a_websocket_elsewhere_than_graphql_is_refused(served: str) -> None:
    elsewhere = served.replace("/graphql", "/healthz")
    with pytest.raises(InvalidStatus) as refused:
        await websockets.connect(elsewhere, subprotocols=[Subprotocol(PROTOCOL)])
    assert refused.value.response.status_code == 403
