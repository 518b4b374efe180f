"""An order's actual costs and its returns in PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from orders.adapters.tables import order_costs, order_returns
from orders.domain.model import ReturnRequest
from servicekit.context import current_principal


class CostsAndReturns:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_cost(
        self, order_id: str, kind: str, amount: Decimal, description: str, source: str | None
    ) -> str | None:
        """Records a cost and returns its id; None when `source` (a shipment) was recorded
        already."""
        added = await self.session.execute(
            insert(order_costs)
            .values(
                id=str(uuid.uuid4()),
                order_id=order_id,
                kind=kind,
                amount=amount,
                description=description,
                source=source,
                at=datetime.now(UTC),
                actor=current_principal().subject,
            )
            .on_conflict_do_nothing()
            .returning(order_costs.c.id)
        )
        row = added.first()
        return None if row is None else str(row.id)

    async def costs(self, order_ids: Sequence[str]) -> dict[str, list[tuple[str, Decimal, str]]]:
        rows = await self.session.execute(
            select(order_costs)
            .where(order_costs.c.order_id.in_(list(order_ids)))
            .order_by(order_costs.c.at)
        )
        found: dict[str, list[tuple[str, Decimal, str]]] = {}
        for r in rows:
            found.setdefault(r.order_id, []).append((r.kind, r.amount, r.description))
        return found

    async def add_return(self, order_id: str, request: ReturnRequest) -> None:
        await self.session.execute(
            order_returns.insert().values(
                id=request.id,
                order_id=order_id,
                status="authorized",
                lines=request.lines,
                reason=request.reason,
                created_at=datetime.now(UTC),
                created_by=current_principal().subject,
            )
        )

    async def returned_or_authorised(self, order_id: str) -> dict[str, int]:
        """Per line, the units already under a return authorisation."""
        rows = await self.session.execute(
            select(order_returns.c.lines).where(order_returns.c.order_id == order_id)
        )
        found: dict[str, int] = {}
        for (lines,) in rows:
            for line_id, quantity in lines.items():
                found[line_id] = found.get(line_id, 0) + int(quantity)
        return found

    async def mark_return_received(self, return_id: str) -> bool:
        """False when the return was already marked received (a redelivered event)."""
        marked = await self.session.execute(
            order_returns.update()
            .where(order_returns.c.id == return_id, order_returns.c.status == "authorized")
            .values(status="received")
            .returning(order_returns.c.id)
        )
        return marked.first() is not None
