"""One transaction's changes to stock: every move goes through a `StockBook`, which records it in
the stock ledger and, at the end (`settle`), gives stock that became available to the orders
waiting for it (first come, first served) and announces levels that fell below their reorder
point. The caller owns the transaction and has locked the products it touches."""

from __future__ import annotations

from collections import defaultdict

from inventory.adapters.repository import InventoryStore, Level
from inventory.domain.allocation import Fill, fill_backorders, warehouse_order
from inventory.domain.ledger import low_stock
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2 as events
from servicekit.errors import FailedPrecondition


class StockBook:
    def __init__(self, store: InventoryStore, outbox: Outbox) -> None:
        self.store = store
        self.outbox = outbox
        # (warehouse id, product id) whose levels changed in this transaction
        self.touched: dict[tuple[str, str], None] = {}

    async def _move(
        self,
        warehouse_id: str,
        product_id: str,
        *,
        on_hand: int,
        reserved: int,
        kind: str,
        reason: str,
        reference: str | None,
        refusal: str,
    ) -> Level:
        level = await self.store.move(warehouse_id, product_id, on_hand=on_hand, reserved=reserved)
        if level is None:
            raise FailedPrecondition(refusal)
        await self.store.record_movement(
            warehouse_id,
            product_id,
            on_hand=on_hand,
            reserved=reserved,
            kind=kind,
            reason=reason,
            reference=reference,
        )
        self.touched[(warehouse_id, product_id)] = None
        return level

    async def put(
        self,
        warehouse_id: str,
        product_id: str,
        units: int,
        *,
        kind: str,
        reason: str,
        reference: str | None = None,
        refusal: str = "",
    ) -> Level:
        """Adds (or, negative, removes) units on hand; never below what is reserved."""
        if units > 0:
            await self.store.ensure_level(warehouse_id, product_id)
        return await self._move(
            warehouse_id,
            product_id,
            on_hand=units,
            reserved=0,
            kind=kind,
            reason=reason,
            reference=reference,
            refusal=refusal or f"removing {-units} units would leave less on hand than is reserved",
        )

    async def hold(
        self,
        order_id: str,
        line_id: str,
        product_id: str,
        warehouse_id: str,
        units: int,
        reason: str,
    ) -> None:
        await self._move(
            warehouse_id,
            product_id,
            on_hand=0,
            reserved=units,
            kind="reservation",
            reason=reason,
            reference=order_id,
            refusal=f"{units} units of {product_id} are not available in {warehouse_id}",
        )
        await self.store.reserve(order_id, line_id, product_id, warehouse_id, units)

    async def release(
        self,
        order_id: str,
        line_id: str,
        product_id: str,
        warehouse_id: str,
        units: int,
        reason: str,
    ) -> None:
        if not await self.store.take_reserved(
            order_id, line_id, warehouse_id, units, into="released"
        ):
            raise FailedPrecondition(f"line {line_id} holds fewer than {units} units")
        await self._move(
            warehouse_id,
            product_id,
            on_hand=0,
            reserved=-units,
            kind="release",
            reason=reason,
            reference=order_id,
            refusal=f"{warehouse_id} holds fewer than {units} units of {product_id}",
        )

    async def consume(
        self,
        order_id: str,
        line_id: str,
        product_id: str,
        warehouse_id: str,
        units: int,
        reason: str,
        shipment_id: str,
    ) -> None:
        if not await self.store.take_reserved(
            order_id, line_id, warehouse_id, units, into="consumed"
        ):
            raise FailedPrecondition(
                f"line {line_id} has fewer than {units} units reserved in warehouse {warehouse_id}"
            )
        await self._move(
            warehouse_id,
            product_id,
            on_hand=-units,
            reserved=-units,
            kind="shipment",
            reason=reason,
            reference=shipment_id,
            refusal=f"{warehouse_id} holds fewer than {units} units of {product_id}",
        )

    async def settle(self, quiet: frozenset[str] = frozenset()) -> None:
        """Fills backorders from what became available, then announces low stock.

        `quiet`: orders whose state the caller announces itself (no BackorderAllocated)."""
        products = list(dict.fromkeys(p for _, p in self.touched))
        if products:
            await self._fill(products, quiet)
        for warehouse_id, product_id in list(self.touched):
            level = await self.store.level(warehouse_id, product_id)
            if level is None:
                continue
            check = low_stock(level.low_stock, level.available, level.reorder_point)
            if check.low != level.low_stock:
                await self.store.set_low_stock(warehouse_id, product_id, check.low)
            if check.announce:
                await self.outbox.add(
                    self.store.session,
                    events.LowStock(
                        product_id=product_id,
                        warehouse_id=warehouse_id,
                        available=level.available,
                        reorder_point=level.reorder_point,
                    ),
                    key=product_id,
                )

    async def _fill(self, products: list[str], quiet: frozenset[str]) -> None:
        fills: list[Fill] = []
        availability = await self.store.availability(products)
        priority = warehouse_order(availability, await self.store.warehouse_priority())
        for product_id in products:
            available = [(w, availability.get(w, {}).get(product_id, 0)) for w in priority]
            if not any(units > 0 for _, units in available):
                continue
            queue = await self.store.queue(product_id)
            fills += fill_backorders(queue, available)
        if not fills:
            return
        # Lock the orders first (in id order), so `complete` below sees every other filler.
        await self.store.lock_orders(f.order_id for f in fills)
        by_order: dict[str, list[Fill]] = defaultdict(list)
        for fill in fills:
            await self.hold(
                fill.order_id,
                fill.line_id,
                fill.product_id,
                fill.warehouse_id,
                fill.quantity,
                "backorder filled",
            )
            await self.store.update_line(fill.order_id, fill.line_id, backordered=-fill.quantity)
            by_order[fill.order_id].append(fill)
        waiting = await self.store.waiting_units(by_order)
        for order_id, filled in by_order.items():
            if order_id in quiet:
                continue
            allocated = events.BackorderAllocated(
                order_id=order_id,
                lines=[
                    events.ReservedLine(
                        line_id=f.line_id,
                        product_id=f.product_id,
                        warehouse_id=f.warehouse_id,
                        quantity=f.quantity,
                    )
                    for f in filled
                ],
                complete=waiting[order_id] == 0,
            )
            await self.outbox.add(self.store.session, allocated, key=order_id)
