"""Small helpers for end-to-end tests: an authenticated API client and bounded waiting."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from testkit.services import signed_in


class Api:
    """The gateway's /api/v1 as one role sees it."""

    def __init__(self, base_url: str, subject: str, *roles: str, team: str = "") -> None:
        self.client = httpx.AsyncClient(
            base_url=f"{base_url}/api/v1",
            headers=signed_in(subject, *roles, team=team),
            timeout=30.0,
        )

    async def post(self, path: str, body: dict[str, Any], **headers: str) -> httpx.Response:
        return await self.client.post(path, json=body, headers=headers)

    async def get(self, path: str, **params: str) -> httpx.Response:
        return await self.client.get(path, params=params)

    async def created(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.post(path, body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def aclose(self) -> None:
        await self.client.aclose()


async def new_customer(api: Api, name: str = "Buyer", currency: str = "EUR") -> str:
    """A registered customer's id: orders are taken only for customers the suite knows."""
    created = await api.created(
        "/customers",
        {"name": f"{name} {uuid.uuid4().hex[:6]}", "kind": "company", "currency": currency},
    )
    return str(created["id"])


async def eventually(
    probe: Callable[[], Awaitable[Any]], accept: Callable[[Any], bool], seconds: float = 30.0
) -> Any:
    """Polls `probe` until `accept` holds for its result; fails with the last result."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        result = await probe()
        if accept(result):
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"gave up waiting; last result: {result}")
        await asyncio.sleep(0.1)
