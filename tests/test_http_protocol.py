"""The HTTP protocol production serves with (app/http/protocol.py), in a real uvicorn server on
127.0.0.1: a connection upgraded to a WebSocket leaves nothing of its HTTP protocol behind for
the collector; the WebSocket itself works as with uvicorn's own."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import pytest
import uvicorn
import websockets
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http import httptools_impl

from app.http.protocol import HttpToolsProtocol
from tests.processes import free_port
from tests.waiting import until

pytestmark = pytest.mark.anyio


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    """A WebSocket that answers each text with itself."""
    assert scope["type"] == "websocket"
    while True:
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif message["type"] == "websocket.receive":
            await send({"type": "websocket.send", "text": message["text"]})
        else:
            return


@asynccontextmanager
async def serving(protocol: type[httptools_impl.HttpToolsProtocol]) -> AsyncIterator[str]:
    port = free_port()
    config = uvicorn.Config(
        echo, host="127.0.0.1", port=port, http=protocol, ws="wsproto", lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        await until(lambda: server.started)
        yield f"ws://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        await task


@contextmanager
def collector_off() -> Iterator[None]:
    """Only what reference counting frees goes: what waits for a full collection stays."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def alive(protocol: type[object]) -> int:
    return sum(type(item) is protocol for item in gc.get_objects())


@pytest.mark.parametrize(
    ("protocol", "left_behind"),
    [
        (HttpToolsProtocol, 0),
        # uvicorn's own, kept for the collector (what this module's protocol exists for): if
        # this ever reads 0, uvicorn lets go by itself and app/http/protocol.py can go.
        (httptools_impl.HttpToolsProtocol, 1),
    ],
)
async def test_an_upgraded_connection_leaves_no_http_protocol_for_the_collector(
    protocol: type[httptools_impl.HttpToolsProtocol], left_behind: int
) -> None:
    async with serving(protocol) as url:
        with collector_off():
            async with websockets.connect(url) as socket:
                await socket.send("hej")
                assert await socket.recv() == "hej"
                assert alive(protocol) == left_behind
