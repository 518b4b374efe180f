"""Quote use cases: each write is one transaction with its event."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from messaging.outbox import Outbox
from oms.events.v1 import quoting_pb2 as events
from pricing.money import Money
from pricing.wire import money_to_proto
from quoting.adapters.tables import quote_lines, quotes
from quoting.domain.model import Quote, QuoteLine, QuoteRequest, draft
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import NotFound


class Quotes:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def create(self, request: QuoteRequest) -> Quote:
        quote = draft(request, datetime.now(UTC), current_principal().subject)
        async with self.database.transaction() as session:
            await session.execute(
                quotes.insert().values(
                    id=quote.id,
                    customer_id=quote.customer_id,
                    salesperson=quote.salesperson,
                    currency=quote.currency,
                    total=quote.total.amount,
                    status=quote.status,
                    created_at=quote.created_at,
                    created_by=quote.created_by,
                )
            )
            await session.execute(
                quote_lines.insert(),
                [
                    {
                        "quote_id": quote.id,
                        "position": i,
                        "description": line.description,
                        "quantity": line.quantity,
                        "unit_price": line.unit_price.amount,
                        "line_total": line.total.amount,
                    }
                    for i, line in enumerate(quote.lines)
                ],
            )
            created = events.QuoteCreated(
                quote_id=quote.id,
                customer_id=quote.customer_id,
                salesperson=quote.salesperson,
                total=money_to_proto(quote.total),
            )
            await self.outbox.add(session, created, key=quote.id)
        return quote

    async def get(self, quote_id: str) -> Quote:
        async with self.database.transaction() as session:
            head = (await session.execute(select(quotes).where(quotes.c.id == quote_id))).first()
            if head is None:
                raise NotFound(f"quote {quote_id} not found")
            rows = await session.execute(
                select(quote_lines)
                .where(quote_lines.c.quote_id == quote_id)
                .order_by(quote_lines.c.position)
            )
            lines = [
                QuoteLine(r.description, r.quantity, Money(r.unit_price, head.currency).trimmed())
                for r in rows
            ]
        return Quote(
            head.id,
            head.customer_id,
            head.salesperson,
            head.currency,
            lines,
            head.status,
            head.created_at,
            head.created_by,
        )
