"""Client request ids in PostgreSQL (servicekit.idempotency's table and rules), bound to the
unit of work's session. The use cases see no wire types, so the entrypoint fingerprints the
request (servicekit.idempotency.fingerprint) and this claims by that fingerprint."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.idempotency import ProcessedRequests


class SqlProcessedRequests:
    def __init__(self, session: AsyncSession, table: Table) -> None:
        self.session = session
        self.requests = ProcessedRequests(table)

    async def claim(self, operation: str, request_id: str, fingerprint: str) -> str | None:
        return await self.requests.claim(self.session, operation, request_id, fingerprint)

    async def complete(self, operation: str, request_id: str, result_id: str) -> None:
        await self.requests.complete(self.session, operation, request_id, result_id)
