"""ExpectGoods: what a purchase order brings to a warehouse (announced again: replaced), counted
as incoming until it arrives. PurchaseOrderIssued announces the same (reactions/)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inventory.application.commands.receive_goods import products_of
from inventory.application.known import require_products, require_warehouses
from inventory.application.ports import Catalog, UnitOfWork
from inventory.domain.checks import check_expectation
from inventory.domain.receipt import Expectation


@dataclass(frozen=True)
class ExpectGoods:
    purchase_order_id: str
    warehouse_id: str
    # (product id, units)
    lines: Sequence[tuple[str, int]]


async def expect_goods(uow: UnitOfWork, catalog: Catalog, command: ExpectGoods) -> Expectation:
    check_expectation(command.purchase_order_id, command.warehouse_id, command.lines)
    await require_products(catalog, products_of(command.lines))
    async with uow:
        await require_warehouses(uow, command.warehouse_id)
        return await expect(uow, command)


async def expect(uow: UnitOfWork, command: ExpectGoods) -> Expectation:
    """Records the announcement (each product gets a level in the warehouse, so GetStock shows
    what is incoming) and logs it."""
    for product_id, _ in command.lines:
        await uow.levels.ensure(command.warehouse_id, product_id)
    found = await uow.expected_goods.replace(
        command.purchase_order_id, command.warehouse_id, command.lines
    )
    await uow.audit.record(
        "expected_goods",
        command.purchase_order_id,
        "announced",
        after={
            "warehouse_id": command.warehouse_id,
            "lines": [{"product_id": x.product_id, "quantity": x.quantity} for x in found],
        },
    )
    return Expectation(command.purchase_order_id, command.warehouse_id, found)
