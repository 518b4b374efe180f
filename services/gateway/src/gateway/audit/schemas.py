"""The body of /audit: changes to an entity from every service that keeps them."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from gateway.bodies import Response, When


class AuditEntry(Response):
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
    service: str
    detail: str


class AuditPage(Response):
    items: list[AuditEntry]
    next_page_token: str
    unavailable: list[Unavailable] = Field(
        description="services that did not answer: their changes are missing from this page"
    )
