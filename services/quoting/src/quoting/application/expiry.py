"""Quotes expire by themselves once their validity date passes: the service's own job, logged
in the change log under the actor `system:expiry`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy.exc import SQLAlchemyError

from messaging.outbox import Outbox
from oms.events.v1 import quoting_pb2 as events
from quoting.adapters.repository import QuoteRepository
from quoting.application.quotes import audited, record_change, today_utc
from servicekit.audit import AuditLog
from servicekit.context import Principal, acting
from servicekit.db import Database

log = logging.getLogger(__name__)
EXPIRY_BATCH = 100
EXPIRY = Principal("system:expiry", ("system",))


class Expiry:
    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        audit: AuditLog,
        today: Callable[[], date] = today_utc,
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.audit = audit
        self.today = today

    async def expire_due(self) -> int:
        """Expires open quotes past their validity date; how many it expired."""
        today, expired = self.today(), 0
        async with self.database.transaction() as session:
            repository = QuoteRepository(session)
            for quote_id in await repository.open_past_validity(today, EXPIRY_BATCH):
                quote = await repository.get(quote_id)
                if quote is None:
                    continue
                before = audited(quote)
                if not quote.expire(today):
                    continue
                quote.updated_at = datetime.now(UTC)
                await repository.save(quote, EXPIRY.subject)
                event = events.QuoteExpired(
                    quote_id=quote.id, version=quote.version, valid_until=quote.content.valid_until
                )
                await self.outbox.add(session, event, key=quote.id)
                await record_change(self.audit, session, quote, "expired", before)
                expired += 1
        return expired

    async def expire_forever(self, interval_seconds: float) -> None:
        """The expiry loop, until the service stops."""
        while True:
            try:
                with acting(EXPIRY):
                    if expired := await self.expire_due():
                        log.info("expired %d quotes", expired)
            except SQLAlchemyError:
                log.exception("expiring quotes failed; retrying")
            await asyncio.sleep(interval_seconds)
