"""Structured logs: one JSON object a line, each with the request id it belongs to.

No personal data: our own messages name no person, and as a last guard anything shaped like a
personnummer (in a message or a stack trace, e.g. SQL parameters in a database error) is
replaced before the line is written. Client addresses are not logged.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

import orjson

request_id_var: ContextVar[str] = ContextVar("vardgraf_request_id", default="-")
# A date of birth (day + 60 for a samordningsnummer), an optional - or +, four digits:
# 198001019802, 19800101-9802, 800101-9802, 8001019802.
PERSONNUMMER = re.compile(
    r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:[0-8]\d|9[01])[-+]?\d{4}(?!\d)"
)
REDACTED = "[personnummer]"


def redact(text: str) -> str:
    return PERSONNUMMER.sub(REDACTED, text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": request_id_var.get(),
            "message": redact(record.getMessage()),
        }
        for key, value in getattr(record, "fields", {}).items():
            line[key] = value
        if record.exc_info:
            line["trace"] = redact(self.formatException(record.exc_info))
        # orjson: a tenth of json.dumps's time for the access line, logged on every request.
        try:
            return orjson.dumps(line, default=str).decode()
        except orjson.JSONEncodeError:
            # A lone surrogate (text decoded with surrogateescape) is not UTF-8: the standard
            # encoder escapes it. Failing here would have logging print the raw record.
            return json.dumps(line, default=str)


class TextFormatter(logging.Formatter):
    """For a developer's terminal; redacts alike."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = request_id_var.get()
        return redact(super().format(record))


def configure_logging(style: Literal["json", "text"], level: str = "INFO") -> None:
    """Everything (ours, uvicorn's, SQLAlchemy's) through one handler on stderr."""
    # What no line of ours shows, not gathered for every record (the logging module's own
    # "Optimization" advice): the caller's file and line (a walk up the stack), the thread's
    # and the process's names and ids.
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if style == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # ours (below) logs no client address


def log_fields(**fields: Any) -> dict[str, Any]:
    """`logger.info("...", extra=log_fields(status=200))`: fields beside the message."""
    return {"fields": fields}
