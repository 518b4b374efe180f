"""/api-keys: keys for machines, issued, listed and revoked by an admin (see gateway.api_keys)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import Field, field_validator

from gateway.api_keys import ApiKeys
from gateway.auth import require
from gateway.schemas import Id, PageSize, PageToken
from gateway.schemas import Request as RequestBody
from gateway.schemas import Response as ResponseBody
from servicekit.auth import ROLES
from servicekit.paging import page_limit

router = APIRouter(prefix="/api-keys", tags=["api keys"])
ADMIN = require("admin")


class ApiKeyIn(RequestBody):
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


class ApiKeyOut(ResponseBody):
    id: str
    name: str
    roles: list[str]
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    revoked_by: str | None


class IssuedApiKey(ApiKeyOut):
    key: str = Field(description="the key itself: shown this once, stored only as a hash")


class ApiKeyPage(ResponseBody):
    items: list[ApiKeyOut]
    next_page_token: str


def _keys(request: Request) -> ApiKeys:
    keys: ApiKeys = request.app.state.api_keys
    return keys


@router.post("", status_code=201, response_model=IssuedApiKey, dependencies=[ADMIN])
async def issue_api_key(body: ApiKeyIn, request: Request, response: Response) -> IssuedApiKey:
    """A new key for a machine. The response is the only time the key is shown: it is not kept
    (not even for an Idempotency-Key replay)."""
    key, presented = await _keys(request).issue(body.name, body.roles)
    response.headers["Location"] = f"{request.url.path}/{key.id}"
    response.headers["Cache-Control"] = "no-store"
    return IssuedApiKey(**ApiKeyOut.model_validate(key).model_dump(), key=presented)


@router.get("", response_model=ApiKeyPage, dependencies=[ADMIN])
async def list_api_keys(
    request: Request, page_size: PageSize = 50, page_token: PageToken = ""
) -> ApiKeyPage:
    """Every key, newest first, revoked ones too (with when and by whom); never the keys."""
    keys, next_token = await _keys(request).page(page_limit(page_size), page_token)
    return ApiKeyPage(items=[ApiKeyOut.model_validate(k) for k in keys], next_page_token=next_token)


@router.get("/{key_id}", response_model=ApiKeyOut, dependencies=[ADMIN])
async def get_api_key(key_id: Id, request: Request) -> ApiKeyOut:
    key = await _keys(request).get(key_id)
    if key is None:
        raise HTTPException(404, f"API key {key_id} not found")
    return ApiKeyOut.model_validate(key)


@router.delete("/{key_id}", status_code=204, dependencies=[ADMIN])
async def revoke_api_key(key_id: Id, request: Request) -> Response:
    """Revokes the key: refused at once by this replica, within `api_key_cache_seconds` by
    every other. Revoking a revoked key changes nothing."""
    if await _keys(request).revoke(key_id) is None:
        raise HTTPException(404, f"API key {key_id} not found")
    return Response(status_code=204)
