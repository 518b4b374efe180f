"""PurchaseOrderIssued: a purchase order sent to its supplier; its goods are incoming to its
warehouse (as ExpectGoods announces them)."""

from __future__ import annotations

from inventory.application.commands.expect_goods import ExpectGoods, expect
from inventory.application.known import require_warehouses
from inventory.application.ports import UnitOfWork
from inventory.domain.checks import check_expectation


async def on_purchase_order_issued(uow: UnitOfWork, issued: ExpectGoods) -> None:
    """InvalidArgument or NotFound (the event can never be applied) for a purchase order
    inventory cannot keep: lines out of bounds, a warehouse it does not have."""
    check_expectation(issued.purchase_order_id, issued.warehouse_id, issued.lines)
    await require_warehouses(uow, issued.warehouse_id)
    await expect(uow, issued)
