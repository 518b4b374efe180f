"""An order's reservations, from the orders topic: reserve (or backorder) what is placed, make
it firm on approval, keep whether orders holds it, follow line changes, release on cancellation
or expiry.

Each handler runs in the consumer's transaction (with its inbox row), so its state changes and
the events they cause commit together."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.repository import InventoryStore, held_by_warehouse
from inventory.application.ledger import StockBook
from inventory.domain.allocation import Demand, Policy, allocate, release_from
from inventory.domain.ledger import LineState, change_line
from inventory.domain.model import rejection_reason, shortages
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import orders_pb2
from servicekit.context import Principal, acting
from servicekit.db import Database

log = logging.getLogger(__name__)

EXPIRY_BATCH = 100
# Orders whose reservations still change; the others are closed for good.
ACTIVE = ("open", "approved")


@dataclass(frozen=True)
class ReservationRules:
    # When False, an order that cannot be reserved in full is rejected and nothing is held.
    backorders: bool = True
    policy: Policy = "single"
    # Orders not approved within this time let their reservations go.
    ttl: timedelta = timedelta(days=7)


def _reserved_lines(rows: Sequence[Row[Any]]) -> list[events.ReservedLine]:
    return [
        events.ReservedLine(
            line_id=r.line_id, product_id=r.product_id, warehouse_id=r.warehouse_id, quantity=q
        )
        for r in rows
        if (q := int(r.reserved)) > 0
    ]


class Reservations:
    def __init__(self, database: Database, outbox: Outbox, rules: ReservationRules) -> None:
        self.database = database
        self.outbox = outbox
        self.rules = rules

    # -- placement ----------------------------------------------------------------------------

    async def on_sales_order_placed(
        self, session: AsyncSession, order: orders_pb2.SalesOrderPlaced, envelope: Envelope
    ) -> None:
        lines = [line for line in order.lines if line.quantity > 0]
        store = InventoryStore(session)
        await store.lock_products(line.product_id for line in lines)
        if await store.order(order.order_id) is not None:
            log.info("order %s is known already; placement ignored", order.order_id)
            return
        demands = [Demand(x.line_id, x.product_id, x.quantity) for x in lines]
        availability = await store.availability({d.product_id for d in demands})
        plan = allocate(demands, availability, await store.warehouse_priority(), self.rules.policy)
        placed_at = envelope.time
        if not plan.complete and not self.rules.backorders:
            await self._reject(store, order, lines, availability, placed_at)
            return
        await store.add_order(order.order_id, "open", placed_at)
        book = StockBook(store, self.outbox)
        for position, line in enumerate(lines):
            await store.add_line(
                order.order_id,
                line.line_id,
                line.product_id,
                line.sku,
                position,
                line.quantity,
                plan.backordered.get(line.line_id, 0),
                placed_at,
            )
        for a in plan.allocations:
            await book.hold(
                order.order_id,
                a.line_id,
                a.product_id,
                a.warehouse_id,
                a.quantity,
                "sales order placed",
            )
        await book.settle(quiet=frozenset({order.order_id}))
        await self._announce(store, order.order_id)

    async def _reject(
        self,
        store: InventoryStore,
        order: orders_pb2.SalesOrderPlaced,
        lines: Sequence[orders_pb2.SalesOrderLine],
        availability: dict[str, dict[str, int]],
        placed_at: datetime,
    ) -> None:
        await store.add_order(order.order_id, "rejected", placed_at)
        for position, line in enumerate(lines):
            await store.add_line(
                order.order_id,
                line.line_id,
                line.product_id,
                line.sku,
                position,
                line.quantity,
                0,
                placed_at,
            )
        wanted = [(line.product_id, line.quantity) for line in lines]
        found = shortages(wanted, availability)
        rejected = events.StockRejected(
            order_id=order.order_id,
            reason=rejection_reason(found, {line.product_id: line.sku for line in lines}),
            shortages=[
                events.Shortage(
                    product_id=s.product_id, requested=s.requested, available=s.available
                )
                for s in found
            ],
        )
        await self.outbox.add(store.session, rejected, key=order.order_id)

    async def _announce(self, store: InventoryStore, order_id: str) -> None:
        """StockReserved when nothing of the order waits, else StockPartiallyReserved: what the
        order holds (all of it) and what it waits for."""
        ledger = await store.ledger(order_id)
        waiting = [row for row in await store.lines(order_id) if row.backordered > 0]
        reserved = _reserved_lines(ledger)
        message: events.StockReserved | events.StockPartiallyReserved
        if not waiting:
            message = events.StockReserved(order_id=order_id, lines=reserved)
        else:
            message = events.StockPartiallyReserved(
                order_id=order_id,
                reserved=reserved,
                backordered=[
                    events.BackorderedLine(
                        line_id=row.line_id, product_id=row.product_id, quantity=row.backordered
                    )
                    for row in waiting
                ],
            )
        await self.outbox.add(store.session, message, key=order_id)

    # -- approval, cancellation, changes ------------------------------------------------------

    async def on_sales_order_approved(
        self, session: AsyncSession, approved: orders_pb2.SalesOrderApproved, envelope: Envelope
    ) -> None:
        store = InventoryStore(session)
        order = await store.order(approved.order_id, for_update=True)
        if order is None or order.status != "open":
            log.info(
                "approval of %s ignored (status %s)", approved.order_id, order and order.status
            )
            return
        await store.set_order_status(approved.order_id, "approved", approved_at=envelope.time)

    async def on_sales_order_hold_changed(
        self, session: AsyncSession, changed: orders_pb2.SalesOrderHoldChanged, envelope: Envelope
    ) -> None:
        """Orders holds an order (or lets it go): it may not ship while held."""
        store = InventoryStore(session)
        if await store.order(changed.order_id, for_update=True) is None:
            log.info("hold of %s ignored: the order is unknown here", changed.order_id)
            return
        reason = changed.reason[:500] if changed.on_hold else ""
        await store.set_hold(changed.order_id, changed.on_hold, reason)

    async def on_sales_order_cancelled(
        self, session: AsyncSession, cancelled: orders_pb2.SalesOrderCancelled, envelope: Envelope
    ) -> None:
        await self._let_go(InventoryStore(session), cancelled.order_id, "cancelled", ACTIVE)

    async def _let_go(
        self, store: InventoryStore, order_id: str, reason: str, from_statuses: Sequence[str]
    ) -> bool:
        """Releases everything the order holds and drops what it waits for; its status becomes
        `reason`. False when the order is unknown or not in one of `from_statuses`."""
        await store.lock_products(row.product_id for row in await store.lines(order_id))
        order = await store.order(order_id, for_update=True)
        if order is None or order.status not in from_statuses:
            log.info("%s of %s ignored (status %s)", reason, order_id, order and order.status)
            return False
        book = StockBook(store, self.outbox)
        held = [row for row in await store.ledger(order_id, for_update=True) if row.reserved > 0]
        for row in held:
            await book.release(
                order_id, row.line_id, row.product_id, row.warehouse_id, row.reserved, reason
            )
        dropped = await store.drop_backorders(order_id)
        await store.set_order_status(order_id, reason, closed_at=datetime.now(UTC))
        if held or dropped:
            released = events.ReservationReleased(
                order_id=order_id,
                lines=_reserved_lines(held),
                reason=reason,
                backorders_dropped=[
                    events.BackorderedLine(
                        line_id=row.line_id, product_id=row.product_id, quantity=row.backordered
                    )
                    for row in dropped
                ],
            )
            await self.outbox.add(store.session, released, key=order_id)
        await book.settle()
        return True

    async def on_sales_order_lines_changed(
        self, session: AsyncSession, changed: orders_pb2.SalesOrderLinesChanged, envelope: Envelope
    ) -> None:
        order_id = changed.order_id
        store = InventoryStore(session)
        current = {row.line_id: row for row in await store.lines(order_id)}
        wanted = {line.line_id: line for line in changed.lines}
        await store.lock_products(
            {row.product_id for row in current.values()} | {x.product_id for x in wanted.values()}
        )
        order = await store.order(order_id, for_update=True)
        if order is None or order.status not in ACTIVE:
            log.info("line change of %s ignored (status %s)", order_id, order and order.status)
            return
        current = {row.line_id: row for row in await store.lines(order_id)}
        ledger = await store.ledger(order_id, for_update=True)
        priority = await store.warehouse_priority()
        book = StockBook(store, self.outbox)
        more: list[Demand] = []
        cuts: list[tuple[Row[Any], int, int]] = []  # (line, backorders dropped, units released)
        position = max((row.position for row in current.values()), default=-1) + 1
        for line_id, line in wanted.items():
            if line_id in current or line.quantity <= 0:
                continue
            await store.add_line(
                order_id,
                line_id,
                line.product_id,
                line.sku,
                position,
                line.quantity,
                0,
                order.placed_at,
            )
            position += 1
            more.append(Demand(line_id, line.product_id, line.quantity))
        for line_id, row in current.items():
            target = wanted[line_id].quantity if line_id in wanted else 0
            if line_id in wanted and wanted[line_id].product_id != row.product_id:
                log.warning("line %s of %s names another product; kept", line_id, order_id)
            mine = [r for r in ledger if r.line_id == line_id]
            state = LineState(
                consumed=sum(int(r.consumed) for r in mine),
                reserved=sum(int(r.reserved) for r in mine),
                backordered=int(row.backordered),
            )
            change = change_line(state, target)
            if change.more:
                more.append(Demand(line_id, row.product_id, change.more))
            if change.drop_backordered or change.release:
                cuts.append((row, change.drop_backordered, change.release))
            if change.quantity != row.quantity or change.drop_backordered:
                await store.update_line(
                    order_id,
                    line_id,
                    quantity=change.quantity,
                    backordered=-change.drop_backordered,
                )
        # More first, from what is available now (older backorders keep their turn), ...
        if more:
            availability = await store.availability({d.product_id for d in more})
            plan = allocate(more, availability, priority, self.rules.policy)
            for a in plan.allocations:
                await book.hold(
                    order_id, a.line_id, a.product_id, a.warehouse_id, a.quantity, "order changed"
                )
            for demand in more:
                if waiting := plan.backordered.get(demand.line_id, 0):
                    await store.update_line(order_id, demand.line_id, backordered=waiting)
        # ... then what was cut goes back, and on to whoever waits for it.
        released: list[events.ReservedLine] = []
        dropped: list[events.BackorderedLine] = []
        for row, drop, release in cuts:
            if drop:
                dropped.append(
                    events.BackorderedLine(
                        line_id=row.line_id, product_id=row.product_id, quantity=drop
                    )
                )
            for warehouse_id, units in release_from(
                held_by_warehouse(ledger, row.line_id, priority), release
            ):
                await book.release(
                    order_id, row.line_id, row.product_id, warehouse_id, units, "changed"
                )
                released.append(
                    events.ReservedLine(
                        line_id=row.line_id,
                        product_id=row.product_id,
                        warehouse_id=warehouse_id,
                        quantity=units,
                    )
                )
        if released or dropped:
            await self.outbox.add(
                session,
                events.ReservationReleased(
                    order_id=order_id,
                    lines=released,
                    reason="changed",
                    backorders_dropped=dropped,
                ),
                key=order_id,
            )
        await book.settle(quiet=frozenset({order_id}) if more else frozenset())
        if more:
            await self._announce(store, order_id)

    # -- expiry -------------------------------------------------------------------------------

    async def expire_due(self, now: datetime | None = None) -> int:
        """Releases the reservations of orders not approved within the time allowed; how many
        orders it expired. Each order in a transaction of its own."""
        moment = (now or datetime.now(UTC)) - self.rules.ttl
        async with self.database.transaction() as session:
            due = await InventoryStore(session).open_orders_placed_before(moment, EXPIRY_BATCH)
        expired = 0
        for order_id in due:
            async with self.database.transaction() as session:
                if await self._let_go(InventoryStore(session), order_id, "expired", ("open",)):
                    expired += 1
        return expired

    async def expire_forever(self, interval_seconds: float) -> None:
        """The expiry loop; replicas may all run it (each order is expired once, under lock)."""
        while True:
            try:
                with acting(Principal("system:expiry", ("system",))):
                    if expired := await self.expire_due():
                        log.info("expired the reservations of %d orders", expired)
            except SQLAlchemyError:
                log.exception("expiring reservations failed; retrying")
            await asyncio.sleep(interval_seconds)
