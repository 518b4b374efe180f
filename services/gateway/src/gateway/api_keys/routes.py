"""/api-keys: keys for machines, issued, listed and revoked by an admin (gateway.edge.api_keys)."""

from fastapi import APIRouter, HTTPException, Request, Response

from gateway.api_keys.schemas import ApiKeyIn, ApiKeyOut, ApiKeyPage, IssuedApiKey
from gateway.bodies import Id, PageSize, PageToken
from gateway.edge.api_keys import ApiKeys
from gateway.edge.auth import require
from gateway.edge.openapi import located, problems
from servicekit.paging import page_limit

router = APIRouter(prefix="/api-keys", tags=["api keys"])
routers = (router,)
ADMIN = require("admin")


def _keys(request: Request) -> ApiKeys:
    keys: ApiKeys = request.app.state.api_keys
    return keys


@router.post(
    "",
    operation_id="issueApiKey",
    summary="Issue an API key",
    status_code=201,
    response_model=IssuedApiKey,
    dependencies=[ADMIN],
    responses=located("getApiKey", "key_id", "The key issued, with the key itself."),
)
async def issue_api_key(body: ApiKeyIn, request: Request, response: Response) -> IssuedApiKey:
    """A new key for a machine. The response is the only time the key is shown: it is not kept
    (not even for an Idempotency-Key replay: sent again with its Idempotency-Key, the request
    answers 409 with the key's Location). The machine sends the key as `X-API-Key` and acts as
    `api-key:<name>` with `roles`. Admins only."""
    key, presented = await _keys(request).issue(body.name, body.roles)
    response.headers["Location"] = f"{request.url.path}/{key.id}"
    response.headers["Cache-Control"] = "no-store"
    return IssuedApiKey(**ApiKeyOut.model_validate(key).model_dump(), key=presented)


@router.get(
    "",
    operation_id="listApiKeys",
    summary="List API keys",
    response_model=ApiKeyPage,
    dependencies=[ADMIN],
)
async def list_api_keys(
    request: Request, page_size: PageSize = 50, page_token: PageToken = ""
) -> ApiKeyPage:
    """Every key, newest first, revoked ones too (with when and by whom); never the keys.
    Admins only."""
    keys, next_token = await _keys(request).page(page_limit(page_size), page_token)
    return ApiKeyPage(items=[ApiKeyOut.model_validate(k) for k in keys], next_page_token=next_token)


@router.get(
    "/{key_id}",
    operation_id="getApiKey",
    summary="Get an API key",
    response_model=ApiKeyOut,
    dependencies=[ADMIN],
    responses=problems(404),
)
async def get_api_key(key_id: Id, request: Request) -> ApiKeyOut:
    """One key: its name, roles, who issued it and whether it was revoked (never the key).
    Admins only; 404 when there is no such key."""
    key = await _keys(request).get(key_id)
    if key is None:
        raise HTTPException(404, f"API key {key_id} not found")
    return ApiKeyOut.model_validate(key)


@router.delete(
    "/{key_id}",
    operation_id="revokeApiKey",
    summary="Revoke an API key",
    status_code=204,
    dependencies=[ADMIN],
    responses=problems(404),
)
async def revoke_api_key(key_id: Id, request: Request) -> Response:
    """Revokes the key: refused at once by this replica, within `api_key_cache_seconds` by
    every other. Revoking a revoked key changes nothing. Answers no content; 404 when there is
    no such key. Admins only."""
    if await _keys(request).revoke(key_id) is None:
        raise HTTPException(404, f"API key {key_id} not found")
    return Response(status_code=204)
