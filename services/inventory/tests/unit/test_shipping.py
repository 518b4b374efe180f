"""Shipping on fakes: an approved order not on hold ships what it holds in a warehouse (all of
it, or the lines named), once per request id; a shipment moves forward one step at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from inventory.adapters.events import to_message
from inventory.application.commands.ship_order import ShipOrder, ship_order
from inventory.application.commands.update_shipment_status import update_shipment_status
from inventory.application.ports import ClientRequest
from inventory.application.reactions.on_sales_order_hold_changed import (
    HoldChanged,
    on_sales_order_hold_changed,
)
from inventory.domain.events import ShipmentDispatched, ShipmentStatusChanged
from inventory.domain.shipment import Shipment
from oms.inventory.v1 import inventory_pb2 as pb
from servicekit.context import Principal, acting
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound
from servicekit.idempotency import fingerprint
from services.inventory.tests.unit.builders import FakeInventory, placed

CREDIT = "credit limit 500.00 EUR exceeded by 120.00 EUR"
WENDY = Principal("wendy", ("warehouse",))


async def ship(
    inventory: FakeInventory,
    order_id: str,
    warehouse: str,
    lines: Sequence[tuple[str, int]] = (),
    request_id: str = "",
) -> Shipment:
    wire = pb.ShipOrderRequest(order_id=order_id, warehouse_id=warehouse, request_id=request_id)
    command = ShipOrder(
        order_id, warehouse, " DHL ", "1Z", lines, ClientRequest(request_id, fingerprint(wire))
    )
    with acting(WENDY):
        return await ship_order(inventory.uow(), command)


async def test_only_an_approved_order_that_is_not_on_hold_ships() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 5)
    order = await inventory.place(replace(placed((product, 2)), channel="woocommerce"))
    with pytest.raises(FailedPrecondition, match=f"^order {order.order_id} is not approved yet$"):
        await ship(inventory, order.order_id, warehouse)
    async with inventory.uow() as uow:
        await on_sales_order_hold_changed(uow, HoldChanged(order.order_id, True, CREDIT))
    await inventory.approve(order.order_id)
    with pytest.raises(FailedPrecondition, match=f"on hold: {CREDIT}$"):
        await ship(inventory, order.order_id, warehouse)
    async with inventory.uow() as uow:
        await on_sales_order_hold_changed(uow, HoldChanged(order.order_id, False, "released"))
    shipment = await ship(inventory, order.order_id, warehouse)
    assert (shipment.carrier, shipment.status, shipment.created_by) == (
        "DHL",
        "dispatched",
        "wendy",
    )
    (dispatched,) = inventory.published(ShipmentDispatched, order.order_id)
    assert dispatched.shipment_id == shipment.id
    assert dispatched.channel == "woocommerce"  # as placed: the connector reads it, others not
    assert to_message(dispatched)[0].channel == "woocommerce"  # type: ignore[attr-defined]
    assert [(x.line_id, x.quantity) for x in dispatched.lines] == [(order.lines[0].line_id, 2)]
    level = await inventory.level(product, warehouse)
    assert (level.on_hand, level.reserved) == (3, 0)
    entry = inventory.db.audit[-1]
    assert (entry.entity_type, entry.action, entry.actor) == ("shipment", "dispatched", "wendy")
    assert entry.after == {
        "order_id": order.order_id,
        "warehouse_id": warehouse,
        "carrier": "DHL",
        "tracking_number": "1Z",
        "status": "dispatched",
        "lines": [{"line_id": order.lines[0].line_id, "quantity": 2}],
    }


async def test_a_split_order_ships_partly_from_two_warehouses() -> None:
    inventory = FakeInventory(policy="split")
    product = inventory.product()
    second, first = await inventory.warehouse(priority=2), await inventory.warehouse(priority=1)
    await inventory.stock(first, product, 3)
    await inventory.stock(second, product, 5)
    order = await inventory.place(placed((product, 6)))
    line = order.lines[0].line_id
    await inventory.approve(order.order_id)
    with pytest.raises(FailedPrecondition) as too_many:
        await ship(inventory, order.order_id, first, [(line, 4)])
    assert [v.field for v in too_many.value.violations] == ["lines[0].quantity"]
    with pytest.raises(FailedPrecondition, match="has nothing reserved there"):
        await ship(inventory, order.order_id, first, [("nope", 1)])
    with pytest.raises(InvalidArgument):
        await ship(inventory, order.order_id, first, [(line, 0)])
    part = await ship(inventory, order.order_id, first, [(line, 2)])
    rest = await ship(inventory, order.order_id, second)
    assert [(x.line_id, x.quantity) for x in part.lines] == [(line, 2)]
    assert [(x.line_id, x.quantity) for x in rest.lines] == [(line, 3)]
    ledger = await inventory.ledger(order.order_id)
    assert [(a.warehouse_id, a.reserved, a.consumed) for a in ledger.lines[0].allocations] == [
        (first, 1, 2),
        (second, 0, 3),
    ]
    assert (await inventory.level(product, first)).on_hand == 1
    assert (await inventory.level(product, second)).on_hand == 2
    with pytest.raises(FailedPrecondition, match="nothing reserved for order"):
        await ship(inventory, order.order_id, second)
    with pytest.raises(FailedPrecondition, match="nothing reserved for order nope"):
        await ship(inventory, "nope", second)


async def test_a_shipment_sent_again_with_its_request_id_ships_once() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 10)
    order = await inventory.place(placed((product, 4)))
    await inventory.approve(order.order_id)
    line = order.lines[0].line_id
    shipped = [await ship(inventory, order.order_id, warehouse, [(line, 2)], "s-1") for _ in "ab"]
    assert len({s.id for s in shipped}) == 1
    assert len(inventory.published(ShipmentDispatched, order.order_id)) == 1
    (allocation,) = (await inventory.ledger(order.order_id)).lines[0].allocations
    assert (allocation.reserved, allocation.consumed) == (2, 2)
    assert (await inventory.level(product, warehouse)).on_hand == 8


async def test_a_shipment_moves_forward_one_step_at_a_time() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 1)
    order = await inventory.place(placed((product, 1)))
    await inventory.approve(order.order_id)
    shipment = await ship(inventory, order.order_id, warehouse)

    async def move(to: str, shipment_id: str = shipment.id) -> Shipment:
        with acting(Principal("walt", ("warehouse",))):
            return await update_shipment_status(inventory.uow(), shipment_id, to)

    with pytest.raises(FailedPrecondition):
        await move("delivered")
    assert (await move("in_transit")).status == "in_transit"
    await move("delivered")
    assert (await move("delivered")).status == "delivered"
    with pytest.raises(FailedPrecondition):
        await move("in_transit")
    with pytest.raises(InvalidArgument):
        await move("lost")
    with pytest.raises(InvalidArgument):
        await move("in_transit", "")
    with pytest.raises(NotFound):
        await move("in_transit", "nope")
    changes = inventory.published(ShipmentStatusChanged, shipment.id)
    assert [(x.from_status, x.to_status) for x in changes] == [
        ("dispatched", "in_transit"),
        ("in_transit", "delivered"),
    ]
    entries = [e for e in inventory.db.audit if e.action == "status_changed"]
    assert (entries[0].actor, entries[0].before, entries[0].after) == (
        "walt",
        {"status": "dispatched"},
        {"status": "in_transit"},
    )
