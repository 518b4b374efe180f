"""GetAvailability on fakes: units that can be sold now per warehouse; a kit's are the whole kits
its components make up there; the catalog says which products exist and what a kit holds."""

from __future__ import annotations

import pytest

from inventory.application.queries.availability import Availability, get_availability
from inventory.domain.availability import sellable
from servicekit.errors import InvalidArgument, NotFound
from services.inventory.tests.unit.builders import FakeInventory, placed


async def available(inventory: FakeInventory, product_id: str) -> Availability:
    return await get_availability(inventory.uow(), inventory.catalog, product_id)


async def test_a_stocked_product_has_what_is_not_reserved_per_warehouse() -> None:
    inventory = FakeInventory(policy="split")
    product = inventory.product()
    first, second = await inventory.warehouse(1), await inventory.warehouse(2)
    await inventory.stock(first, product, 3)
    await inventory.stock(second, product, 5)
    await inventory.place(placed((product, 4)))
    found = await available(inventory, product)
    assert (found.product_id, found.kind) == (product, "stocked")
    assert found.warehouses == sorted([(first, 0), (second, 4)])
    assert found.total == 4


async def test_a_kit_has_as_many_as_its_scarcest_component_makes_up_in_each_warehouse() -> None:
    inventory = FakeInventory()
    bolt, widget = inventory.product(), inventory.product()
    kit = inventory.product("kit", {bolt: 4, widget: 1})
    first, second, third = [await inventory.warehouse() for _ in range(3)]
    await inventory.stock(first, bolt, 100)
    await inventory.stock(first, widget, 50)
    await inventory.stock(second, bolt, 7)
    await inventory.stock(third, widget, 9)
    found = await available(inventory, kit)
    assert found.kind == "kit"
    assert found.warehouses == sorted([(first, 25), (second, 0), (third, 0)])
    assert found.total == 25


async def test_a_product_without_stock_has_none_and_an_unknown_one_is_not_found() -> None:
    inventory = FakeInventory()
    service = inventory.product("service")
    assert await available(inventory, service) == Availability(service, "service", [])
    assert (await available(inventory, service)).total == 0
    empty_kit = inventory.product("kit")
    assert (await available(inventory, empty_kit)).warehouses == []
    with pytest.raises(NotFound, match="product P-unknown not found"):
        await available(inventory, "P-unknown")
    for bad in ("", "p" * 65):
        with pytest.raises(InvalidArgument):
            await available(inventory, bad)


def test_a_warehouse_holding_none_of_the_products_is_not_listed() -> None:
    stock = {"w1": {"a": 3, "b": 2}, "w2": {"c": 9}, "w0": {"a": 1}}
    assert sellable({"a": 1, "b": 2}, stock) == [("w0", 0), ("w1", 1)]
    assert sellable({"c": 1}, stock) == [("w2", 9)]
