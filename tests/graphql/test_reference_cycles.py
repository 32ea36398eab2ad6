"""A request leaves nothing for the cyclic garbage collector: what it made is freed by
reference counting as soon as it is answered.

A reference cycle per request (the request's loaders closing over themselves, graphql-core's
execution context holding its own bound methods) sent every request's context, loaders and
records to the oldest generation under load, and the collector's full passes that freed them
took 50-150 ms each: the tail of every scenario (docs/performance-history.md, "Session 24")."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from functools import cached_property
from typing import Any

import pytest

from app.domain.ids import NodeKind
from loaders.registry import Loaders, build_loaders
from tests.client import Api, contract_document
from tests.factories import World

pytestmark = pytest.mark.anyio

OUR_PACKAGES = ("app.", "loaders.", "schema.", "resolvers.", "auth.")


@contextmanager
def cyclic_garbage() -> Iterator[list[str]]:
    """The types of our own objects that only the cyclic collector would have freed, made
    inside the block (the collector is off meanwhile; what it finds is kept and reported)."""
    found: list[str] = []
    gc.collect()
    gc.disable()
    try:
        yield found
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found.extend(
            f"{type(thing).__module__}.{type(thing).__qualname__}"
            for thing in gc.garbage
            if type(thing).__module__.startswith(OUR_PACKAGES)
        )
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


async def test_no_loader_holds_the_loaders_it_belongs_to(api: Api) -> None:
    """Every loader, as a request would build it: dropped, the loaders are gone at once."""
    resources = api.resources
    loaders = build_loaders(
        resources.sessions,
        resources.direct,
        resources.people,
        resources.sources,
        resources.region_catalogue,
        resources.clinic_identities,
        resources.kept_catalogue,
    )
    built = [
        name
        for name, member in vars(Loaders).items()
        if isinstance(member, cached_property) and getattr(loaders, name) is not None
    ]
    assert len(built) > 20  # all of them, not a few
    gone = weakref.ref(loaders)
    with cyclic_garbage() as garbage:
        del loaders
        assert gone() is None
    assert garbage == []


async def test_an_answered_request_leaves_no_reference_cycle(api: Api) -> None:
    """The start page, "Bokade tider" and certificates (each through the execution, the
    gate, the audit trail and loaders): all freed without the collector."""
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    kind = await world.booking_type(clinic)
    for days in (1, 2):
        await world.booking(alice, await world.slot(kind, world.now + timedelta(days=days)))
    await world.certificate(alice, clinic)
    whose = {"citizenId": api.id_of(NodeKind.CITIZEN, alice)}
    requests: list[tuple[str, dict[str, Any]]] = [
        ("citizen/Me.graphql", {}),
        ("citizen/BookedTimes.graphql", {**whose, "first": 10}),
        ("citizen/Certificates.graphql", {"first": 10}),
    ]
    for name, variables in requests:  # once first: the process's caches fill
        assert "errors" not in await api.gql(contract_document(name), variables, as_=alice)
    with cyclic_garbage() as garbage:
        for name, variables in requests:
            body = await api.gql(contract_document(name), variables, as_=alice)
            assert "errors" not in body, body
    assert garbage == []
