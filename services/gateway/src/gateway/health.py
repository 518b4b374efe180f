"""/health: probes for the platform and a report of the services for operators.

Liveness and readiness are about this process alone. A gateway whose services are down can still
answer (a summary without its invoices, a 503 problem for a write), and every replica shares the
same services: taking replicas out of the load balancer because a service is down would turn one
failed service into a failed API. /health/backends says what each service answers, for people
and dashboards, and never fails a probe."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from gateway import examples as ex
from gateway.edge import problems

router = APIRouter(prefix="/health", tags=["health"])
# What create_app and its lifespan put in place before the gateway can answer a request: its
# settings and keys (create_app refuses unsafe keys), its database stores, the API key cache and
# the channels to the services (opened lazily: no service needs to be up).
_WIRED = ("settings", "stores", "api_keys", "clients")


class Live(BaseModel):
    """The process answers."""

    model_config = ex.examples({"status": "live"})

    status: Literal["live"]


class Ready(BaseModel):
    """The gateway is started."""

    model_config = ex.examples({"status": "ready"})

    status: Literal["ready"]


class Backend(BaseModel):
    """One service and what its health check says."""

    service: str
    status: str = Field(
        description="the service's health check: SERVING, NOT_SERVING, UNKNOWN, or the gRPC "
        "code of a check that failed (UNAVAILABLE, DEADLINE_EXCEEDED)",
        examples=["SERVING", "UNAVAILABLE"],
    )


class Backends(BaseModel):
    """Each service's health check."""

    model_config = ex.examples(
        {
            "status": "degraded",
            "backends": [
                {"service": "catalog", "status": "SERVING"},
                {"service": "billing", "status": "UNAVAILABLE"},
            ],
        }
    )
    status: Literal["ok", "degraded"] = Field(
        description="degraded when any service is not SERVING; always HTTP 200"
    )
    backends: list[Backend]


@router.get(
    "/live",
    response_model=Live,
    operation_id="getLiveness",
    summary="Check that the gateway is live",
)
async def live() -> Live:
    """The process answers HTTP."""
    return Live(status="live")


@router.get(
    "/ready",
    response_model=Ready,
    responses={503: {"description": "Not started yet: its stores or channels are not in place."}},
    operation_id="getReadiness",
    summary="Check that the gateway is ready",
)
async def ready(request: Request) -> Ready | JSONResponse:
    """The gateway is started: its settings, keys, database stores and channels are in place.
    The services are not asked (see /health/backends)."""
    state = request.app.state
    missing = [name for name in _WIRED if not hasattr(state, name)]
    if missing:
        return problems.problem(request, 503, f"not started: {', '.join(missing)}")
    return Ready(status="ready")


@router.get(
    "/backends",
    response_model=Backends,
    operation_id="getBackendHealth",
    summary="Report the services' health",
)
async def backends(request: Request) -> Backends:
    """Each service's health check now (at most 2 s), for operators; 200 whatever they say."""
    report = await request.app.state.clients.health()
    found = [Backend(service=name, status=status) for name, status in report.items()]
    degraded = any(b.status != "SERVING" for b in found)
    return Backends(status="degraded" if degraded else "ok", backends=found)
