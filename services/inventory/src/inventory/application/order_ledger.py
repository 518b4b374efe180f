"""The reservation ledger of one order, as the warehouse reads it: per line and warehouse what is
held, shipped and let go, what waits for stock, and whether the order may ship."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from inventory.adapters.repository import InventoryStore
from servicekit.db import Database
from servicekit.errors import InvalidArgument, NotFound
from servicekit.paging import page_after, page_limit, page_token


@dataclass(frozen=True)
class LineAllocation:
    warehouse_id: str
    reserved: int
    consumed: int
    released: int


@dataclass(frozen=True)
class LedgerLine:
    line_id: str
    product_id: str
    quantity: int
    backordered: int
    allocations: list[LineAllocation] = field(default_factory=list)


@dataclass(frozen=True)
class Ledger:
    order_id: str
    status: str
    placed_at: datetime
    lines: list[LedgerLine]
    approved: bool = False
    on_hold: bool = False
    hold_reason: str = ""
    # Empty on the last page of lines.
    next_page_token: str = ""


def _position_after(token: str) -> int:
    key = page_after(token, 1)
    if not key:
        return -1
    try:
        return int(key[0])
    except ValueError as error:
        raise InvalidArgument.of("page_token", "not a token this API issued") from error


class OrderLedger:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def of(self, order_id: str, page_size: int = 0, token: str = "") -> Ledger:
        """The order's ledger, a page of lines at a time. NotFound for an unknown order."""
        limit = page_limit(page_size)
        after = _position_after(token)
        async with self.database.transaction() as session:
            store = InventoryStore(session)
            order = await store.order(order_id)
            if order is None:
                raise NotFound(f"no reservations for order {order_id}")
            rank = {w: i for i, w in enumerate(await store.warehouse_priority())}
            rows = await store.ledger(order_id)
            lines = await store.lines(order_id, after_position=after, limit=limit + 1)
        next_token = page_token(str(lines[limit - 1].position)) if len(lines) > limit else ""
        return Ledger(
            order_id,
            order.status,
            order.placed_at,
            [
                LedgerLine(
                    line.line_id,
                    line.product_id,
                    int(line.quantity),
                    int(line.backordered),
                    [
                        LineAllocation(
                            r.warehouse_id, int(r.reserved), int(r.consumed), int(r.released)
                        )
                        for r in sorted(
                            (r for r in rows if r.line_id == line.line_id),
                            key=lambda r: (rank.get(r.warehouse_id, len(rank)), r.warehouse_id),
                        )
                    ],
                )
                for line in lines[:limit]
            ],
            approved=order.approved_at is not None,
            on_hold=order.on_hold,
            hold_reason=order.hold_reason,
            next_page_token=next_token,
        )
