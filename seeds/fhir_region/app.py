"""A stand-in regional FHIR R4 server (tests and the demo start it; see __main__.py).

Routes, under a tenant name (each test uses its own): read, search (Bundle searchset with
`next` links), create (with If-None-Exist), update (with If-Match). Errors are
OperationOutcomes with the status FHIR gives them. `/_faults/{tenant}` makes a tenant fail
in the ways a real region can: error, garbage (valid JSON, invalid FHIR), not-json, slow, and
endless (every search page links to a next one), lenient (a chained patient search ignored).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from seeds.fhir_region.search import CHAINED, INCLUDES, matching, walk
from seeds.fhir_region.store import (
    RESOURCE_TYPES,
    Conflicting,
    Invalid,
    Stored,
    Tenant,
    VersionMismatch,
)

FHIR_JSON = "application/fhir+json"
Handler = Callable[[Request], Awaitable[Response]]
GARBAGE = {
    "resourceType": "Bundle",
    "type": "searchset",
    "entry": [{"resource": {"resourceType": "Slot", "status": "free"}}],
}


def outcome(status: int, text: str) -> Response:
    body = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "processing", "diagnostics": text}],
    }
    return JSONResponse(body, status_code=status, media_type=FHIR_JSON)


def resource_response(stored: Stored, status: int = 200) -> Response:
    headers = {"ETag": f'W/"{stored.version}"'}
    return JSONResponse(stored.resource, status, headers=headers, media_type=FHIR_JSON)


def build_app() -> Starlette:
    tenants: dict[str, Tenant] = {}
    faults: dict[str, dict[str, Any]] = {}

    def tenant_of(request: Request) -> Tenant:
        return tenants.setdefault(request.path_params["tenant"], Tenant())

    async def faulty(request: Request) -> Response | None:
        fault = faults.get(request.path_params["tenant"], {})
        mode = fault.get("mode")
        if mode == "slow":
            await asyncio.sleep(float(fault.get("seconds", 5)))
        if mode == "error":
            return outcome(500, "the region's system is down")
        if mode == "garbage":
            return JSONResponse(GARBAGE, media_type=FHIR_JSON)
        if mode == "not-json":
            return Response("<html>maintenance</html>", media_type="text/html")
        return None

    async def set_fault(request: Request) -> Response:
        faults[request.path_params["tenant"]] = await request.json()
        return Response(status_code=204)

    async def search(request: Request) -> Response:
        kind = request.path_params["type"]
        params = list(request.query_params.multi_items())
        if faults.get(request.path_params["tenant"], {}).get("mode") == "lenient":
            # As a lenient server does with a parameter it does not know: ignores it.
            params = [(name, value) for name, value in params if name != CHAINED]
        params = _unchained(tenant_of(request), params)
        everything = [s.resource for s in tenant_of(request).of_type(kind).values()]
        found = matching(kind, everything, params)
        count = min(int(request.query_params.get("_count", "50")), 100)
        offset = int(request.query_params.get("_offset", "0"))
        page = found[offset : offset + count]
        entries = [
            {"fullUrl": f"{kind}/{r['id']}", "resource": r, "search": {"mode": "match"}}
            for r in page
        ]
        entries += _included(tenant_of(request), page, request.query_params.getlist("_include"))
        bundle: dict[str, Any] = {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(found),
            "entry": entries,
        }
        links = [{"relation": "self", "url": str(request.url)}]
        if faults.get(request.path_params["tenant"], {}).get("mode") == "endless":
            # A server whose paging never ends: every page says another follows, itself.
            links.append({"relation": "next", "url": str(request.url)})
        elif offset + count < len(found):
            rest = [(k, v) for k, v in params if k != "_offset"] + [
                ("_offset", str(offset + count))
            ]
            links.append(
                {"relation": "next", "url": f"{request.url.replace(query='')}?{urlencode(rest)}"}
            )
        bundle["link"] = links
        return JSONResponse(bundle, media_type=FHIR_JSON)

    async def read(request: Request) -> Response:
        stored = tenant_of(request).get(request.path_params["type"], request.path_params["id"])
        if stored is None:
            return outcome(404, "not found")
        return resource_response(stored)

    async def create(request: Request) -> Response:
        tenant, kind = tenant_of(request), request.path_params["type"]
        body = await _body(request, kind)
        condition = request.headers.get("If-None-Exist")
        if condition is not None:
            name, _, value = condition.partition("=")
            if name != "identifier":
                raise Invalid("If-None-Exist takes identifier=system|value here")
            existing = matching(
                kind, [s.resource for s in tenant.of_type(kind).values()], [(name, value)]
            )
            if len(existing) > 1:
                return outcome(412, "the condition matches several resources")
            if existing:
                return resource_response(tenant.of_type(kind)[existing[0]["id"]], 200)
        return resource_response(tenant.create(body), 201)

    async def update(request: Request) -> Response:
        kind, logical_id = request.path_params["type"], request.path_params["id"]
        body = await _body(request, kind)
        is_new = tenant_of(request).get(kind, logical_id) is None
        stored = tenant_of(request).update(body, logical_id, request.headers.get("If-Match"))
        return resource_response(stored, 201 if is_new else 200)

    def endpoint(handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            if request.path_params.get("type") not in RESOURCE_TYPES:
                return outcome(404, "resource type not served here")
            broken = await faulty(request)
            if broken is not None:
                return broken
            try:
                return await handler(request)
            except Invalid as error:
                return outcome(400, str(error))
            except Conflicting as error:
                return outcome(409, str(error))
            except VersionMismatch:
                return outcome(412, "the resource has changed (If-Match)")

        return guarded

    return Starlette(
        routes=[
            Route("/_faults/{tenant}", set_fault, methods=["PUT"]),
            Route("/{tenant}/{type}", endpoint(search), methods=["GET"]),
            Route("/{tenant}/{type}", endpoint(create), methods=["POST"]),
            Route("/{tenant}/{type}/{id}", endpoint(read), methods=["GET"]),
            Route("/{tenant}/{type}/{id}", endpoint(update), methods=["PUT"]),
        ]
    )


async def _body(request: Request, kind: str) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0] not in (FHIR_JSON, "application/json"):
        raise Invalid("send application/fhir+json")
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise Invalid("the body is not JSON") from None
    if not isinstance(body, dict) or body.get("resourceType") != kind:
        raise Invalid(f"the body must be a {kind}")
    return body


def _unchained(tenant: Tenant, params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`patient.identifier=...` as `patient=Patient/<each match>` (none: matches nothing)."""
    patients = [stored.resource for stored in tenant.of_type("Patient").values()]
    plain = []
    for name, value in params:
        if name == CHAINED:
            found = matching("Patient", patients, [("identifier", value)])
            value = ",".join(f"Patient/{p['id']}" for p in found) or "Patient/-"
            name = "patient"
        plain.append((name, value))
    return plain


def _included(
    tenant: Tenant, page: list[dict[str, Any]], includes: list[str]
) -> list[dict[str, Any]]:
    entries, seen = [], set()
    for include in includes:
        field = INCLUDES.get(include)
        if field is None:
            raise Invalid(f"_include {include!r} is not supported")
        referenced = [
            item.get("reference", "")
            for resource in page
            for item in walk(resource, field.split("."))
            if isinstance(item, dict)
        ]
        for reference in referenced:
            kind, _, logical_id = reference.partition("/")
            stored = tenant.get(kind, logical_id)
            if stored is not None and reference not in seen:
                seen.add(reference)
                entries.append(
                    {
                        "fullUrl": reference,
                        "resource": stored.resource,
                        "search": {"mode": "include"},
                    }
                )
    return entries
