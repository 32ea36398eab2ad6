"""Reading a GraphQL-over-HTTP request: POST with a JSON body, or GET with URL parameters.

Only `application/json` bodies are read: form, multipart and text/plain are the content types
a browser may send cross-site without asking first, so refusing them defends against CSRF. A
GET needs a header a cross-site form cannot set (`X-Vardgraf-Client`), like Apollo Router's
preflight check. The body is read up to the configured limit and not a byte further.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from starlette.requests import Request

from app.domain.errors import ErrorCode
from app.guard.refusal import Refusal

PREFLIGHT_HEADER = "x-vardgraf-client"
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
REQUEST_MEDIA_TYPE = "application/json"


@dataclass(frozen=True)
class GraphQLRequest:
    method: Literal["GET", "POST"]
    query: str | None
    document_id: str | None
    variables: dict[str, Any]
    operation_name: str | None
    # Apollo's form of a document id: extensions.persistedQuery.sha256Hash (hex, no prefix).
    persisted_hash: str | None = None


def bad_request(message: str) -> Refusal:
    return Refusal(400, ErrorCode.BAD_REQUEST, message)


async def read_graphql_request(request: Request, max_body_bytes: int) -> GraphQLRequest:
    if request.method == "GET":
        return _from_parameters(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != REQUEST_MEDIA_TYPE:
        raise Refusal(
            415,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "Send the request as application/json.",
            headers={"accept-post": "application/json"},
        )
    body = await _body(request, max_body_bytes)
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise bad_request("The body is not valid JSON.") from None
    if not isinstance(payload, dict):
        raise bad_request("The body must be one JSON object: batched requests are not accepted.")
    return _from_payload("POST", payload)


async def _body(request: Request, limit: int) -> bytes:
    too_large = Refusal(413, ErrorCode.BODY_TOO_LARGE, f"The body is over {limit} bytes.")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise too_large
    return bytes(body)


def _from_parameters(request: Request) -> GraphQLRequest:
    if not request.headers.get(PREFLIGHT_HEADER):
        raise Refusal(
            400,
            ErrorCode.PREFLIGHT_HEADER_REQUIRED,
            "A GET request needs the X-Vardgraf-Client header.",
        )
    parameters = request.query_params
    return _from_payload(
        "GET",
        {
            "query": parameters.get("query"),
            "documentId": parameters.get("documentId"),
            "operationName": parameters.get("operationName"),
            "variables": _json_parameter(parameters, "variables", {}),
            "extensions": _json_parameter(parameters, "extensions", None),
        },
    )


def _json_parameter(parameters: Mapping[str, str], name: str, missing: Any) -> Any:
    if name not in parameters:
        return missing
    try:
        return json.loads(parameters[name])
    except (json.JSONDecodeError, RecursionError):
        raise bad_request(f"The {name} parameter is not valid JSON.") from None


def _from_payload(method: Literal["GET", "POST"], payload: dict[str, Any]) -> GraphQLRequest:
    query = payload.get("query")
    document_id = payload.get("documentId")
    operation_name = payload.get("operationName")
    variables = payload.get("variables")
    for name, value in (("query", query), ("documentId", document_id)):
        if value is not None and not isinstance(value, str):
            raise bad_request(f"{name} must be a string.")
    persisted_hash = _persisted_hash(payload.get("extensions"))
    if query is None and document_id is None and persisted_hash is None:
        raise bad_request("Send a query, a documentId or extensions.persistedQuery.")
    if operation_name is not None and not isinstance(operation_name, str):
        raise bad_request("operationName must be a string.")
    if variables is None:
        variables = {}
    if not isinstance(variables, dict):
        raise bad_request("variables must be a JSON object.")
    return GraphQLRequest(
        method, query, document_id, variables, operation_name or None, persisted_hash
    )


def _persisted_hash(extensions: Any) -> str | None:
    """Apollo's persisted-query extension: {"persistedQuery": {"version": 1, "sha256Hash":
    "<64 hex digits>"}}; other extensions are the client's own and are let be."""
    if extensions is None:
        return None
    if not isinstance(extensions, dict):
        raise bad_request("extensions must be a JSON object.")
    persisted = extensions.get("persistedQuery")
    if persisted is None:
        return None
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    if (
        not isinstance(persisted, dict)
        or persisted.get("version") != 1
        or not isinstance(digest, str)
        or not _SHA256.fullmatch(digest)
    ):
        raise bad_request(
            "extensions.persistedQuery must be {version: 1, sha256Hash: <64 hex digits>}."
        )
    return digest.lower()
