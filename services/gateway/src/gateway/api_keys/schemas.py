"""The bodies of /api-keys: a key as an admin asks for it, and as listed (never the key)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, field_validator

from gateway.bodies import Request, Response
from gateway.examples import examples, page
from servicekit.auth import ROLES

# Examples for the OpenAPI document (valid instances of their models; no null field, which
# FastAPI leaves out), in the story of gateway.examples.
KEY_IN = {"name": "woocommerce-sync", "roles": ["order-desk"]}
KEY = KEY_IN | {
    "id": "8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968",
    "created_at": "2026-11-02T12:00:00Z",
    "created_by": "alex",
}
ISSUED = KEY | {"key": "oms_8e7d6c5b4a3942819f0e1d2c3b4a5968_ZXhhbXBsZS1vbmx5LW5vdC1hLXJlYWwta2V5"}


class ApiKeyIn(Request):
    """A key to issue: the machine's name and the roles it acts with."""

    model_config = examples(KEY_IN)

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
    """An API key as listed: whose it is, its roles, and whether it was revoked (never the key
    itself)."""

    model_config = examples(KEY)

    id: str
    name: str
    roles: list[str]
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = Field(None, description="null: not revoked")
    revoked_by: str | None = None


class IssuedApiKey(ApiKeyOut):
    """A key just issued, with the key itself: shown this once."""

    model_config = examples(ISSUED)

    key: str = Field(description="the key itself: shown this once, stored only as a hash")


class ApiKeyPage(Response):
    """A page of API keys, newest first."""

    model_config = examples(page(KEY))

    items: list[ApiKeyOut]
    next_page_token: str = Field(description="empty on the last page")
