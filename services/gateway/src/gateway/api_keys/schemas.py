"""The bodies of /api-keys: a key as an admin asks for it, and as listed (never the key)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, field_validator

from gateway.bodies import Request, Response
from servicekit.auth import ROLES


class ApiKeyIn(Request):
    name: str = Field(
        min_length=1,
        max_length=63,
        pattern=r"^[a-z0-9][a-z0-9._-]*$",
        examples=["woocommerce-sync"],
        description="the machine's name; it acts as `api-key:<name>`",
    )
    roles: list[str] = Field(min_length=1, max_length=len(ROLES), examples=[["order-desk"]])

    @field_validator("roles")
    @classmethod
    def _known(cls, roles: list[str]) -> list[str]:
        unknown = sorted(set(roles) - set(ROLES))
        if unknown:
            raise ValueError(f"unknown roles {unknown}; roles are {', '.join(ROLES)}")
        return list(dict.fromkeys(roles))


class ApiKeyOut(Response):
    id: str
    name: str
    roles: list[str]
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    revoked_by: str | None


class IssuedApiKey(ApiKeyOut):
    key: str = Field(description="the key itself: shown this once, stored only as a hash")


class ApiKeyPage(Response):
    items: list[ApiKeyOut]
    next_page_token: str
