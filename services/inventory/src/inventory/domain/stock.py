"""Stock of one product in one warehouse: units on hand, those reserved for orders (never more
than are on hand) and the reorder point below which it is low. Plain Python: no I/O.

Every move returns the `StockMoved` the stock ledger keeps, or refuses (FailedPrecondition) what
would leave the level oversold or negative."""

from __future__ import annotations

from dataclasses import dataclass

from inventory.domain.events import LowStock, StockMoved
from servicekit.errors import FailedPrecondition


@dataclass(frozen=True)
class LowStockCheck:
    low: bool
    # True only on the change that crossed below the reorder point.
    announce: bool


def low_stock(was_low: bool, available: int, reorder_point: int) -> LowStockCheck:
    """Available stock below a (non-zero) reorder point is low; it is announced once per
    crossing: again only after it has been back at or above the point."""
    low = reorder_point > 0 and available < reorder_point
    return LowStockCheck(low, low and not was_low)


@dataclass
class StockLevel:
    warehouse_id: str
    product_id: str
    on_hand: int = 0
    reserved: int = 0
    # LowStock is published when available falls below it; 0: never.
    reorder_point: int = 0
    # Whether available is below the reorder point now (announced once per crossing).
    low_stock: bool = False

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    def put(
        self, units: int, *, kind: str, reason: str, reference: str | None = None, refusal: str = ""
    ) -> StockMoved:
        """Adds (or, negative, removes) units on hand; never below what is reserved."""
        return self._move(
            units,
            0,
            kind,
            reason,
            reference,
            refusal or f"removing {-units} units would leave less on hand than is reserved",
        )

    def hold(self, units: int, order_id: str, reason: str) -> StockMoved:
        refusal = f"{units} units of {self.product_id} are not available in {self.warehouse_id}"
        return self._move(0, units, "reservation", reason, order_id, refusal)

    def release(self, units: int, order_id: str, reason: str) -> StockMoved:
        refusal = f"{self.warehouse_id} holds fewer than {units} units of {self.product_id}"
        return self._move(0, -units, "release", reason, order_id, refusal)

    def consume(self, units: int, shipment_id: str, reason: str) -> StockMoved:
        """Reserved units leave with a shipment."""
        refusal = f"{self.warehouse_id} holds fewer than {units} units of {self.product_id}"
        return self._move(-units, -units, "shipment", reason, shipment_id, refusal)

    def set_reorder_point(self, point: int) -> int:
        """The reorder point it had."""
        was, self.reorder_point = self.reorder_point, point
        return was

    def check_low(self) -> list[LowStock]:
        """Keeps whether the level is low; LowStock when it just crossed below its point."""
        check = low_stock(self.low_stock, self.available, self.reorder_point)
        self.low_stock = check.low
        if not check.announce:
            return []
        return [LowStock(self.product_id, self.warehouse_id, self.available, self.reorder_point)]

    def _move(
        self,
        on_hand: int,
        reserved: int,
        kind: str,
        reason: str,
        reference: str | None,
        refusal: str,
    ) -> StockMoved:
        if self.on_hand + on_hand < self.reserved + reserved or self.reserved + reserved < 0:
            raise FailedPrecondition(refusal)
        self.on_hand += on_hand
        self.reserved += reserved
        return StockMoved(
            self.warehouse_id, self.product_id, on_hand, reserved, kind, reason, reference
        )
