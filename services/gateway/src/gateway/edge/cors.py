"""Cross-origin calls from browsers (CORS), for the origins GATEWAY_CORS_ORIGINS names; off by
default.

The middleware goes outermost, so it answers a browser's preflight (an OPTIONS request that
carries no credentials) before authentication would refuse it, and adds its headers to every
answer, refusals included, so a browser shows the client its 401s and 429s. Credentials travel
in headers the page sets (Authorization, X-API-Key), not cookies: no `allow_credentials`."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from gateway.config import Settings

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# What a client of this API sends beyond the headers browsers allow anyway.
REQUEST_HEADERS = (
    "Authorization",
    "X-API-Key",
    "Idempotency-Key",
    "Content-Type",
    "X-Correlation-Id",
    "traceparent",
    "tracestate",
)
# What a client reads from answers: where a created resource is, whether a POST was replayed,
# how long to wait after a 429, the trace it ran in, a PDF's file name.
RESPONSE_HEADERS = (
    "Location",
    "Idempotent-Replayed",
    "Retry-After",
    "traceparent",
    "Content-Disposition",
)
# How long a browser may reuse a preflight's answer (seconds).
PREFLIGHT_MAX_AGE = 600


def install(app: FastAPI, settings: Settings) -> None:
    """Adds the middleware when origins are configured; call it after every other middleware
    is added, so it is the outermost."""
    if not settings.cors_origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=METHODS,
        allow_headers=REQUEST_HEADERS,
        expose_headers=RESPONSE_HEADERS,
        max_age=PREFLIGHT_MAX_AGE,
    )
