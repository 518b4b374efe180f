"""Finding what a use case acts on, or NotFound naming it."""

from __future__ import annotations

from procurement.application.ports import UnitOfWork
from procurement.domain.purchase_orders import PurchaseOrder
from procurement.domain.rfqs import Rfq
from procurement.domain.suppliers import Supplier
from servicekit.errors import NotFound


async def found_supplier(
    uow: UnitOfWork, supplier_id: str, *, for_update: bool = False
) -> Supplier:
    supplier = await uow.suppliers.get(supplier_id, for_update=for_update)
    if supplier is None:
        raise NotFound(f"supplier {supplier_id} not found")
    return supplier


async def found_rfq(uow: UnitOfWork, rfq_id: str, *, for_update: bool = False) -> Rfq:
    rfq = await uow.rfqs.get(rfq_id, for_update=for_update)
    if rfq is None:
        raise NotFound(f"RFQ {rfq_id} not found")
    return rfq


async def found_order(uow: UnitOfWork, order_id: str, *, for_update: bool = False) -> PurchaseOrder:
    order = await uow.purchase_orders.get(order_id, for_update=for_update)
    if order is None:
        raise NotFound(f"purchase order {order_id} not found")
    return order
