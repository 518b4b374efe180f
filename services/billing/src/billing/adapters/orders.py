"""Billing's copies of sales orders in PostgreSQL (order_copies, order_copy_lines), with the
shipments that arrived before their order (pending_shipments), those counted towards a whole-order
invoice (counted_shipments), and every return received (returns_received). Waiting shipments and
returns are kept as their events' bytes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.postgresql import insert

from billing.adapters.documents import quoted_from_json
from billing.adapters.tables import (
    counted_shipments,
    order_copies,
    order_copy_lines,
    pending_shipments,
    returns_received,
)
from billing.domain.orders import OrderCopy, OrderLine, Shipment
from billing.domain.returns import PENDING, Return
from oms.events.v1 import inventory_pb2
from pricing.money import Money
from servicekit.db import DriverStatement, Transaction, driver, rows_of, select_every_column


def _state(copy: OrderCopy) -> tuple[Any, ...]:
    lines = {
        i: (x.shipped, x.returned, x.quantity, x.unit_price.amount) for i, x in copy.lines.items()
    }
    return copy.cancelled, lines, None if copy.document is None else copy.document.content


# An order's copy is written and read for every shipment and change of the order: built once and
# sent on the driver (servicekit.db), without SQLAlchemy's work per execution.
_COPY_INSERT = DriverStatement(
    insert(order_copies).on_conflict_do_nothing().returning(order_copies.c.order_id)
)
_LINES_INSERT = DriverStatement(order_copy_lines.insert())
_COPY = select_every_column(
    order_copies, "WHERE order_id = $1", also=(rows_of(order_copy_lines, "order_id = $1", "lines"),)
)
_COPY_LOCKED = _COPY + " FOR UPDATE"
_LINE_UPSERT = insert(order_copy_lines)
_LINE_SAVE = DriverStatement(
    _LINE_UPSERT.on_conflict_do_update(
        index_elements=["line_id"],
        set_={
            name: _LINE_UPSERT.excluded[name]
            for name in ("shipped", "returned", "quantity", "unit_price")
        },
    )
)
# An advisory lock, as there may be no row to lock yet; released at commit or rollback.
_HOLD = DriverStatement(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"))
_UNPARK = DriverStatement(
    pending_shipments.delete()
    .where(pending_shipments.c.order_id == bindparam("b_order"))
    .returning(pending_shipments.c.event)
)
_WAITING = DriverStatement(
    select(returns_received.c.event)
    .where(
        returns_received.c.order_id == bindparam("b_order"),
        returns_received.c.outcome == PENDING,
    )
    .order_by(returns_received.c.arrival)
)


class SqlOrderCopies:
    def __init__(self, session: Transaction) -> None:
        self.session = session
        self._read: dict[str, tuple[Any, ...]] = {}
        # The copies this transaction locked: no one else changes them until it ends.
        self._locked: dict[str, OrderCopy] = {}

    async def add(self, copy: OrderCopy) -> bool:
        document = copy.document
        copied = await _COPY_INSERT.fetch(
            self.session,
            {
                "order_id": copy.order_id,
                "customer_id": copy.customer_id,
                "currency": copy.currency,
                "document": None if document is None else dict(document.content),
                "cancelled": copy.cancelled,
                "channel": copy.channel,
                "quote_id": copy.quote_id or None,
            },
        )
        if not copied:
            return False
        if copy.lines:
            await _LINES_INSERT.execute_many(
                self.session,
                [
                    {
                        "order_id": copy.order_id,
                        "line_id": x.line_id,
                        "product_id": x.product_id,
                        "sku": x.sku,
                        "quantity": x.quantity,
                        "unit_price": x.unit_price.amount,
                        "shipped": x.shipped,
                        "returned": x.returned,
                    }
                    for x in copy.lines.values()
                ],
            )
        self._read[copy.order_id] = _state(copy)
        return True

    async def get(self, order_id: str, *, lock: bool = False) -> OrderCopy | None:
        held = self._locked.get(order_id)
        if held is not None and _state(held) == self._read[order_id]:
            return held  # locked here and as last read or saved: the stored copy is this one
        connection = await driver(self.session)
        head = await connection.fetchrow(_COPY_LOCKED if lock else _COPY, order_id)
        if head is None:
            return None
        rows = head["lines"]
        currency, document = head["currency"], head["document"]
        copy = OrderCopy(
            head["order_id"],
            head["customer_id"],
            currency,
            {
                r["line_id"]: OrderLine(
                    r["line_id"],
                    r["product_id"],
                    r["sku"],
                    int(r["quantity"]),
                    Money(r["unit_price"], currency),
                    int(r["shipped"]),
                    int(r["returned"]),
                )
                for r in rows
            },
            None if document is None else quoted_from_json(document),
            head["cancelled"],
            head["channel"],
            head["quote_id"] or "",
        )
        self._read[order_id] = _state(copy)
        if lock or held is not None:
            self._locked[order_id] = copy
        return copy

    async def save(self, copy: OrderCopy) -> None:
        cancelled, lines, document = self._read.get(copy.order_id) or (False, {}, None)
        after = _state(copy)
        head: dict[str, Any] = {}
        if cancelled != copy.cancelled:
            head["cancelled"] = copy.cancelled
        if after[2] is not None and after[2] != document:
            head["document"] = dict(after[2])
        if head:
            await self.session.execute(
                order_copies.update().where(order_copies.c.order_id == copy.order_id).values(**head)
            )
        for line_id, x in copy.lines.items():
            if lines.get(line_id) == after[1][line_id]:
                continue
            await _LINE_SAVE.execute(
                self.session,
                {
                    "order_id": copy.order_id,
                    "line_id": line_id,
                    "product_id": x.product_id,
                    "sku": x.sku,
                    "shipped": x.shipped,
                    "returned": x.returned,
                    "quantity": x.quantity,
                    "unit_price": x.unit_price.amount,
                },
            )
        gone = [line_id for line_id in lines if line_id not in copy.lines]
        if gone:
            await self.session.execute(
                order_copy_lines.delete().where(order_copy_lines.c.line_id.in_(gone))
            )
        self._read[copy.order_id] = after

    async def hold(self, order_id: str) -> None:
        await _HOLD.fetch(self.session, {"key": f"billing.order-copy:{order_id}"})

    async def park(self, shipment: Shipment) -> None:
        await self.session.execute(
            insert(pending_shipments)
            .values(
                shipment_id=shipment.shipment_id,
                order_id=shipment.order_id,
                event=_shipment_bytes(shipment),
            )
            .on_conflict_do_nothing()
        )

    async def unpark(self, order_id: str) -> list[Shipment]:
        parked = await _UNPARK.fetch(self.session, {"b_order": order_id})
        return [_shipment(row["event"]) for row in parked]

    async def count(self, shipment: Shipment) -> bool:
        counted = await self.session.execute(
            insert(counted_shipments)
            .values(shipment_id=shipment.shipment_id, order_id=shipment.order_id)
            .on_conflict_do_nothing()
            .returning(counted_shipments.c.shipment_id)
        )
        return counted.first() is not None


class SqlReturns:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def claim(self, back: Return) -> bool:
        claimed = await self.session.execute(
            insert(returns_received)
            .values(
                return_id=back.return_id,
                order_id=back.order_id,
                outcome=PENDING,
                event=_return_bytes(back),
            )
            .on_conflict_do_nothing()
            .returning(returns_received.c.return_id)
        )
        return claimed.first() is not None

    async def waiting(self, order_id: str) -> list[Return]:
        rows = await _WAITING.fetch(self.session, {"b_order": order_id})
        return [_return(row["event"]) for row in rows]

    async def settle(self, return_id: str, outcome: str, detail: str) -> None:
        await self.session.execute(
            returns_received.update()
            .where(returns_received.c.return_id == return_id)
            .values(outcome=outcome, detail=detail)
        )

    async def settle_waiting(self, order_id: str, outcome: str, detail: str) -> None:
        await self.session.execute(
            returns_received.update()
            .where(returns_received.c.order_id == order_id, returns_received.c.outcome == PENDING)
            .values(outcome=outcome, detail=detail)
        )


def _shipment_bytes(shipment: Shipment) -> bytes:
    return inventory_pb2.ShipmentDispatched(
        shipment_id=shipment.shipment_id,
        order_id=shipment.order_id,
        lines=[inventory_pb2.ShippedLine(line_id=i, quantity=q) for i, q in shipment.lines],
    ).SerializeToString()


def _shipment(raw: bytes) -> Shipment:
    event = inventory_pb2.ShipmentDispatched.FromString(raw)
    lines = tuple((x.line_id, int(x.quantity)) for x in event.lines)
    return Shipment(event.shipment_id, event.order_id, lines)


def _return_bytes(back: Return) -> bytes:
    return inventory_pb2.ReturnReceived(
        return_id=back.return_id,
        order_id=back.order_id,
        lines=[inventory_pb2.ShippedLine(line_id=i, quantity=q) for i, q in back.lines],
    ).SerializeToString()


def _return(raw: bytes) -> Return:
    event = inventory_pb2.ReturnReceived.FromString(raw)
    return Return(
        event.return_id, event.order_id, tuple((x.line_id, int(x.quantity)) for x in event.lines)
    )
