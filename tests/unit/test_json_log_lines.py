"""The JSON log line (app/observability/logs.py) for what orjson cannot encode."""

from __future__ import annotations

import json
import logging

from app.observability.logs import JsonFormatter


def record(message: str) -> logging.LogRecord:
    return logging.LogRecord("vardgraf.test", logging.INFO, __file__, 1, message, None, None)


def test_a_lone_surrogate_still_makes_a_line_and_a_personnummer_is_still_redacted() -> None:
    line = JsonFormatter().format(record("path /x\udc80 of 19800101-9802"))
    parsed = json.loads(line)
    assert parsed["message"] == "path /x\udc80 of [personnummer]"
    assert "9802" not in line


def test_an_ordinary_line_is_one_json_object() -> None:
    parsed = json.loads(JsonFormatter().format(record("POST /graphql 200")))
    assert (parsed["level"], parsed["logger"], parsed["message"]) == (
        "INFO",
        "vardgraf.test",
        "POST /graphql 200",
    )
