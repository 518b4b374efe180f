"""Return authorisations of orders in PostgreSQL: authorised, then received once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from orders.adapters.tables import order_returns
from orders.domain.lines import ReturnRequest
from servicekit.context import current_principal
from servicekit.db import Transaction

AUTHORIZED, RECEIVED = "authorized", "received"


class SqlReturns:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, order_id: str, request: ReturnRequest) -> None:
        await self.session.execute(
            order_returns.insert().values(
                id=request.id,
                order_id=order_id,
                status=AUTHORIZED,
                lines=request.lines,
                reason=request.reason,
                created_at=datetime.now(UTC),
                created_by=current_principal().subject,
            )
        )

    async def returned_or_authorised(self, order_id: str) -> dict[str, int]:
        rows = await self.session.execute(
            select(order_returns.c.lines).where(order_returns.c.order_id == order_id)
        )
        found: dict[str, int] = {}
        for (lines,) in rows:
            for line_id, quantity in lines.items():
                found[line_id] = found.get(line_id, 0) + int(quantity)
        return found

    async def mark_received(self, return_id: str) -> bool:
        marked = await self.session.execute(
            order_returns.update()
            .where(order_returns.c.id == return_id, order_returns.c.status == AUTHORIZED)
            .values(status=RECEIVED)
            .returning(order_returns.c.id)
        )
        return marked.first() is not None
