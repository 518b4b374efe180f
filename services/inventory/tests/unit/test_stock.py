"""Stock on fakes: adjustments, transfers and reorder points, for products the catalog has in
warehouses that exist; each logged with who, before and after; retries count once."""

from __future__ import annotations

import pytest

from inventory.application.commands.adjust_stock import AdjustStock, adjust_stock
from inventory.application.commands.set_reorder_point import SetReorderPoint, set_reorder_point
from inventory.application.commands.transfer_stock import Transfer, TransferStock, transfer_stock
from inventory.application.ports import ClientRequest
from inventory.domain.events import AvailabilityChanged, LowStock, StockReserved
from oms.inventory.v1 import inventory_pb2 as pb
from servicekit.context import Principal, acting
from servicekit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from servicekit.idempotency import fingerprint
from services.inventory.tests.unit.builders import FakeInventory, placed

WENDY = Principal("wendy", ("warehouse",))


def request(request_id: str, delta: int) -> ClientRequest:
    """The request as it came: a retry repeats it, another request reuses only its id."""
    wire = pb.AdjustStockRequest(request_id=request_id, quantity_delta=delta)
    return ClientRequest(request_id, fingerprint(wire))


async def test_an_adjustment_is_logged_and_a_removal_never_leaves_less_than_is_reserved() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    with acting(WENDY):
        level = await inventory.stock(warehouse, product, 10)
    assert (level.on_hand, level.available) == (10, 10)
    await inventory.place(placed((product, 8)))
    with pytest.raises(FailedPrecondition):
        await inventory.stock(warehouse, product, -3)
    with pytest.raises(FailedPrecondition):
        await inventory.stock(await inventory.warehouse(), product, -1)  # nothing there at all
    with pytest.raises(InvalidArgument):
        await adjust_stock(
            inventory.uow(), inventory.catalog, AdjustStock(warehouse, product, 0, "")
        )
    (entry,) = [e for e in inventory.db.audit if e.entity_type == "stock"]
    assert (entry.action, entry.actor, entry.before, entry.after) == (
        "adjusted",
        "wendy",
        {"warehouse_id": warehouse, "on_hand": 0},
        {"warehouse_id": warehouse, "on_hand": 10, "reason": "count"},
    )
    assert (await inventory.level(product, warehouse)).on_hand == 10


async def test_stock_is_kept_only_for_products_the_catalog_has_in_warehouses_that_exist() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    calls = [
        adjust_stock(inventory.uow(), inventory.catalog, AdjustStock(warehouse, "P-x", 1, "n")),
        transfer_stock(inventory.uow(), inventory.catalog, TransferStock(warehouse, "w", "P-x", 1)),
        set_reorder_point(inventory.uow(), inventory.catalog, SetReorderPoint("P-x", warehouse, 3)),
    ]
    for call in calls:
        with pytest.raises(InvalidArgument) as error:
            await call
        assert [v.field for v in error.value.violations] == ["product_id"]
    with pytest.raises(NotFound, match="warehouse nope not found"):
        await inventory.stock("nope", product, 1)
    assert inventory.db.levels == {}


async def test_a_transfer_moves_stock_but_never_what_is_reserved() -> None:
    inventory = FakeInventory()
    product = inventory.product()
    source, target = await inventory.warehouse(), await inventory.warehouse()
    await inventory.stock(source, product, 10)
    await inventory.place(placed((product, 4)))

    async def transfer(units: int, to: str = target, reason: str = "") -> Transfer:
        command = TransferStock(source, to, product, units, reason)
        return await transfer_stock(inventory.uow(), inventory.catalog, command)

    with pytest.raises(FailedPrecondition, match="less on hand than it has reserved"):
        await transfer(7)
    with pytest.raises(InvalidArgument):
        await transfer(1, to=source)
    with acting(WENDY):
        moved = await transfer(6, reason="rebalance")
    assert (moved.source.on_hand, moved.source.reserved) == (4, 4)
    assert (moved.target.on_hand, moved.target.available) == (6, 6)
    entry = inventory.db.audit[-1]
    assert (entry.action, entry.actor) == ("transferred", "wendy")
    assert entry.before == {
        "from": {"warehouse_id": source, "on_hand": 10},
        "to": {"warehouse_id": target, "on_hand": 0},
    }
    assert entry.after == {
        "from": {"warehouse_id": source, "on_hand": 4},
        "to": {"warehouse_id": target, "on_hand": 6},
        "quantity": 6,
        "reason": "rebalance",
        "transfer_id": moved.id,
    }


async def test_low_stock_is_announced_once_per_crossing_of_the_reorder_point() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 10)
    point = SetReorderPoint(product, warehouse, 5)
    with acting(Principal("pia", ("purchasing",))):
        level = await set_reorder_point(inventory.uow(), inventory.catalog, point)
        await set_reorder_point(inventory.uow(), inventory.catalog, point)  # the same: no entry
    assert level.reorder_point == 5
    for units in (3, 3, 1):  # available 7, then 4 (low), then 3 (still low)
        order = await inventory.place(placed((product, units)))
        assert inventory.published(StockReserved, order.order_id)
    (low,) = inventory.published(LowStock, product)
    assert (low.warehouse_id, low.available, low.reorder_point) == (warehouse, 4, 5)
    await inventory.stock(warehouse, product, 5)  # available 8: not low any more
    await inventory.stock(warehouse, product, -4)  # available 4: low again
    assert [x.available for x in inventory.published(LowStock, product)] == [4, 4]
    entries = [e for e in inventory.db.audit if e.action == "reorder_point_set"]
    assert [(e.actor, e.before, e.after) for e in entries] == [
        (
            "pia",
            {"warehouse_id": warehouse, "reorder_point": 0},
            {"warehouse_id": warehouse, "reorder_point": 5},
        )
    ]


async def test_a_reorder_point_on_a_new_level_makes_the_level() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    point = SetReorderPoint(product, warehouse, 3)
    level = await set_reorder_point(inventory.uow(), inventory.catalog, point)
    assert (level.on_hand, level.reorder_point) == (0, 3)
    assert inventory.published(LowStock, product)  # 0 available is below 3


async def test_retried_adjustments_and_transfers_count_once() -> None:
    inventory = FakeInventory()
    product = inventory.product()
    source, target = await inventory.warehouse(), await inventory.warehouse()
    same = request("a-1", 10)
    adjust = AdjustStock(source, product, 10, "count", same)
    levels = [await adjust_stock(inventory.uow(), inventory.catalog, adjust) for _ in range(3)]
    assert [x.on_hand for x in levels] == [10, 10, 10]
    other = AdjustStock(source, product, 11, "count", request("a-1", 11))
    with pytest.raises(AlreadyExists) as error:
        await adjust_stock(inventory.uow(), inventory.catalog, other)
    assert [v.field for v in error.value.violations] == ["request_id"]

    move = TransferStock(source, target, product, 4, "", request("t-1", 4))
    moved = [await transfer_stock(inventory.uow(), inventory.catalog, move) for _ in range(3)]
    assert len({m.id for m in moved}) == 1
    assert {(m.source.on_hand, m.target.on_hand) for m in moved} == {(6, 4)}


async def test_every_change_of_available_units_is_announced_with_the_new_level() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 10)
    await inventory.place(placed((product, 3)))  # reserved: 7 available
    point = SetReorderPoint(product, warehouse, 2)
    with acting(Principal("pia", ("purchasing",))):
        await set_reorder_point(inventory.uow(), inventory.catalog, point)  # no change
    await inventory.stock(warehouse, product, -2)
    announced = inventory.published(AvailabilityChanged, product)
    assert [(x.warehouse_id, x.available) for x in announced] == [
        (warehouse, 10),
        (warehouse, 7),
        (warehouse, 5),
    ]
