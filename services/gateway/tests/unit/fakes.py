"""In-memory stores for the gateway's unit tests; they pass the same contract tests as the
PostgreSQL ones (tests/store_contracts.py), so they cannot drift from them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from gateway.edge.api_keys import ApiKey
from gateway.edge.idempotency import LEASE, Record, StoredResponse
from gateway.edge.stores import Stores
from oms.audit.v1 import audit_pb2
from servicekit.paging import newest_after, newest_page, page_limit, page_token


class MemoryApiKeys:
    def __init__(self) -> None:
        self.keys: dict[str, ApiKey] = {}
        self.audited: list[tuple[str, str]] = []

    async def add(self, key: ApiKey) -> None:
        self.keys[key.id] = key
        self.audited.append((key.id, "issued"))

    async def get(self, key_id: str) -> ApiKey | None:
        return self.keys.get(key_id)

    async def page(self, limit: int, token: str) -> tuple[list[ApiKey], str]:
        newest = sorted(self.keys.values(), key=lambda k: (k.created_at, k.id), reverse=True)
        after = newest_after(token)
        if after is not None:
            newest = [k for k in newest if (k.created_at, k.id) < after]
        return newest_page(newest[: limit + 1], limit)

    async def revoke(self, key_id: str, by: str, at: datetime) -> ApiKey | None:
        key = self.keys.get(key_id)
        if key is None or key.revoked_at is not None:
            return key
        self.keys[key_id] = replace(key, revoked_at=at, revoked_by=by)
        self.audited.append((key_id, "revoked"))
        return self.keys[key_id]


@dataclass
class _Row:
    fingerprint: str
    claimed_at: datetime
    expires_at: datetime
    response: StoredResponse | None = None


class MemoryIdempotency:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], _Row] = {}

    async def claim(
        self, caller: str, key: str, fingerprint: str, now: datetime, expires_at: datetime
    ) -> Record | None:
        row = self.rows.get((caller, key))
        abandoned = (
            row is not None
            and row.response is None
            and row.claimed_at < now - LEASE
            and row.fingerprint == fingerprint
        )
        if row is None or row.expires_at <= now or abandoned:
            self.rows[(caller, key)] = _Row(fingerprint, now, expires_at)
            return None
        return Record(row.fingerprint, row.response)

    async def renew(self, caller: str, key: str, now: datetime) -> None:
        row = self.rows.get((caller, key))
        if row is not None and row.response is None:
            row.claimed_at = now

    async def finish(self, caller: str, key: str, response: StoredResponse) -> None:
        self.rows[(caller, key)].response = response

    async def release(self, caller: str, key: str) -> None:
        row = self.rows.get((caller, key))
        if row is not None and row.response is None:
            del self.rows[(caller, key)]

    async def prune(self, now: datetime) -> int:
        expired = [k for k, row in self.rows.items() if row.expires_at <= now]
        for k in expired:
            del self.rows[k]
        return len(expired)


def audit_page(
    entries: list[audit_pb2.AuditEntry], request: audit_pb2.ListAuditEntriesRequest
) -> audit_pb2.ListAuditEntriesResponse:
    """A page of `entries` as servicekit.audit answers it: newest first, then by id."""
    limit = page_limit(request.page_size)
    after = newest_after(request.page_token)
    found = sorted(
        (
            e
            for e in entries
            if e.entity_type == request.entity_type and request.entity_id in ("", e.entity_id)
        ),
        key=lambda e: (e.at.ToDatetime(tzinfo=UTC), e.id),
        reverse=True,
    )
    if after is not None:
        found = [e for e in found if (e.at.ToDatetime(tzinfo=UTC), e.id) < after]
    next_token = ""
    if len(found) > limit:
        found = found[:limit]
        next_token = page_token(found[-1].at.ToDatetime(tzinfo=UTC).isoformat(), found[-1].id)
    return audit_pb2.ListAuditEntriesResponse(entries=found, next_page_token=next_token)


@dataclass
class MemoryAudit:
    entries: list[audit_pb2.AuditEntry] = field(default_factory=list)

    async def list_entries(
        self, request: audit_pb2.ListAuditEntriesRequest
    ) -> audit_pb2.ListAuditEntriesResponse:
        return audit_page(self.entries, request)


def memory_stores() -> Stores:
    return Stores(MemoryApiKeys(), MemoryIdempotency(), MemoryAudit())
