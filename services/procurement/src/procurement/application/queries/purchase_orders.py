"""Purchase orders, one or a page at a time newest first."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.application.lookups import found_order
from procurement.application.ports import OrderFilter, Ports
from procurement.domain.purchase_orders import PurchaseOrder, Status
from servicekit.errors import InvalidArgument
from servicekit.paging import newest_after, newest_page, page_limit


@dataclass(frozen=True)
class ListPurchaseOrders:
    """Empty fields do not filter."""

    status: str = ""
    supplier_id: str = ""
    warehouse_id: str = ""
    page_size: int = 0
    page_token: str = ""


async def get_purchase_order(ports: Ports, purchase_order_id: str) -> PurchaseOrder:
    async with ports.uow() as uow:
        return await found_order(uow, purchase_order_id)


async def list_purchase_orders(
    ports: Ports, query: ListPurchaseOrders
) -> tuple[list[PurchaseOrder], str]:
    limit = page_limit(query.page_size)
    if query.status and query.status not in set(Status):
        raise InvalidArgument.of("status", f"one of {', '.join(Status)}")
    wanted = OrderFilter(query.status, query.supplier_id, query.warehouse_id)
    after = newest_after(query.page_token)
    async with ports.uow() as uow:
        found = await uow.purchase_orders.page(wanted, after, limit + 1)
    return newest_page(found, limit)
