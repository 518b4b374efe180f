"""The gateway's public REST API, called as the signed-in user (their bearer token), as any
client calls it. Problems (application/problem+json) become GatewayError with the `detail` and
the fields at fault, for the page to show next to each field."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class GatewayError(Exception):
    status: int
    detail: str
    fields: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.detail


def _problem(response: httpx.Response) -> GatewayError:
    detail, fields = f"the gateway answered {response.status_code}", {}
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        detail = str(body.get("detail") or body.get("title") or detail)
        for error in body.get("errors") or []:
            if isinstance(error, dict):
                name = str(error.get("field") or "")
                fields[name.removeprefix("body.")] = str(error.get("detail") or "")
    return GatewayError(response.status_code, detail, fields)


@dataclass(frozen=True)
class Download:
    """A document as the gateway answers it (a quote's PDF): bytes, type and file name."""

    content: bytes
    media_type: str
    filename: str


class Gateway:
    def __init__(self, base_url: str, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/v1", timeout=30.0, transport=transport
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def get(self, token: str, path: str, **params: str) -> Any:
        """The JSON body of a 2xx; GatewayError otherwise (503 when it cannot be reached)."""
        query = {k: v for k, v in params.items() if v}
        return await self._send("GET", path, token, params=query)

    async def get_optional(self, token: str, path: str, **params: str) -> Any | None:
        """As `get`, but None on 404 (a part another release adds)."""
        try:
            return await self.get(token, path, **params)
        except GatewayError as error:
            if error.status == 404:
                return None
            raise

    async def post(self, token: str, path: str, body: dict[str, Any]) -> Any:
        """One Idempotency-Key per call: a retry of the same call does nothing twice."""
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        return await self._send("POST", path, token, json=body, headers=headers)

    async def put(self, token: str, path: str, body: dict[str, Any]) -> Any:
        """Replaces what `path` names (a draft quote's content); the JSON answer of a 2xx."""
        return await self._send("PUT", path, token, json=body)

    async def patch(self, token: str, path: str, body: dict[str, Any]) -> Any:
        """Changes the fields `body` names (a task's); the JSON answer of a 2xx."""
        return await self._send("PATCH", path, token, json=body)

    async def get_bytes(self, token: str, path: str) -> Download:
        """A document, its type and file name kept; GatewayError otherwise."""
        response = await self._request("GET", path, token)
        disposition = response.headers.get("content-disposition", "")
        filename = disposition.partition("filename=")[2].strip('"; ') or "document.pdf"
        media_type = response.headers.get("content-type", "application/octet-stream")
        return Download(response.content, media_type.split(";")[0], filename)

    async def _send(self, method: str, path: str, token: str, **kwargs: Any) -> Any:
        response = await self._request(method, path, token, **kwargs)
        return response.json() if response.content else {}

    async def _request(self, method: str, path: str, token: str, **kwargs: Any) -> httpx.Response:
        """A 2xx response; GatewayError otherwise (503 when the gateway cannot be reached)."""
        headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
        try:
            response = await self._client.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as error:
            raise GatewayError(503, f"the gateway cannot be reached ({error})") from error
        if response.is_success:
            return response
        raise _problem(response)
