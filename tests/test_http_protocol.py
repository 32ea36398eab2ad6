"""The HTTP protocol production serves with (app/http/protocol.py), in a real uvicorn server on
127.0.0.1: a connection upgraded to a WebSocket leaves nothing of its HTTP protocol behind for
the collector; the WebSocket itself works as with uvicorn's own."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import websockets
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http import httptools_impl

from app.http.protocol import HttpToolsProtocol
from tests.processes import in_process

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
    async with in_process(echo, http=protocol) as address:
        with collector_off():
            async with websockets.connect(f"ws://{address}/") as socket:
                await socket.send("hej")
                assert await socket.recv() == "hej"
                assert alive(protocol) == left_behind
