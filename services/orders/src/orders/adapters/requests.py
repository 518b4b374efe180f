"""Client request ids in PostgreSQL (servicekit.idempotency), claimed by the fingerprint the
entrypoint took of the request, so the use cases never see a wire message."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.idempotency import ProcessedRequests


class SqlProcessedRequests:
    def __init__(self, session: AsyncSession, requests: ProcessedRequests) -> None:
        self.session = session
        self.requests = requests

    async def claim(self, operation: str, request_id: str, fingerprint: str) -> str | None:
        return await self.requests.claim(self.session, operation, request_id, fingerprint)

    async def complete(self, operation: str, request_id: str, result_id: str) -> None:
        await self.requests.complete(self.session, operation, request_id, result_id)
