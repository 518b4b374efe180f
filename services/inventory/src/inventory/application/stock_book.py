"""One transaction's moves of stock. Every move goes through a `StockBook`, which keeps the levels
it touched and their moves for the stock ledger, and at the end (`settle`) writes them, gives
stock that became available to the orders waiting for it (first come, first served) and
announces levels that fell below their reorder point. The caller owns the unit of work, has
locked the products it touches and has saved the reservations it changed."""

from __future__ import annotations

from collections.abc import Sequence

from inventory.application.ports import UnitOfWork
from inventory.domain.allocation import Fill, fill_backorders, warehouse_order
from inventory.domain.events import (
    AvailabilityChanged,
    BackorderAllocated,
    Published,
    StockMoved,
)
from inventory.domain.stock import StockLevel
from servicekit.errors import FailedPrecondition


class StockBook:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        # (warehouse id, product id) -> the level, as this transaction changed it
        self.touched: dict[tuple[str, str], StockLevel] = {}
        self.moves: list[StockMoved] = []
        # (warehouse id, product id) -> units available when this transaction first read it
        self.was_available: dict[tuple[str, str], int] = {}

    async def level(self, warehouse_id: str, product_id: str) -> StockLevel:
        """The level this transaction works on (an empty one, made now, when there is none)."""
        level = await self._find(warehouse_id, product_id, create=True)
        assert level is not None
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
    ) -> StockLevel:
        """Adds (or, negative, removes) units on hand; never below what is reserved."""
        level = await self._find(warehouse_id, product_id, create=units > 0)
        level = level or StockLevel(warehouse_id, product_id)  # none: refused as empty
        self.moves.append(
            level.put(units, kind=kind, reason=reason, reference=reference, refusal=refusal)
        )
        return level

    async def hold(
        self, warehouse_id: str, product_id: str, units: int, order_id: str, reason: str
    ) -> None:
        level = await self._find(warehouse_id, product_id) or StockLevel(warehouse_id, product_id)
        self.moves.append(level.hold(units, order_id, reason))

    async def release(
        self, warehouse_id: str, product_id: str, units: int, order_id: str, reason: str
    ) -> None:
        level = await self._find(warehouse_id, product_id) or StockLevel(warehouse_id, product_id)
        self.moves.append(level.release(units, order_id, reason))

    async def consume(
        self, warehouse_id: str, product_id: str, units: int, shipment_id: str, reason: str
    ) -> None:
        level = await self._find(warehouse_id, product_id) or StockLevel(warehouse_id, product_id)
        self.moves.append(level.consume(units, shipment_id, reason))

    async def _find(
        self, warehouse_id: str, product_id: str, *, create: bool = False
    ) -> StockLevel | None:
        key = (warehouse_id, product_id)
        if key not in self.touched:
            if create:
                await self.uow.levels.ensure(warehouse_id, product_id)
            level = await self.uow.levels.get(warehouse_id, product_id)
            if level is None:
                return None
            self.touched[key] = level
            self.was_available[key] = level.available
        return self.touched[key]

    async def settle(
        self, quiet: frozenset[str] = frozenset(), then: Sequence[Published] = ()
    ) -> None:
        """Writes the moves, fills backorders from what became available, then announces low
        stock. `quiet`: orders whose state the caller announces itself (no BackorderAllocated);
        `then`: the caller's events, published after the book's in the same outbox write."""
        await self._write()
        # Only stock that became available can fill a backorder: a transaction that only
        # held or consumed (placing, shipping) skips the queue's reads.
        products = list(
            dict.fromkeys(
                key[1]
                for key, level in self.touched.items()
                if level.available > self.was_available[key]
            )
        )
        if products:
            await self._fill(products, quiet)
        low: list[Published] = []
        for level in self.touched.values():
            low += level.check_low()
        await self._write()
        await self.uow.publish([*low, *self._availability(), *then])

    def _availability(self) -> list[Published]:
        """AvailabilityChanged for each level whose available units differ from the start."""
        return [
            AvailabilityChanged(level.product_id, level.warehouse_id, level.available)
            for key, level in self.touched.items()
            if level.available != self.was_available.get(key)
        ]

    async def _write(self) -> None:
        for level in self.touched.values():
            await self.uow.levels.save(level)
        if self.moves:
            await self.uow.levels.record(self.moves)
            self.moves = []

    async def _fill(self, products: list[str], quiet: frozenset[str]) -> None:
        availability = await self.uow.levels.availability(products)
        priority = warehouse_order(availability, await self.uow.warehouses.priority())
        fills: list[Fill] = []
        for product_id in products:
            available = [(w, availability.get(w, {}).get(product_id, 0)) for w in priority]
            if any(units > 0 for _, units in available):
                fills += fill_backorders(await self.uow.reservations.queue(product_id), available)
        if not fills:
            return
        # Lock the orders first (in id order), so the last filler of an order sees the others.
        await self.uow.reservations.lock(f.order_id for f in fills)
        by_order: dict[str, list[Fill]] = {}
        for fill in fills:
            await self.hold(
                fill.warehouse_id, fill.product_id, fill.quantity, fill.order_id, "backorder filled"
            )
            by_order.setdefault(fill.order_id, []).append(fill)
        allocated: list[BackorderAllocated] = []
        for order_id, filled in by_order.items():
            reservation = await self.uow.reservations.get(order_id, for_update=True)
            if reservation is None:
                raise FailedPrecondition(f"order {order_id} waits, but is not known")
            event = reservation.fill(filled)
            await self.uow.reservations.save(reservation)
            if order_id not in quiet:
                allocated.append(event)
        await self.uow.publish(allocated)
