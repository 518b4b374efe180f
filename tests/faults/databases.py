"""Read-only SQL on each service's own database, for the facts the REST API does not expose
(ledgers, outboxes, allocations). One short connection per query: PostgreSQL may have been
restarted under us, and the check must not lean on a pool that outlived it."""

from __future__ import annotations

from typing import Any

import asyncpg

from devstack.postgres import PostgresCluster
from devstack.topology import BUSINESS_SERVICES, CONNECTORS, database_name


class Databases:
    def __init__(self, cluster: PostgresCluster) -> None:
        self.cluster = cluster

    async def rows(self, service: str, sql: str, *args: Any) -> list[asyncpg.Record]:
        url = self.cluster.url(database_name(service), driver="postgresql")
        connection = await asyncpg.connect(url, timeout=10)
        try:
            found: list[asyncpg.Record] = await connection.fetch(sql, *args)
            return found
        finally:
            await connection.close()

    async def value(self, service: str, sql: str, *args: Any) -> Any:
        found = await self.rows(service, sql, *args)
        return found[0][0] if found else None

    async def unpublished(self) -> dict[str, int]:
        """Outbox rows not yet published, per service that has an outbox."""
        counts: dict[str, int] = {}
        for service in (*BUSINESS_SERVICES, *CONNECTORS):
            has_outbox = await self.value(service, "SELECT to_regclass('outbox') IS NOT NULL")
            if has_outbox:
                counts[service] = int(
                    await self.value(
                        service, "SELECT count(*) FROM outbox WHERE published_at IS NULL"
                    )
                )
        return counts
