"""An order's actual costs in PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from orders.adapters.tables import order_costs
from orders.domain.costs import CostItem
from orders.domain.events import CostIncurred
from servicekit.context import current_principal
from servicekit.db import Transaction

# Built once: every shipment records its cost (a cost already recorded is left alone).
_ADD = insert(order_costs).on_conflict_do_nothing().returning(order_costs.c.id)


class SqlOrderCosts:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, cost: CostIncurred) -> str | None:
        added = await self.session.execute(
            _ADD,
            {
                "id": str(uuid.uuid4()),
                "order_id": cost.order_id,
                "kind": cost.kind,
                "amount": cost.amount,
                "description": cost.description,
                "source": cost.source,
                "at": datetime.now(UTC),
                "actor": current_principal().subject,
            },
        )
        row = added.first()
        return None if row is None else str(row.id)

    async def of(self, order_ids: Sequence[str]) -> dict[str, list[CostItem]]:
        rows = await self.session.execute(
            select(order_costs)
            .where(order_costs.c.order_id.in_(list(order_ids)))
            .order_by(order_costs.c.at)
        )
        found: dict[str, list[CostItem]] = {}
        for r in rows:
            found.setdefault(r.order_id, []).append(CostItem(r.kind, r.amount, r.description))
        return found
