"""Reading on fakes: warehouses, stock levels, reservations and shipments, a page at a time
with a capped page size and tokens only this API issues."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from inventory.application.commands.create_warehouse import CreateWarehouse, create_warehouse
from inventory.application.commands.ship_order import ShipOrder, ship_order
from inventory.application.queries.reservations import list_reservations
from inventory.application.queries.shipments import list_shipments
from inventory.application.queries.stock import get_stock
from inventory.application.queries.warehouses import list_warehouses
from servicekit.errors import AlreadyExists, InvalidArgument, NotFound
from servicekit.paging import page_token
from services.inventory.tests.unit.builders import FakeInventory, placed

Page = Callable[[int, str], Awaitable[tuple[list[str], str]]]


async def pages(page: Page) -> list[list[str]]:
    """The ids (or what stands for them) of each page of two."""
    found, token = [], ""
    for _ in range(5):
        ids, token = await page(2, token)
        found.append(ids)
        if not token:
            return found
    raise AssertionError("the pages never ended")


async def test_every_list_comes_a_page_at_a_time() -> None:
    inventory = FakeInventory()
    product = inventory.product()
    created = [await inventory.warehouse(priority=p) for p in (3, 1, 2)]

    async def warehouses(size: int, token: str) -> tuple[list[str], str]:
        found, token = await list_warehouses(inventory.uow(), size, token)
        return [w.id for w in found], token

    assert await pages(warehouses) == [[created[1], created[2]], [created[0]]]
    for warehouse in created:
        await inventory.stock(warehouse, product, 5)

    async def levels(size: int, token: str) -> tuple[list[str], str]:
        found, token = await get_stock(inventory.uow(), product, "", size, token)
        return [x.warehouse_id for x in found], token

    assert await pages(levels) == [sorted(created)[:2], sorted(created)[2:]]
    order = await inventory.place(placed((product, 1), (product, 1), (product, 1)))
    lines = [x.line_id for x in order.lines]

    async def ledger(size: int, token: str) -> tuple[list[str], str]:
        found = await list_reservations(inventory.uow(), order.order_id, size, token)
        return [x.line_id for x in found.lines], found.next_page_token

    assert await pages(ledger) == [lines[:2], lines[2:]]
    await inventory.approve(order.order_id)
    shipped = []
    for line in lines:
        command = ShipOrder(order.order_id, created[1], "DHL", "", [(line, 1)])
        shipped.append((await ship_order(inventory.uow(), command)).id)

    async def shipments(size: int, token: str) -> tuple[list[str], str]:
        found, token = await list_shipments(inventory.uow(), order.order_id, size, token)
        return [s.id for s in found], token

    newest_first = shipped[::-1]
    assert await pages(shipments) == [newest_first[:2], newest_first[2:]]
    assert (await list_shipments(inventory.uow(), "other-order")) == ([], "")


async def test_page_sizes_and_tokens_are_checked() -> None:
    inventory = FakeInventory()
    calls = [
        list_warehouses(inventory.uow(), 201),
        get_stock(inventory.uow(), page_size=10_000),
        list_shipments(inventory.uow(), page_size=-1),
        list_reservations(inventory.uow(), "o", 201),
    ]
    for call in calls:
        with pytest.raises(InvalidArgument) as error:
            await call
        assert [v.field for v in error.value.violations] == ["page_size"]
    for call in (
        list_shipments(inventory.uow(), token="not-ours"),
        list_warehouses(inventory.uow(), token=page_token("x", "y")),
        list_reservations(inventory.uow(), "o", token=page_token("x")),
    ):
        with pytest.raises(InvalidArgument) as error:
            await call
        assert [v.field for v in error.value.violations] == ["page_token"]
    with pytest.raises(NotFound):
        await list_reservations(inventory.uow(), "nope")


async def test_a_warehouse_code_is_taken_once() -> None:
    inventory = FakeInventory()
    created = await create_warehouse(inventory.uow(), CreateWarehouse("MAIN", " Main ", 1))
    assert (created.code, created.name, created.priority) == ("MAIN", "Main", 1)
    with pytest.raises(AlreadyExists):
        await create_warehouse(inventory.uow(), CreateWarehouse("MAIN", "Other"))
    with pytest.raises(InvalidArgument):
        await create_warehouse(inventory.uow(), CreateWarehouse("BIG", "n" * 201))
    (entry,) = inventory.db.audit
    assert (entry.entity_id, entry.action, entry.after) == (
        created.id,
        "created",
        {"code": "MAIN", "name": "Main", "priority": 1},
    )
