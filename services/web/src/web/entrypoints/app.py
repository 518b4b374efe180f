"""The web pages: each area's routes in its own module (signing, admin, orders, warehouse,
finance), the errors every page can meet turned into pages of their own (never a bare 500)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from servicekit.errors import NotFound, ServiceError
from web.adapters.gateway import GatewayError
from web.entrypoints import (
    admin,
    finance,
    oidc,
    orders,
    pipeline,
    purchasing,
    queues,
    quotes,
    sales,
    signing,
    tasks,
    warehouse,
)
from web.entrypoints.security import (
    Forbidden,
    NotSignedIn,
    Web,
    web_of,
)

log = logging.getLogger(__name__)
PACKAGE = Path(str(files("web")))
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def templates() -> Jinja2Templates:
    return Jinja2Templates(directory=PACKAGE / "templates")


def create_app(web: Web, lifespan: Lifespan | None = None) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.web = web
    app.mount("/static", StaticFiles(directory=PACKAGE / "static"), name="static")
    areas = (orders, sales, quotes, pipeline, warehouse, purchasing, finance, queues, tasks)
    for module in (signing, oidc, admin, *areas):
        app.include_router(module.router)
    _install_errors(app)

    @app.middleware("http")
    async def guarded(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Pages only from this origin, never framed, never kept by a shared cache."""
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/health", response_class=PlainTextResponse)
    async def health() -> str:
        return "ok"

    return app


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _: NotSignedIn) -> Response:
        if request.method in ("GET", "HEAD"):
            return RedirectResponse("/sign-in", status_code=303)
        return web_of(request).render(
            request, "error.html", 401, title="Signed out", message="Please sign in again."
        )

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> Response:
        return web_of(request).render(
            request, "error.html", 403, title="Not allowed", message=error.reason
        )

    @app.exception_handler(GatewayError)
    async def gateway_error(request: Request, error: GatewayError) -> Response:
        status = error.status if 400 <= error.status < 600 else 502
        if status >= 500:
            log.warning("%s: the gateway answered %s: %s", request.url.path, status, error)
            status = 503
        return web_of(request).render(
            request, "error.html", status, title="Could not load this page", message=error.detail
        )

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, error: ServiceError) -> Response:
        status = 404 if isinstance(error, NotFound) else 400
        return web_of(request).render(
            request, "error.html", status, title="Not done", message=error.message
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        fields = ", ".join(str(e["loc"][-1]) for e in error.errors())
        return web_of(request).render(
            request, "error.html", 400, title="Not done", message=f"Check these fields: {fields}"
        )

    @app.exception_handler(404)
    async def not_found(request: Request, _: Exception) -> Response:
        return web_of(request).render(
            request, "error.html", 404, title="Not found", message="There is no such page."
        )

    @app.exception_handler(Exception)
    async def crashed(request: Request, error: Exception) -> Response:
        log.exception("%s %s failed", request.method, request.url.path)
        return HTMLResponse("<h1>Something went wrong</h1><p>Please try again.</p>", 500)
