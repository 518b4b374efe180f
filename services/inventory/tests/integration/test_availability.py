"""GetAvailability against the real catalog: a stocked product's units per warehouse, and a
kit's whole kits (the catalog keeps its components; inventory asks it on its own account)."""

from __future__ import annotations

import grpc

from oms.inventory.v1 import inventory_pb2 as pb
from services.inventory.tests.integration.conftest import Inventory, refused
from testkit.services import as_user


async def test_stocked_products_and_kits_are_available_per_warehouse(inventory: Inventory) -> None:
    widget, bolt = await inventory.product(), await inventory.product()
    kit = await inventory.product("kit", {widget: 1, bolt: 4})
    first, second = sorted([await inventory.warehouse(), await inventory.warehouse()])
    await inventory.stock(first, widget, 50)
    await inventory.stock(first, bolt, 100)
    await inventory.stock(second, bolt, 3)
    sales = as_user("sam", "sales")

    async def available(product_id: str) -> tuple[str, list[tuple[str, int]], int]:
        reply = await inventory.stub.GetAvailability(
            pb.GetAvailabilityRequest(product_id=product_id), metadata=sales
        )
        assert reply.product_id == product_id
        return reply.kind, [(w.warehouse_id, w.available) for w in reply.warehouses], reply.total

    assert await available(bolt) == ("stocked", [(first, 100), (second, 3)], 103)
    assert await available(kit) == ("kit", [(first, 25), (second, 0)], 25)
    unknown = pb.GetAvailabilityRequest(product_id="P-none")
    assert await refused(inventory.stub.GetAvailability(unknown)) == grpc.StatusCode.NOT_FOUND
