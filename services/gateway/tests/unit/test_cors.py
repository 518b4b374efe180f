"""Browser clients (CORS): off unless GATEWAY_CORS_ORIGINS names origins; then a preflight from
one of them is answered before authentication, and answers carry the headers a client reads."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest
from pydantic import ValidationError

from gateway.app import create_app
from services.gateway.tests.unit.conftest import gateway_settings
from services.gateway.tests.unit.fakes import memory_stores
from testkit.services import signed_in

APP = "https://app.example.com"
PREFLIGHT = {
    "Origin": APP,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, idempotency-key, content-type, traceparent",
}
Gateway = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@asynccontextmanager
async def _gateway(**settings: object) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(gateway_settings(**settings), stores=memory_stores())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        yield client


@pytest.fixture
def gateway() -> Gateway:
    return _gateway


async def test_off_by_default_no_cors_headers(gateway: Gateway) -> None:
    assert gateway_settings().cors_origins == []
    async with gateway() as api:
        preflight = await api.options("/api/v1/sales-orders", headers=PREFLIGHT)
        answer = await api.get("/api/v1/sales-orders", headers={"Origin": APP})
    assert preflight.status_code == 401, "no middleware answers it: authentication refuses"
    for response in (preflight, answer):
        assert not any(h.startswith("access-control-") for h in response.headers), response


async def test_a_configured_origin_passes_preflight_and_reads_the_answers(
    gateway: Gateway,
) -> None:
    async with gateway(cors_origins=[APP]) as api:
        preflight = await api.options("/api/v1/sales-orders", headers=PREFLIGHT)
        refused = await api.get("/api/v1/sales-orders", headers={"Origin": APP})
        docs = await api.get("/openapi.json", headers={"Origin": APP})
    assert preflight.status_code == 200, preflight.text  # no credentials, yet not refused
    assert preflight.headers["access-control-allow-origin"] == APP
    assert "POST" in preflight.headers["access-control-allow-methods"]
    allowed = {
        h.strip().lower() for h in preflight.headers["access-control-allow-headers"].split(",")
    }
    assert {
        "authorization",
        "x-api-key",
        "idempotency-key",
        "content-type",
        "traceparent",
    } <= allowed
    # refusals carry the headers too, so the page can tell the user a 401 from a network error
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == APP
    exposed = {
        h.strip().lower() for h in refused.headers["access-control-expose-headers"].split(",")
    }
    assert {"location", "idempotent-replayed", "retry-after"} <= exposed
    assert docs.headers["access-control-allow-origin"] == APP


async def test_another_origin_gets_no_cors_headers(gateway: Gateway) -> None:
    other = {**PREFLIGHT, "Origin": "https://evil.example.net"}
    async with gateway(cors_origins=[APP]) as api:
        preflight = await api.options("/api/v1/sales-orders", headers=other)
        answer = await api.get(
            "/api/v1/sales-orders/o-1", headers={"Origin": other["Origin"], **signed_in("a")}
        )
    assert preflight.status_code == 400
    for response in (preflight, answer):
        assert "access-control-allow-origin" not in response.headers


def test_origins_come_comma_separated_and_must_be_origins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GATEWAY_CORS_ORIGINS", f"{APP}/, http://localhost:5173")
    assert gateway_settings().cors_origins == [APP, "http://localhost:5173"]
    monkeypatch.setenv("GATEWAY_CORS_ORIGINS", f"{APP}/app")
    with pytest.raises(ValidationError, match="is not an origin"):
        gateway_settings()
