"""The gateway's stores on its PostgreSQL database, and how they are opened at start."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol, cast

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.config import Settings
from gateway.edge.api_keys import ApiKey, ApiKeyStore
from gateway.edge.database import ALEMBIC_INI, api_keys, audit_log, idempotency_records
from gateway.edge.idempotency import LEASE, IdempotencyStore, Record, StoredResponse
from oms.audit.v1 import audit_pb2
from servicehost.periodic import every
from servicekit.audit import AuditLog, AuditServicer
from servicekit.db import Database, migrate
from servicekit.paging import newest_after, newest_page
from servicekit.request_checks import check_request

# How often expired idempotency records are deleted.
PRUNE_SECONDS = 600.0


class AuditSource(Protocol):
    async def list_entries(
        self, request: audit_pb2.ListAuditEntriesRequest
    ) -> audit_pb2.ListAuditEntriesResponse: ...


@dataclass(frozen=True)
class Stores:
    api_keys: ApiKeyStore
    idempotency: IdempotencyStore
    # The changes made at the gateway itself (API keys issued and revoked).
    audit: AuditSource
    # Its pool, watched by gateway.edge.metrics; None for stores without a database (fakes).
    engine: AsyncEngine | None = None


class SqlApiKeys:
    def __init__(self, database: Database, audit: AuditLog) -> None:
        self.database = database
        self.audit = audit

    async def add(self, key: ApiKey) -> None:
        async with self.database.transaction() as session:
            await session.execute(api_keys.insert().values(**_row(key)))
            after = {"name": key.name, "roles": list(key.roles)}
            await self.audit.record(session, "api_key", key.id, "issued", after=after)

    async def get(self, key_id: str) -> ApiKey | None:
        if not _storable(key_id):
            return None
        async with self.database.transaction() as session:
            row = (await session.execute(select(api_keys).where(api_keys.c.id == key_id))).first()
        return None if row is None else _key(row)

    async def page(self, limit: int, token: str) -> tuple[list[ApiKey], str]:
        c = api_keys.c
        query = select(api_keys).order_by(c.created_at.desc(), c.id.desc()).limit(limit + 1)
        after = newest_after(token)
        if after is not None:
            at, last = after
            query = query.where(or_(c.created_at < at, and_(c.created_at == at, c.id < last)))
        async with self.database.transaction() as session:
            rows = (await session.execute(query)).all()
        return newest_page([_key(row) for row in rows], limit)

    async def revoke(self, key_id: str, by: str, at: datetime) -> ApiKey | None:
        if not _storable(key_id):
            return None
        c = api_keys.c
        async with self.database.transaction() as session:
            row = (
                await session.execute(select(api_keys).where(c.id == key_id).with_for_update())
            ).first()
            if row is None or row.revoked_at is not None:
                return None if row is None else _key(row)
            await session.execute(
                api_keys.update().where(c.id == key_id).values(revoked_at=at, revoked_by=by)
            )
            after = {"revoked_at": at}
            await self.audit.record(
                session, "api_key", key_id, "revoked", before={"revoked_at": None}, after=after
            )
        return replace(_key(row), revoked_at=at, revoked_by=by)


def _storable(key_id: str) -> bool:
    """PostgreSQL's text cannot hold U+0000: no key's id has it, and looking one up would fail
    as an internal error."""
    return "\x00" not in key_id


def _row(key: ApiKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "name": key.name,
        "roles": list(key.roles),
        "secret_hash": key.secret_hash,
        "created_at": key.created_at,
        "created_by": key.created_by,
        "revoked_at": key.revoked_at,
        "revoked_by": key.revoked_by,
    }


def _key(row: Any) -> ApiKey:
    return ApiKey(
        row.id,
        row.name,
        tuple(row.roles),
        row.secret_hash,
        row.created_at,
        row.created_by,
        row.revoked_at,
        row.revoked_by,
    )


class SqlIdempotency:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def claim(
        self, caller: str, key: str, fingerprint: str, now: datetime, expires_at: datetime
    ) -> Record | None:
        t = idempotency_records
        fresh = {"fingerprint": fingerprint, "claimed_at": now, "expires_at": expires_at}
        new = insert(t).values(caller=caller, key=key, **fresh)
        abandoned = and_(
            t.c.status.is_(None),
            t.c.claimed_at < now - LEASE,
            t.c.fingerprint == new.excluded.fingerprint,
        )
        statement = new.on_conflict_do_update(
            index_elements=[t.c.caller, t.c.key],
            set_={**fresh, "status": None, "headers": None, "body": None},
            where=or_(t.c.expires_at <= now, abandoned),
        ).returning(t.c.caller)
        async with self.database.transaction() as session:
            if (await session.execute(statement)).first() is not None:
                return None
            row = (
                await session.execute(select(t).where(t.c.caller == caller, t.c.key == key))
            ).first()
        if row is None:  # released since: the next claim may take it
            return Record(fingerprint, None)
        if row.status is None:
            return Record(row.fingerprint, None)
        headers = [(str(k), str(v)) for k, v in row.headers]
        return Record(row.fingerprint, StoredResponse(row.status, headers, row.body))

    async def renew(self, caller: str, key: str, now: datetime) -> None:
        t = idempotency_records
        async with self.database.transaction() as session:
            await session.execute(
                t.update()
                .where(t.c.caller == caller, t.c.key == key, t.c.status.is_(None))
                .values(claimed_at=now)
            )

    async def finish(self, caller: str, key: str, response: StoredResponse) -> None:
        t = idempotency_records
        async with self.database.transaction() as session:
            await session.execute(
                t.update()
                .where(t.c.caller == caller, t.c.key == key)
                .values(
                    status=response.status,
                    headers=[list(h) for h in response.headers],
                    body=response.body,
                )
            )

    async def release(self, caller: str, key: str) -> None:
        t = idempotency_records
        async with self.database.transaction() as session:
            await session.execute(
                delete(t).where(t.c.caller == caller, t.c.key == key, t.c.status.is_(None))
            )

    async def prune(self, now: datetime) -> int:
        t = idempotency_records
        async with self.database.transaction() as session:
            result = await session.execute(delete(t).where(t.c.expires_at <= now))
        return int(cast(Any, result).rowcount)


class SqlAudit:
    """The gateway's own change log, read as every service's AuditService reads its own."""

    def __init__(self, database: Database, audit: AuditLog) -> None:
        self.servicer = AuditServicer("gateway", database, audit)

    async def list_entries(
        self, request: audit_pb2.ListAuditEntriesRequest
    ) -> audit_pb2.ListAuditEntriesResponse:
        check_request(request)  # what the gRPC server checks for the services' own logs
        return await self.servicer.ListAuditEntries(request, cast(Any, None))


@contextlib.asynccontextmanager
async def open_stores(settings: Settings) -> AsyncIterator[Stores]:
    """The database migrated to head and its stores, until the block ends."""
    await migrate(ALEMBIC_INI, settings.database_url)
    database = Database(settings.database_url, pool_size=5)
    audit = AuditLog(audit_log)
    try:
        yield Stores(
            SqlApiKeys(database, audit),
            SqlIdempotency(database),
            SqlAudit(database, audit),
            database.engine,
        )
    finally:
        await database.dispose()


def pruning(store: IdempotencyStore) -> Callable[[], Coroutine[Any, Any, None]]:
    """The loop that deletes expired idempotency records now and then (every replica runs it;
    that is harmless)."""

    async def prune() -> int:
        return await store.prune(datetime.now(UTC))

    return every(PRUNE_SECONDS, prune, "prune-idempotency-records")
