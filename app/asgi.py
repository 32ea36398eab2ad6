"""The production entry point, one app per worker process, settings from the environment:

    vardgraf migrate
    uvicorn --factory app.asgi:application --workers 4 --host 0.0.0.0 --port 8000 \\
        --http app.http.protocol:HttpToolsProtocol --ws wsproto --ws-per-message-deflate false \\
        --proxy-headers --forwarded-allow-ips=<the proxy> --timeout-graceful-shutdown 20

On SIGTERM uvicorn stops accepting, lets requests in flight finish (up to the graceful
timeout), then the lifespan closes the pool and flushes traces. Nothing is seeded here.
"""

from __future__ import annotations

import gc

from starlette.applications import Starlette

from app.main import create_app
from app.observability.logs import configure_logging
from app.settings_errors import load_settings


def application() -> Starlette:
    settings = load_settings()  # one line per invalid setting, and exit (StartupRefused)
    configure_logging(settings.log_format)
    app = create_app(settings)  # a start-up check that fails exits the same way
    # What start-up built (schema, mappers, models) lives as long as the process: moved out of
    # the collector's sight, it is not traversed again by every full collection (fewer and
    # shorter pauses: a lower p99), and its pages stay shared between forked workers.
    gc.collect()
    gc.freeze()
    # A process holding thousands of open subscriptions holds their objects for hours: a full
    # collection walks them all (250-290 ms at 2,000) and, run as often as Python's default
    # asks, lands in an event's delivery to them. Ten times rarer, with the young generations
    # as they are (the cycles a request leaves die there): docs/performance.md.
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 100)
    return app
