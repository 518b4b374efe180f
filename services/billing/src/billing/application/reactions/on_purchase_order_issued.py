"""PurchaseOrderIssued: billing keeps its own copy of the purchase order (lines by product, the
supplier, currency and payment terms) to match supplier bills against."""

from __future__ import annotations

from dataclasses import dataclass

from billing.application.ports import UnitOfWork
from billing.domain.bills import IssuedLine, PurchaseOrderCopy


@dataclass(frozen=True)
class PurchaseOrderIssued:
    purchase_order_id: str
    number: str
    supplier_id: str
    currency: str
    payment_terms: str
    lines: tuple[IssuedLine, ...]


async def on_purchase_order_issued(uow: UnitOfWork, event: PurchaseOrderIssued) -> None:
    """Once per order. Raises CannotCopy for an order no bill could be matched against."""
    copy = PurchaseOrderCopy.issued(
        event.purchase_order_id,
        event.number,
        event.supplier_id,
        event.currency,
        event.payment_terms,
        event.lines,
    )
    await uow.purchase_orders.add(copy)
