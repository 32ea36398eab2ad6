"""Which media type to answer in, from the Accept header (GraphQL over HTTP, section 6.4).

`application/graphql-response+json` is preferred when accepted; `application/json` (the
legacy type) is the answer to clients that send no Accept header or accept anything.
"""

from __future__ import annotations

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
_ANSWERS_BY_RANGE = {
    GRAPHQL_RESPONSE: GRAPHQL_RESPONSE,
    JSON: JSON,
    "application/*": JSON,
    "*/*": JSON,
}


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media_range, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range.lower(), quality))
    return ranges


def response_media_type(accept: str | None) -> str | None:
    """The media type to answer in, or None if the client accepts none we speak (406)."""
    if accept is None or not accept.strip():
        return JSON
    accepted = {
        _ANSWERS_BY_RANGE[media_range]: quality
        for media_range, quality in _ranges(accept)
        if media_range in _ANSWERS_BY_RANGE and quality > 0
    }
    if GRAPHQL_RESPONSE in accepted and accepted[GRAPHQL_RESPONSE] >= accepted.get(JSON, 0.0):
        return GRAPHQL_RESPONSE
    return JSON if JSON in accepted else None


def accepts_html(accept: str | None) -> bool:
    return accept is not None and "text/html" in accept.lower()
