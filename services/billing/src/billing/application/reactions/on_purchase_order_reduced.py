"""PurchaseOrderReduced: the purchase order cancelled units (cancelled after part arrived, or a
line reduced): billing's copy keeps them, and no bill may bill them (domain.payables)."""

from __future__ import annotations

from dataclasses import dataclass

from billing.application.ports import UnitOfWork


@dataclass(frozen=True)
class PurchaseOrderReduced:
    purchase_order_id: str
    # (product_id, units cancelled in all)
    cancelled: tuple[tuple[str, int], ...]


async def on_purchase_order_reduced(uow: UnitOfWork, event: PurchaseOrderReduced) -> None:
    """An order billing never copied (it could not be billed) is left alone."""
    copy = await uow.purchase_orders.get(event.purchase_order_id, lock=True)
    if copy is None:
        return
    copy.reduce(dict(event.cancelled))
    await uow.purchase_orders.cancel_units(copy)
