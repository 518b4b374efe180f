"""Returns on PostgreSQL: our copy of each authorised return (returns, return_lines)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from inventory.adapters.tables import return_lines, returns
from inventory.domain.events import ShippedLine
from inventory.domain.returns import Return
from servicekit.db import Transaction


class SqlReturnRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, authorized: Return) -> bool:
        a = authorized
        added = await self.session.execute(
            insert(returns)
            .values(
                return_id=a.return_id,
                order_id=a.order_id,
                reason=a.reason,
                status=a.status,
                authorized_at=a.authorized_at,
            )
            .on_conflict_do_nothing()
            .returning(returns.c.return_id)
        )
        if added.first() is None:
            return False
        if a.lines:
            await self.session.execute(
                return_lines.insert(),
                [
                    {
                        "return_id": a.return_id,
                        "position": i,
                        "line_id": x.line_id,
                        "product_id": x.product_id,
                        "quantity": x.quantity,
                    }
                    for i, x in enumerate(a.lines)
                ],
            )
        return True

    async def get(self, return_id: str, *, for_update: bool = False) -> Return | None:
        query = select(returns).where(returns.c.return_id == return_id)
        head = (
            await self.session.execute(query.with_for_update() if for_update else query)
        ).first()
        if head is None:
            return None
        rows = await self.session.execute(
            select(return_lines)
            .where(return_lines.c.return_id == return_id)
            .order_by(return_lines.c.position)
        )
        return Return(
            head.return_id,
            head.order_id,
            head.status,
            [ShippedLine(r.line_id, r.product_id, r.quantity) for r in rows],
            head.reason,
            head.authorized_at,
            head.warehouse_id or "",
            head.received_at,
            head.received_by or "",
        )

    async def save(self, received: Return) -> None:
        await self.session.execute(
            returns.update()
            .where(returns.c.return_id == received.return_id)
            .values(
                status=received.status,
                warehouse_id=received.warehouse_id or None,
                received_at=received.received_at,
                received_by=received.received_by or None,
            )
        )
