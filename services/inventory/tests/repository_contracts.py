"""What every repository of inventory must do, run against the fakes (tests/unit) and against
PostgreSQL (tests/integration), so the fakes cannot drift from the real adapters. Each check
takes a factory of units of work on an empty database."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from inventory.application.ports import ClientRequest, UnitOfWork
from inventory.domain.allocation import Fill, Waiting
from inventory.domain.events import ReceivedLine, ShippedLine, StockMoved
from inventory.domain.receipt import CancelledLine, ExpectedLine, ExpectedUnits, Receipt
from inventory.domain.reservation import Held, OrderedLine, Reservation, Status
from inventory.domain.returns import Return
from inventory.domain.shipment import Shipment
from inventory.domain.warehouse import Warehouse
from oms.inventory.v1 import inventory_pb2 as pb
from servicekit.errors import AlreadyExists, InvalidArgument
from servicekit.idempotency import fingerprint

NewUnitOfWork = Callable[[], UnitOfWork]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _id() -> str:
    return str(uuid.uuid4())


async def _warehouse(new_uow: NewUnitOfWork, code: str = "", priority: int = 0) -> str:
    warehouse = Warehouse(_id(), code or f"W{uuid.uuid4().hex[:6]}", "Warehouse", priority)
    async with new_uow() as uow:
        assert await uow.warehouses.add(warehouse)
    return warehouse.id


async def warehouses_have_unique_codes_and_an_allocation_order(new_uow: NewUnitOfWork) -> None:
    b, a, c = [await _warehouse(new_uow, code, p) for code, p in (("B", 2), ("A", 2), ("C", 1))]
    async with new_uow() as uow:
        assert not await uow.warehouses.add(Warehouse(_id(), "A", "Another A"))
        assert await uow.warehouses.priority() == [c, a, b]
        assert [w.id for w in await uow.warehouses.page(2)] == [c, a]
        assert [w.code for w in await uow.warehouses.page(2, (2, "A"))] == ["B"]
        assert await uow.warehouses.missing([b, "x", "a"]) == ["a", "x"]


async def stock_levels_come_back_as_saved(new_uow: NewUnitOfWork) -> None:
    w = await _warehouse(new_uow)
    async with new_uow() as uow:
        assert await uow.levels.get(w, "p1") is None
        await uow.levels.ensure(w, "p1")
        await uow.levels.ensure(w, "p1")
        level = await uow.levels.get(w, "p1")
        assert level is not None
        assert await uow.levels.get(w, "p1") is level
        level.on_hand, level.reserved, level.reorder_point, level.low_stock = 10, 3, 5, True
        await uow.levels.save(level)
        level.reserved = 4
        await uow.levels.save(level)
        await uow.levels.record([StockMoved(w, "p1", 10, 4, "adjustment", "count", None)])
    async with new_uow() as uow:
        again = await uow.levels.get(w, "p1")
        assert again is not None
        assert (again.on_hand, again.reserved, again.reorder_point, again.low_stock) == (
            10,
            4,
            5,
            True,
        )
        assert await uow.levels.availability(["p1", "p2"]) == {w: {"p1": 6}}


async def a_level_left_oversold_is_never_saved(new_uow: NewUnitOfWork) -> None:
    w = await _warehouse(new_uow)
    async with new_uow() as uow:
        await uow.levels.ensure(w, "p1")

    async def oversell() -> None:
        async with new_uow() as uow:
            level = await uow.levels.get(w, "p1")
            assert level is not None
            level.reserved = 1  # more than is on hand
            await uow.levels.save(level)

    with pytest.raises(Exception, match="moved meanwhile"):
        await oversell()
    async with new_uow() as uow:
        assert await uow.levels.availability(["p1"]) == {w: {"p1": 0}}


async def stock_levels_are_listed_by_product_then_warehouse(new_uow: NewUnitOfWork) -> None:
    first, second = sorted([await _warehouse(new_uow), await _warehouse(new_uow)])
    async with new_uow() as uow:
        for w in (second, first):
            for p in ("p2", "p1"):
                await uow.levels.ensure(w, p)
    async with new_uow() as uow:
        listed = [(x.product_id, x.warehouse_id) for x in await uow.levels.page(10)]
        assert listed == [("p1", first), ("p1", second), ("p2", first), ("p2", second)]
        after = await uow.levels.page(2, after=("p1", second))
        assert [(x.product_id, x.warehouse_id) for x in after] == [("p2", first), ("p2", second)]
        assert [x.warehouse_id for x in await uow.levels.page(10, "p2")] == [first, second]
        assert [x.product_id for x in await uow.levels.page(10, "", second)] == ["p1", "p2"]


def _reservation(order_id: str, placed_at: datetime = T0, *lines: OrderedLine) -> Reservation:
    lines = lines or (OrderedLine("l1", "p1", "SKU-1", 5), OrderedLine("l2", "p2", "SKU-2", 2))
    return Reservation.open(order_id, lines, placed_at, {"l1": 2}, channel="woocommerce")


async def a_reservation_comes_back_as_saved(new_uow: NewUnitOfWork) -> None:
    order_id = _id()
    placed = _reservation(order_id)
    placed.hold("l1", "w2", 3)
    placed.hold("l2", "w1", 2)
    async with new_uow() as uow:
        await uow.reservations.add(placed)
        assert await uow.reservations.get(order_id) is placed
    async with new_uow() as uow:
        found = await uow.reservations.get(order_id, for_update=True)
        assert found == placed
        assert found is not None
        found.approve(T0 + timedelta(hours=1))
        found.change_hold(True, "credit")
        found.fill([Fill(order_id, "l1", "p1", "w1", 2)])
        named = ("l1", "p1", "SKU-1", 5), ("l2", "p2", "SKU-2", 2), ("l3", "p3", "SKU-3", 1)
        found.resize([OrderedLine(*x) for x in named])
        found.backorder({"l3": 1})
        await uow.reservations.save(found)
    async with new_uow() as uow:
        again = await uow.reservations.get(order_id)
        assert again == found
        assert again is not None
        assert [x.line_id for x in again.lines] == ["l1", "l2", "l3"]
        assert again.ledger[-1] == Held("l1", "p1", "w1", reserved=2)
        again.let_go(Status.CANCELLED, T0 + timedelta(days=1))
        await uow.reservations.save(again)
    async with new_uow() as uow:
        closed = await uow.reservations.get(order_id)
        assert closed == again
        assert await uow.reservations.get(_id()) is None


async def the_backorder_queue_is_first_placed_first_served(new_uow: NewUnitOfWork) -> None:
    late, early, other = _id(), _id(), _id()
    async with new_uow() as uow:
        await uow.reservations.add(_reservation(late, T0 + timedelta(minutes=5)))
        first = _reservation(
            early, T0, OrderedLine("a", "p1", "S", 1), OrderedLine("b", "p1", "S", 4)
        )
        first.backorder({"a": 1, "b": 4})
        first.hold("b", "w1", 0)
        await uow.reservations.add(first)
        await uow.reservations.add(_reservation(other, T0, OrderedLine("c", "p9", "S", 1)))
        await uow.reservations.lock([late, early])
    async with new_uow() as uow:
        assert await uow.reservations.queue("p1") == [
            Waiting(early, "a", "p1", 1),
            Waiting(early, "b", "p1", 4),
            Waiting(late, "l1", "p1", 2),
        ]
        assert await uow.reservations.queue("p2") == []
        assert await uow.reservations.backordered(["p1", "p2", "p9"]) == {"p1": 7}
        assert await uow.reservations.line_products(late) == ["p1", "p2"]
        assert await uow.reservations.held_products(early, "w1") == ["p1"]
        assert await uow.reservations.held_products(early, "w2") == []


async def open_orders_placed_before_come_oldest_first(new_uow: NewUnitOfWork) -> None:
    ids = [_id() for _ in range(4)]
    async with new_uow() as uow:
        for i, order_id in enumerate(ids):
            await uow.reservations.add(_reservation(order_id, T0 - timedelta(hours=i)))
        approved = await uow.reservations.get(ids[2])
        assert approved is not None
        approved.approve(T0)
        await uow.reservations.save(approved)
    async with new_uow() as uow:
        due = await uow.reservations.open_placed_before(T0, 10)
        assert due == [ids[3], ids[1]]
        assert await uow.reservations.open_placed_before(T0 + timedelta(seconds=1), 2) == [
            ids[3],
            ids[1],
        ]


def _shipment(order_id: str, minutes: int) -> Shipment:
    shipment, _ = Shipment.dispatch(
        _id(),
        order_id,
        "w1",
        [ShippedLine("l1", "p1", 2), ShippedLine("l2", "p2", 1)],
        "DHL",
        "1Z",
        T0 + timedelta(minutes=minutes),
        "wendy",
    )
    return shipment


async def shipments_are_listed_newest_first(new_uow: NewUnitOfWork) -> None:
    order, other = _id(), _id()
    made = [_shipment(order, 1), _shipment(other, 2), _shipment(order, 3)]
    async with new_uow() as uow:
        for shipment in made:
            await uow.shipments.add(shipment)
    async with new_uow() as uow:
        assert [s.id for s in await uow.shipments.page(10)] == [s.id for s in made[::-1]]
        assert [s.id for s in await uow.shipments.page(10, order)] == [made[2].id, made[0].id]
        after = (made[2].created_at, made[2].id)
        assert [s.id for s in await uow.shipments.page(1, "", after)] == [made[1].id]
        found = await uow.shipments.get(made[0].id, for_update=True)
        assert found == made[0]
        assert found is not None
        found.move_to("in_transit", T0 + timedelta(hours=1))
        await uow.shipments.save(found)
    async with new_uow() as uow:
        assert await uow.shipments.get(made[0].id) == found
        assert await uow.shipments.get(_id()) is None


async def a_receipt_id_is_taken_once(new_uow: NewUnitOfWork) -> None:
    w = await _warehouse(new_uow)
    receipt = Receipt("R-1", w, "PO-1", [ReceivedLine("p1", 3), ReceivedLine("p2", 1)], T0, "wendy")
    async with new_uow() as uow:
        assert await uow.receipts.add(receipt)
        assert not await uow.receipts.add(Receipt("R-1", w, "", [ReceivedLine("p1", 9)], T0, "x"))
    async with new_uow() as uow:
        assert await uow.receipts.get("R-1") == receipt
        assert await uow.receipts.get("R-2") is None


async def expected_goods_are_replaced_and_count_what_arrived(new_uow: NewUnitOfWork) -> None:
    w, other = await _warehouse(new_uow), await _warehouse(new_uow)
    async with new_uow() as uow:
        await uow.expected_goods.count_received("PO-1", w, "p1", 4)  # before the announcement
        found = await uow.expected_goods.replace("PO-1", w, [("p1", 10), ("p2", 3)])
        assert found == [ExpectedLine("p1", 10, 4), ExpectedLine("p2", 3, 0)]
        await uow.expected_goods.replace("PO-2", other, [("p1", 1)])
    async with new_uow() as uow:
        assert await uow.expected_goods.incoming(["p1", "p2"]) == {
            (w, "p1"): 6,
            (w, "p2"): 3,
            (other, "p1"): 1,
        }
        assert await uow.expected_goods.incoming(["p1"], other) == {(other, "p1"): 1}
        again = await uow.expected_goods.replace("PO-1", w, [("p2", 5)])
        assert again == [ExpectedLine("p2", 5, 0)]
        assert await uow.expected_goods.incoming(["p1"], w) == {}
    async with new_uow() as uow:
        cut = [CancelledLine("p2", 2, 3), CancelledLine("p9", 0, 1)]
        await uow.expected_goods.cancel("PO-1", w, cut)
    async with new_uow() as uow:
        assert await uow.expected_goods.lines_of("PO-1") == {
            "p1": ExpectedUnits(0, 4, 0),
            "p2": ExpectedUnits(2, 0, 3),
            "p9": ExpectedUnits(0, 0, 1),
        }
        assert await uow.expected_goods.incoming(["p2"], w) == {(w, "p2"): 2}
        assert await uow.expected_goods.lines_of("PO-404") == {}


async def a_return_is_kept_once_and_saved_received(new_uow: NewUnitOfWork) -> None:
    lines = [ShippedLine("l1", "p1", 2), ShippedLine("l2", "p2", 1)]
    authorized = Return.authorize("r-1", "o-1", "damaged", lines, T0)
    async with new_uow() as uow:
        assert await uow.returns.add(authorized)
        assert not await uow.returns.add(Return.authorize("r-1", "o-2", "", [], T0))
    async with new_uow() as uow:
        found = await uow.returns.get("r-1", for_update=True)
        assert found == authorized
        assert found is not None
        found.receive("w1", T0 + timedelta(days=1), "wendy")
        await uow.returns.save(found)
    async with new_uow() as uow:
        assert await uow.returns.get("r-1") == found
        assert await uow.returns.get("r-2") is None


def _request(request_id: str, units: int) -> ClientRequest:
    content = pb.AdjustStockRequest(request_id=request_id, quantity_delta=units)
    return ClientRequest(request_id, fingerprint(content))


async def a_request_id_gives_its_first_result(new_uow: NewUnitOfWork) -> None:
    async with new_uow() as uow:
        assert await uow.requests.claim("adjust", None) is None
        assert await uow.requests.claim("adjust", _request("", 1)) is None
        assert await uow.requests.claim("adjust", _request("a-1", 1)) is None
        await uow.requests.complete("adjust", _request("a-1", 1), "result-1")
        assert await uow.requests.claim("adjust", _request("b-1", 1)) is None  # left open
    async with new_uow() as uow:
        assert await uow.requests.claim("adjust", _request("a-1", 1)) == "result-1"
        assert await uow.requests.claim("other", _request("a-1", 1)) is None

    async def claim(request: ClientRequest) -> str | None:
        async with new_uow() as uow:
            return await uow.requests.claim("adjust", request)

    for refused in (_request("a-1", 2), _request("b-1", 1)):
        with pytest.raises(AlreadyExists):
            await claim(refused)
    with pytest.raises(InvalidArgument):
        await claim(_request("x" * 101, 1))


async def a_unit_of_work_rolls_back_when_its_block_raises(new_uow: NewUnitOfWork) -> None:
    warehouse = Warehouse(_id(), "GONE", "Gone")

    async def fail() -> None:
        async with new_uow() as uow:
            assert await uow.warehouses.add(warehouse)
            await uow.lock_products(["p1", "p2"])
            await uow.publish([])
            raise RuntimeError("the use case failed")

    with pytest.raises(RuntimeError):
        await fail()
    async with new_uow() as uow:
        assert await uow.warehouses.missing([warehouse.id]) == [warehouse.id]


CHECKS: list[Callable[[NewUnitOfWork], Awaitable[None]]] = [
    warehouses_have_unique_codes_and_an_allocation_order,
    stock_levels_come_back_as_saved,
    a_level_left_oversold_is_never_saved,
    stock_levels_are_listed_by_product_then_warehouse,
    a_reservation_comes_back_as_saved,
    the_backorder_queue_is_first_placed_first_served,
    open_orders_placed_before_come_oldest_first,
    shipments_are_listed_newest_first,
    a_receipt_id_is_taken_once,
    expected_goods_are_replaced_and_count_what_arrived,
    a_return_is_kept_once_and_saved_received,
    a_request_id_gives_its_first_result,
    a_unit_of_work_rolls_back_when_its_block_raises,
]
