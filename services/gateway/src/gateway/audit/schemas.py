"""The body of /audit: changes to an entity from every service that keeps them."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from gateway.bodies import Response, When
from gateway.examples import CUSTOMER_ID, LATER, examples, page

# Examples for the OpenAPI document (valid instances of their models; no null field, which
# FastAPI leaves out), in the story of gateway.examples.
ENTRY = {
    "id": "0f1e2d3c-4b5a-4697-8877-665544332211",
    "service": "orders",
    "entity_type": "customer",
    "entity_id": CUSTOMER_ID,
    "action": "changed",
    "actor": "finn",
    "actor_roles": ["finance"],
    "at": LATER,
    "before": {"credit_limit": "8000.00"},
    "after": {"credit_limit": "10000.00"},
    "correlation_id": "4bf92f3577b34da6a3ce929d0e0e4736",
}


class AuditEntry(Response):
    """One change to an entity: who made it, when, and the changed fields before and after."""

    model_config = examples(ENTRY)

    id: str
    service: str = Field(description="the service that owns the entity")
    entity_type: str
    entity_id: str
    action: str
    actor: str = Field(description="the person, API key or service that made the change")
    actor_roles: list[str]
    at: When
    before: dict[str, Any] | None = Field(description="the changed fields before; null: none")
    after: dict[str, Any] | None = Field(description="the changed fields after; null: none")
    correlation_id: str


class Unavailable(Response):
    """A service that did not answer, and why."""

    model_config = examples({"service": "procurement", "detail": "UNAVAILABLE: no answer"})

    service: str
    detail: str


class AuditPage(Response):
    """A page of changes, newest first, and the services whose changes are missing from it."""

    model_config = examples(page(ENTRY, unavailable=[]))

    items: list[AuditEntry]
    next_page_token: str = Field(description="empty on the last page")
    unavailable: list[Unavailable] = Field(
        description="services that did not answer: their changes are missing from this page"
    )
