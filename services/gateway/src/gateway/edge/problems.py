"""Errors as RFC 9457 problem details (application/problem+json), never a bare 500 for bad input."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Protocol

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit.db_errors import is_transient
from servicekit.errors import ServiceError
from servicekit.grpc import violations_of

log = logging.getLogger(__name__)

_HTTP_STATUS = {
    grpc.StatusCode.INVALID_ARGUMENT: 422,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.UNAVAILABLE: 503,
    # the service did not answer within the gateway's deadline (gateway.calls)
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}
TITLES = {
    400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 413: "Content too large",
    422: "Invalid request", 429: "Too many requests",
    500: "Internal error", 503: "Service unavailable", 504: "Gateway timeout",
}  # fmt: skip


class Refuse(Protocol):
    """How a middleware answers with a problem before any route (send_problem, in the app)."""

    async def __call__(
        self,
        scope: Scope,
        send: Send,
        status: int,
        detail: str,
        headers: Mapping[str, str] | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None: ...


def problem(
    request: Request,
    status: int,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return _response(request.url.path, status, detail, errors, headers)


def _response(
    instance: str,
    status: int,
    detail: str,
    errors: list[dict[str, str]] | None,
    headers: Mapping[str, str] | None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status, headers=headers, media_type="application/problem+json")


async def send_problem(
    scope: Scope,
    send: Send,
    status: int,
    detail: str,
    headers: Mapping[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> None:
    """A problem answered by middleware, before any route (and before the body is read)."""
    response = _response(scope.get("path", ""), status, detail, errors, headers)
    await response({"type": "http"}, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class CrashAsProblem:
    """An error no handler knew becomes a logged 500 problem+json, not Starlette's bare
    text/plain page; the middleware inside it (idempotency) has seen the error first."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as error:
            if started:  # too late for another answer; the server closes the connection
                log.exception("%s %s failed", scope["method"], scope["path"])
                raise
            if is_transient(error):  # the gateway's own database restarting or saturated
                log.warning(
                    "%s %s: database unavailable: %r", scope["method"], scope["path"], error
                )
                await send_problem(scope, send, 503, "try again shortly", {"Retry-After": "1"})
                return
            log.exception("%s %s failed", scope["method"], scope["path"])
            await send_problem(scope, send, 500, "the request could not be completed")


def field_path(location: tuple[int | str, ...]) -> str:
    """("body", "lines", 0, "quantity") -> "lines[0].quantity"; query and path names stay bare."""
    path = ""
    for part in location[1:] if location and location[0] in ("body", "query", "path") else location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def install(app: FastAPI) -> None:
    @app.exception_handler(grpc.aio.AioRpcError)
    async def from_grpc(request: Request, error: grpc.aio.AioRpcError) -> JSONResponse:
        status = _HTTP_STATUS.get(error.code(), 500)
        if status == 500:
            log.error("%s failed: %s %s", request.url.path, error.code(), error.details())
            return problem(request, 500, "the request could not be completed")
        errors = [{"field": v.field, "detail": v.description} for v in violations_of(error)]
        return problem(request, status, error.details() or "", errors or None)

    @app.exception_handler(ServiceError)
    async def from_service_error(request: Request, error: ServiceError) -> JSONResponse:
        """What the gateway's own checks raise (a page token it cannot read)."""
        errors = [{"field": v.field, "detail": v.description} for v in error.violations]
        status = _HTTP_STATUS.get(grpc.StatusCode[error.code.value], 500)
        return problem(request, status, error.message, errors or None)

    @app.exception_handler(RequestValidationError)
    async def from_validation(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": field_path(tuple(e["loc"])), "detail": e["msg"]} for e in error.errors()
        ]
        return problem(request, 422, "the request does not match its schema", errors)

    @app.exception_handler(HTTPException)
    async def from_http(request: Request, error: HTTPException) -> JSONResponse:
        return problem(request, error.status_code, str(error.detail), headers=error.headers)
