"""GraphiQL, served from this server: no CDN, so it works on a closed network, and a strict
Content-Security-Policy can hold. The IDE's scripts come from the graphene-django-graphiql-static
wheel (plain files: GraphiQL 3, React 18, the explorer plugin); our page and init script are in
app/graphiql/. Only the files listed here are served."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

OURS = Path(__file__).resolve().parent  # the page, its script and styles beside this module
VENDOR = files("graphene_django_graphiql_static") / "static" / "graphene_django_graphiql_static"
ASSETS: dict[str, tuple[Traversable, str]] = {
    "react.production.min.js": (VENDOR / "react.production.min.js", "text/javascript"),
    "react-dom.production.min.js": (VENDOR / "react-dom.production.min.js", "text/javascript"),
    "graphiql.min.js": (VENDOR / "graphiql.min.js", "text/javascript"),
    "graphiql.min.css": (VENDOR / "graphiql.min.css", "text/css"),
    "graphiql-plugin-explorer.umd.js": (
        VENDOR / "graphiql-plugin-explorer.umd.js",
        "text/javascript",
    ),
    "style.css": (VENDOR / "style.css", "text/css"),
    "header-free-storage.js": (OURS / "header-free-storage.js", "text/javascript"),
    "vardgraf.js": (OURS / "vardgraf.js", "text/javascript"),
    "vardgraf.css": (OURS / "vardgraf.css", "text/css"),
}
# GraphiQL styles itself inline; everything else comes from this origin only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
PAGE_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


# Only in development: how to mint tokens with this checkout's tools.
DEVELOPMENT_HINT = (
    " Staff: <code>python3 dev.py token --staff &lt;HSA-id&gt;</code>; citizens: "
    "<code>python3 dev.py token &lt;personnummer&gt;</code>."
)


def graphiql_page(development: bool) -> HTMLResponse:
    hint = DEVELOPMENT_HINT if development else ""
    page = (OURS / "page.html").read_text().replace("<!--development-hint-->", hint)
    return HTMLResponse(page, headers=PAGE_HEADERS)


def graphiql_enabled(mode: str, setting: bool | None) -> bool:
    """On in development; in production only when a setting turns it on (a staff-only host):
    an IDE served to anyone tells every visitor what the API is (graphql-cop's "GraphQL IDE")."""
    return mode == "development" if setting is None else setting


async def graphiql_asset(request: Request) -> Response:
    asset = ASSETS.get(request.path_params["name"])
    if asset is None:
        return Response("Not found", status_code=404, media_type="text/plain")
    path, media_type = asset
    return Response(
        path.read_bytes(),
        media_type=media_type,
        headers={"cache-control": "public, max-age=86400", "x-content-type-options": "nosniff"},
    )
