"""API keys for machines: issued, listed and revoked by an admin, each with a name and roles.

A key reads `oms_<id>_<secret>`: its id (a UUID's hex) finds the record, and only the SHA-256 of
the whole key is stored, compared in constant time. The secret is 256 random bits, so a plain
hash is enough: no one can guess keys to match it. A machine sends the key as `X-API-Key: <key>`
(or `Authorization: ApiKey <key>`) and acts as `api-key:<name>` with the key's roles. Verified
keys are remembered for `cache_seconds` at most, the longest a revocation takes to reach every
replica (the replica that revokes forgets the key at once).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from servicekit.context import Principal, current_principal

PREFIX = "oms_"
SUBJECT_PREFIX = "api-key:"


class InvalidApiKey(Exception):
    """Not a key this gateway issued, or one since revoked."""


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    roles: tuple[str, ...]
    secret_hash: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    @property
    def principal(self) -> Principal:
        """Who a request with this key acts as: named for the machine, so a key replaced by a
        new one of the same name keeps the same identity (and idempotency records)."""
        return Principal(SUBJECT_PREFIX + self.name, self.roles)


def digest(presented: str) -> str:
    return hashlib.sha256(presented.encode()).hexdigest()


def new_key(name: str, roles: Sequence[str], by: str, now: datetime) -> tuple[ApiKey, str]:
    """A new key record and the key itself, which is shown once and never stored."""
    key_id = uuid.uuid4()
    presented = f"{PREFIX}{key_id.hex}_{secrets.token_urlsafe(32)}"
    return ApiKey(str(key_id), name, tuple(roles), digest(presented), now, by), presented


def key_id_of(presented: str) -> str | None:
    """The id a presented key names, or None when it is not shaped like one of ours."""
    hex_id, separator, secret = presented.removeprefix(PREFIX).partition("_")
    if not presented.startswith(PREFIX) or not separator or len(hex_id) != 32 or not secret:
        return None
    try:
        return str(uuid.UUID(hex=hex_id))
    except ValueError:
        return None


class ApiKeyStore(Protocol):
    async def add(self, key: ApiKey) -> None:
        """Stores a new key (and records its issue in the gateway's audit log)."""

    async def get(self, key_id: str) -> ApiKey | None: ...

    async def page(self, limit: int, token: str) -> tuple[list[ApiKey], str]:
        """Newest first, `limit` at a time; the next page's token, empty on the last."""

    async def revoke(self, key_id: str, by: str, at: datetime) -> ApiKey | None:
        """The key, revoked now unless it was before (audited); None when there is none."""


class ApiKeys:
    """Issues, lists, revokes and verifies keys over a store."""

    def __init__(
        self,
        store: ApiKeyStore,
        cache_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.cache_seconds = cache_seconds
        self.clock = clock
        self._verified: dict[str, tuple[ApiKey, float]] = {}

    async def issue(self, name: str, roles: Sequence[str]) -> tuple[ApiKey, str]:
        key, presented = new_key(name, roles, current_principal().subject, datetime.now(UTC))
        await self.store.add(key)
        return key, presented

    async def page(self, limit: int, token: str) -> tuple[list[ApiKey], str]:
        return await self.store.page(limit, token)

    async def get(self, key_id: str) -> ApiKey | None:
        return await self.store.get(key_id)

    async def revoke(self, key_id: str) -> ApiKey | None:
        revoked = await self.store.revoke(key_id, current_principal().subject, datetime.now(UTC))
        self._verified = {h: v for h, v in self._verified.items() if v[0].id != key_id}
        return revoked

    async def verify(self, presented: str) -> Principal:
        """Who the key's holder acts as; InvalidApiKey for an unknown or revoked key."""
        hashed = digest(presented)
        remembered = self._verified.get(hashed)
        if remembered is not None and remembered[1] > self.clock():
            return remembered[0].principal
        key_id = key_id_of(presented)
        key = await self.store.get(key_id) if key_id else None
        if key is None or not hmac.compare_digest(hashed, key.secret_hash):
            raise InvalidApiKey("not a valid API key")
        if key.revoked_at is not None:
            raise InvalidApiKey("this API key was revoked")
        if len(self._verified) >= 4096:
            self._verified.clear()
        self._verified[hashed] = (key, self.clock() + self.cache_seconds)
        return key.principal
