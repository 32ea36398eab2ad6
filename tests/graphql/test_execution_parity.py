"""The compiled execution (app/execution/compiled.py) and graphql-core's standard one, chosen by
VARDGRAF_EXECUTION, answer every contract document alike: each journey of the contract suites
runs on a fresh copy of the seeded database under each, and every answer, in order, is the
same, byte for byte once parsed (data, errors, extensions). .ci/run also runs the contract
suites on the standard execution alone."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.client import Api
from tests.conftest import app_on
from tests.databases import Databases
from tests.graphql.test_contract import citizen_journey, guardian_journey
from tests.graphql.test_staff_contract import staff_journey

pytestmark = pytest.mark.anyio

Answers = list[tuple[str, dict[str, Any], dict[str, Any]]]
# A hand-off's code is random by design (R-214: 256 bits): the one part of an answer that must
# differ between two runs. It is compared as its shape.
HAND_OFF_CODE = re.compile(r"code=[A-Za-z0-9_-]{43}")


def _alike(answer: tuple[str, dict[str, Any], dict[str, Any]]) -> Any:
    return json.loads(HAND_OFF_CODE.sub("code=<256 bits>", json.dumps(answer)))


async def _citizen(api: Api) -> Answers:
    return (await citizen_journey(api)).answers


async def _guardian(api: Api) -> Answers:
    return (await guardian_journey(api)).answers


async def _staff(api: Api) -> Answers:
    return [answer for client in await staff_journey(api) for answer in client.answers]


JOURNEYS: dict[str, Callable[[Api], Awaitable[Answers]]] = {
    "citizen": _citizen,
    "guardian": _guardian,
    "staff": _staff,
}


@pytest.mark.parametrize("journey", sorted(JOURNEYS))
async def test_both_executions_answer_every_contract_document_alike(
    databases: Databases, seeded_template: str, tmp_path: Path, journey: str
) -> None:
    answers: dict[str, Answers] = {}
    for execution in ("compiled", "standard"):
        url = await databases.clone(seeded_template)
        async for api in app_on(url, tmp_path / execution, execution=execution):
            answers[execution] = await JOURNEYS[journey](api)
        await databases.drop(url)
    assert len(answers["compiled"]) >= 5
    for compiled, standard in zip(answers["compiled"], answers["standard"], strict=True):
        assert _alike(compiled) == _alike(standard), compiled[0]
