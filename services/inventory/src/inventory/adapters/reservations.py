"""Reservations on PostgreSQL: an order (reservation_orders), its lines (reservation_lines) and
its ledger per line and warehouse (reservations). The backorder queue is the lines' index.

One object per order in a unit of work; it is saved as the rows that changed since it was read.
Whoever changes an order holds its row lock (`get(for_update=True)` or `lock`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select

from inventory.adapters.tables import reservation_lines, reservation_orders, reservations
from inventory.domain.allocation import Waiting
from inventory.domain.reservation import Held, Reservation, ReservationLine, Status
from servicekit.context import current_principal
from servicekit.db import (
    Columns,
    DriverStatement,
    Transaction,
    driver,
    rows_of,
    select_every_column,
)


@dataclass(frozen=True)
class _Rows:
    """A reservation's rows as last read or written."""

    head: tuple[Any, ...]
    lines: dict[str, tuple[int, int]]
    held: dict[tuple[str, str], tuple[int, int, int]]

    @classmethod
    def of(cls, r: Reservation) -> _Rows:
        return cls(
            (r.status, r.approved_at, r.on_hold, r.hold_reason, r.closed_at),
            {x.line_id: (x.quantity, x.backordered) for x in r.lines},
            {(h.line_id, h.warehouse_id): (h.reserved, h.consumed, h.released) for h in r.ledger},
        )


def _reservation(head: Columns, lines: Iterable[Columns], ledger: Iterable[Columns]) -> Reservation:
    return Reservation(
        head["order_id"],
        Status(head["status"]),
        head["placed_at"],
        [
            ReservationLine(
                x["line_id"], x["product_id"], x["sku"], x["position"], x["quantity"],
                x["backordered"],
            )
            for x in lines
        ],
        [
            Held(
                h["line_id"], h["product_id"], h["warehouse_id"], h["reserved"], h["consumed"],
                h["released"],
            )
            for h in ledger
        ],
        head["approved_at"],
        head["on_hold"],
        head["hold_reason"],
        head["closed_at"],
        head["channel"],
    )  # fmt: skip


# A reservation's head, lines and ledger are read for every placement, approval and shipment:
# sent on the driver (servicekit.db.driver), without SQLAlchemy's work per execution.
_HEAD = select_every_column(
    reservation_orders,
    "WHERE order_id = $1",
    also=(rows_of(reservation_lines, "order_id = $1 ORDER BY position", "lines"),),
)
_HEAD_LOCKED = _HEAD + " FOR UPDATE"
_LEDGER = select_every_column(reservations, "WHERE order_id = $1 ORDER BY id")
_LEDGER_LOCKED = _LEDGER + " FOR UPDATE"

# Built once and sent on the driver: every reservation and shipment runs them. The UPDATEs set
# the columns their parameters name.
_ORDER = reservation_orders.c.order_id == bindparam("b_order")
_HEAD_INSERT = DriverStatement(reservation_orders.insert())
_HEAD_UPDATE = DriverStatement(reservation_orders.update().where(_ORDER))
_LINES_INSERT = DriverStatement(reservation_lines.insert())
_LINE_UPDATE = DriverStatement(
    reservation_lines.update().where(
        reservation_lines.c.order_id == bindparam("b_order"),
        reservation_lines.c.line_id == bindparam("b_line"),
    )
)
_LEDGER_INSERT = DriverStatement(reservations.insert())
_LEDGER_UPDATE = DriverStatement(
    reservations.update().where(
        reservations.c.order_id == bindparam("b_order"),
        reservations.c.line_id == bindparam("b_line"),
        reservations.c.warehouse_id == bindparam("b_warehouse"),
    )
)
_HELD_PRODUCTS = DriverStatement(
    select(reservations.c.product_id)
    .where(
        reservations.c.order_id == bindparam("b_order"),
        reservations.c.warehouse_id == bindparam("b_warehouse"),
    )
    .distinct()
)


class SqlReservationRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session
        self._seen: dict[str, Reservation] = {}
        self._rows: dict[str, _Rows] = {}

    async def get(self, order_id: str, *, for_update: bool = False) -> Reservation | None:
        if order_id in self._seen:
            return self._seen[order_id]
        connection = await driver(self.session)
        head = await connection.fetchrow(_HEAD_LOCKED if for_update else _HEAD, order_id)
        if head is None:
            return None
        held = await connection.fetch(_LEDGER_LOCKED if for_update else _LEDGER, order_id)
        found = _reservation(head, head["lines"], held)
        self._seen[order_id], self._rows[order_id] = found, _Rows.of(found)
        return found

    async def add(self, reservation: Reservation) -> None:
        r = reservation
        await _HEAD_INSERT.execute(
            self.session,
            {
                "order_id": r.order_id,
                "status": r.status.value,
                "placed_at": r.placed_at,
                "channel": r.channel,
                **_head(r),
            },
        )
        await self._write_lines_and_ledger(r, _Rows((), {}, {}))
        self._seen[r.order_id], self._rows[r.order_id] = r, _Rows.of(r)

    async def save(self, reservation: Reservation) -> None:
        r, was = reservation, self._rows[reservation.order_id]
        now = _Rows.of(r)
        if now.head != was.head:
            await _HEAD_UPDATE.execute(
                self.session, {"b_order": r.order_id, "status": r.status.value, **_head(r)}
            )
        await self._write_lines_and_ledger(r, was)
        self._rows[r.order_id] = now

    async def _write_lines_and_ledger(self, r: Reservation, was: _Rows) -> None:
        new_lines = [x for x in r.lines if x.line_id not in was.lines]
        if new_lines:
            await _LINES_INSERT.execute_many(
                self.session,
                [
                    {
                        "order_id": r.order_id,
                        "line_id": x.line_id,
                        "product_id": x.product_id,
                        "sku": x.sku[:64],
                        "position": x.position,
                        "quantity": x.quantity,
                        "backordered": x.backordered,
                        "placed_at": r.placed_at,
                    }
                    for x in new_lines
                ],
            )
        for x in r.lines:
            if was.lines.get(x.line_id, (x.quantity, x.backordered)) != (x.quantity, x.backordered):
                await _LINE_UPDATE.execute(
                    self.session,
                    {
                        "b_order": r.order_id,
                        "b_line": x.line_id,
                        "quantity": x.quantity,
                        "backordered": x.backordered,
                    },
                )
        await self._write_ledger(r, was)

    async def _write_ledger(self, r: Reservation, was: _Rows) -> None:
        new = [h for h in r.ledger if (h.line_id, h.warehouse_id) not in was.held]
        if new:
            by = current_principal().subject
            await _LEDGER_INSERT.execute_many(
                self.session,
                [
                    {
                        "order_id": r.order_id,
                        "line_id": h.line_id,
                        "product_id": h.product_id,
                        "warehouse_id": h.warehouse_id,
                        "reserved": h.reserved,
                        "consumed": h.consumed,
                        "released": h.released,
                        "created_by": by,
                    }
                    for h in new
                ],
            )
        for h in r.ledger:
            figures = (h.reserved, h.consumed, h.released)
            if was.held.get((h.line_id, h.warehouse_id), figures) != figures:
                await _LEDGER_UPDATE.execute(
                    self.session,
                    {
                        "b_order": r.order_id,
                        "b_line": h.line_id,
                        "b_warehouse": h.warehouse_id,
                        "reserved": h.reserved,
                        "consumed": h.consumed,
                        "released": h.released,
                    },
                )

    async def lock(self, order_ids: Iterable[str]) -> None:
        ids = sorted(set(order_ids))
        if ids:
            await self.session.execute(
                select(reservation_orders.c.order_id)
                .where(reservation_orders.c.order_id.in_(ids))
                .order_by(reservation_orders.c.order_id)
                .with_for_update()
            )

    async def line_products(self, order_id: str) -> list[str]:
        line = reservation_lines.c
        rows = await self.session.execute(
            select(line.product_id).where(line.order_id == order_id).distinct()
        )
        return sorted(row.product_id for row in rows)

    async def held_products(self, order_id: str, warehouse_id: str) -> list[str]:
        rows = await _HELD_PRODUCTS.fetch(
            self.session, {"b_order": order_id, "b_warehouse": warehouse_id}
        )
        return sorted(r["product_id"] for r in rows)

    async def queue(self, product_id: str) -> list[Waiting]:
        line = reservation_lines.c
        rows = await self.session.execute(
            select(line.order_id, line.line_id, line.product_id, line.backordered)
            .where(line.product_id == product_id, line.backordered > 0)
            .order_by(line.placed_at, line.order_id, line.position)
        )
        return [Waiting(r.order_id, r.line_id, r.product_id, r.backordered) for r in rows]

    async def backordered(self, product_ids: Iterable[str]) -> dict[str, int]:
        line = reservation_lines.c
        rows = await self.session.execute(
            select(line.product_id, func.sum(line.backordered).label("units"))
            .where(line.product_id.in_(set(product_ids)), line.backordered > 0)
            .group_by(line.product_id)
        )
        return {r.product_id: int(r.units) for r in rows}

    async def open_placed_before(self, moment: datetime, limit: int) -> list[str]:
        order = reservation_orders.c
        rows = await self.session.execute(
            select(order.order_id)
            .where(order.status == Status.OPEN.value, order.placed_at < moment)
            .order_by(order.placed_at)
            .limit(limit)
        )
        return [row.order_id for row in rows]


def _head(r: Reservation) -> dict[str, Any]:
    return {
        "approved_at": r.approved_at,
        "on_hold": r.on_hold,
        "hold_reason": r.hold_reason,
        "closed_at": r.closed_at,
    }
