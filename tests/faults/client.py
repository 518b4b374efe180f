"""The workload's client: the gateway's REST API as a careful real client uses it. Every POST
carries an Idempotency-Key kept across its retries, and what a client may retry is retried:
5xx (a service or the gateway restarting), 409 with Retry-After (a request under the same
key still in progress, or a claim left by a killed gateway), 429, and a connection that failed or
timed out. Anything else is the answer."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

import httpx

from tests.e2e.helpers import Api

# 500 too: the gateway keeps no 5xx answer under a key, so a retry under it is what it invites
# (the suite reports how many 500s it was answered: each is a failure a 503 should have named).
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
# Far longer than the gateway's idempotency lease (20 s): a claim a killed gateway left is taken
# over, and a step may wait out a broker outage.
GIVE_UP_SECONDS = 180.0
REPEAT_REFUSED = "repeat refused"


class Unanswered(Exception):
    """No answer worth keeping within GIVE_UP_SECONDS: the client gives up on the step."""


class Client:
    """One clerk's view of the API (its own rate-limit bucket), with retries counted."""

    def __init__(self, gateway_url: str, subject: str) -> None:
        roles = ("admin", "sales", "order-desk", "warehouse", "purchasing", "finance")
        self.api = Api(gateway_url, subject, *roles)
        self.retries: Counter[str] = Counter()

    async def aclose(self) -> None:
        await self.api.aclose()

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        deadline = asyncio.get_running_loop().time() + GIVE_UP_SECONDS
        pause = 0.2
        while True:
            why = ""
            try:
                response = await self.api.client.request(method, path, **kwargs)
                if response.status_code in RETRIED_STATUSES or (
                    response.status_code == 409 and "retry-after" in response.headers
                ):
                    why = str(response.status_code)
                else:
                    return response
            except httpx.TransportError as error:  # refused, reset, timed out
                why = type(error).__name__
            self.retries[why] += 1
            if asyncio.get_running_loop().time() > deadline:
                raise Unanswered(f"{method} {path}: still {why} after {GIVE_UP_SECONDS:.0f}s")
            await asyncio.sleep(pause)
            pause = min(pause * 2, 3.0)

    async def get(self, path: str, **params: str) -> httpx.Response:
        return await self._send("GET", path, params=params)

    async def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        """Under an Idempotency-Key of its own, kept by every retry of it."""
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        return await self._send("POST", path, json=body, headers=headers)

    async def created(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """The body of the 201 (or 200) the POST must answer; Unanswered otherwise."""
        response = await self.post(path, body)
        if response.status_code not in (200, 201):
            raise Unanswered(f"POST {path}: {response.status_code} {response.text[:300]}")
        found: dict[str, Any] = response.json()
        return found

    async def moved(
        self, path: str, body: dict[str, Any], resource: str, status: str
    ) -> dict[str, Any]:
        """POSTs a state change (send, accept) and returns the resource. Refused (4xx) on a retry
        while the resource already is in `status`, the first try took effect and only its answer
        was lost: a retry the service did not recognise, counted as "repeat refused"."""
        before = sum(self.retries.values())
        response = await self.post(path, body)
        if response.status_code == 200:
            moved: dict[str, Any] = response.json()
            return moved
        if sum(self.retries.values()) > before and 400 <= response.status_code < 500:
            current = await self.found(resource)
            if current is not None and current["status"] == status:
                self.retries[REPEAT_REFUSED] += 1
                return current
        raise Unanswered(f"POST {path}: {response.status_code} {response.text[:300]}")

    async def found(self, path: str, **params: str) -> dict[str, Any] | None:
        """The resource, or None while it does not exist (yet)."""
        response = await self.get(path, **params)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise Unanswered(f"GET {path}: {response.status_code} {response.text[:300]}")
        body: dict[str, Any] = response.json()
        return body
