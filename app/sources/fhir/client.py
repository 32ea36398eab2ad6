"""A small FHIR R4 REST client over httpx: search (following `next` links), read, create and
update, every resource checked against the FHIR models (fhir.resources, R4B: the same as R4
for every resource used here) on the way in and on the way out.

Whatever is wrong upstream (a status we do not expect, a body that is not FHIR, a resource
that does not validate) raises SourceError: the region's part is missing, never half-parsed.
Conflict (409) and PreconditionFailed (412) are answers, raised as their own exceptions.
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urljoin

import httpx
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from app.sources.fanout import SourceError

R = TypeVar("R", bound=Resource)
# Search parameters; a list, as FHIR repeats names (start=ge...&start=lt...).
Params = list[tuple[str, str]]
FHIR_JSON = "application/fhir+json"
MAX_PAGES = 20  # a search that pages on and on is a broken server, not a long list


class Conflict(Exception):
    """409: the server refused the change as it conflicts with its state (e.g. a busy slot)."""


class PreconditionFailed(Exception):
    """412: the resource changed since it was read (If-Match), or a condition matched many."""


class FhirClient:
    def __init__(self, base_url: str, http: httpx.AsyncClient) -> None:
        self._base = base_url.rstrip("/") + "/"
        self._http = http

    async def search(self, resource_type: str, params: Params) -> tuple[list[Resource], bool]:
        """All matches of all pages (at most MAX_PAGES), and whether the server had more."""
        found: list[Resource] = []
        url: str | None = urljoin(self._base, resource_type)
        query: Params | None = params
        for _ in range(MAX_PAGES):
            bundle = await self.search_page(url, query)
            found.extend(entry.resource for entry in bundle.entry or [] if entry.resource)
            url, query = next_link(bundle), None
            if url is None:
                return found, False
        return found, True

    async def search_page(self, url: str | None, params: Params | None) -> Bundle:
        assert url is not None
        response = await self._send("GET", url, params=params)
        bundle = _parse(Bundle, response)
        if bundle.type != "searchset":
            raise SourceError(f"search answered a {bundle.type} bundle")
        return bundle

    def url_of(self, resource_type: str) -> str:
        return urljoin(self._base, resource_type)

    async def read(self, model: type[R], logical_id: str) -> tuple[R | None, str | None]:
        """The resource and its version (for If-Match), or (None, None) when it is gone."""
        response = await self._send("GET", urljoin(self._base, f"{model.__name__}/{logical_id}"))
        if response.status_code in (404, 410):
            return None, None
        return _parse(model, response), _version(response)

    async def create(self, resource: R, if_none_exist: str | None = None) -> tuple[R, bool]:
        """The stored resource, and whether it was made now (False: it existed, conditional
        create found it)."""
        headers = {} if if_none_exist is None else {"If-None-Exist": if_none_exist}
        url = urljoin(self._base, resource.get_resource_type())
        response = await self._send("POST", url, json=_body(resource), headers=headers)
        return _parse(type(resource), response), response.status_code == 201

    async def update(self, resource: R, version: str) -> R:
        url = urljoin(self._base, f"{resource.get_resource_type()}/{resource.id}")
        headers = {"If-Match": f'W/"{version}"'}
        response = await self._send("PUT", url, json=_body(resource), headers=headers)
        return _parse(type(resource), response)

    async def _send(self, method: str, url: str, **options: Any) -> httpx.Response:
        headers = {"Accept": FHIR_JSON, **options.pop("headers", {})}
        if "json" in options:
            headers["Content-Type"] = FHIR_JSON
        try:
            response = await self._http.request(method, url, headers=headers, **options)
        except httpx.HTTPError as error:
            raise SourceError(f"{method} {url}: {type(error).__name__}") from error
        if response.status_code == 409:
            raise Conflict
        if response.status_code == 412:
            raise PreconditionFailed
        if response.status_code not in (200, 201, 404, 410):
            raise SourceError(f"{method} {url}: HTTP {response.status_code}")
        return response


def _body(resource: Resource) -> Any:
    # Serialised from the validated model: what we send is FHIR by construction.
    return resource.model_dump(mode="json", by_alias=True, exclude_none=True)


def _parse(model: type[R], response: httpx.Response) -> R:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as error:
        raise SourceError(
            f"not a valid {model.__name__}: {error.error_count()} problem(s)"
        ) from None


def _version(response: httpx.Response) -> str | None:
    etag = response.headers.get("ETag", "")
    return etag.removeprefix("W/").strip('"') or None


def next_link(bundle: Bundle) -> str | None:
    return next((link.url for link in bundle.link or [] if link.relation == "next"), None)
