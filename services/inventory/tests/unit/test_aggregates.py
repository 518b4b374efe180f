"""The aggregates' transitions, and the events they return."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from inventory.domain.allocation import Demand, Fill
from inventory.domain.events import (
    BackorderAllocated,
    BackorderedLine,
    LowStock,
    ReservationReleased,
    ReservedLine,
    ReturnReceived,
    ShipmentStatusChanged,
    ShippedLine,
    StockMoved,
    StockPartiallyReserved,
    StockReserved,
)
from inventory.domain.line_changes import Cut
from inventory.domain.reservation import OrderedLine, Reservation, Status
from inventory.domain.returns import Return
from inventory.domain.shipment import Shipment
from inventory.domain.stock import StockLevel
from servicekit.errors import FailedPrecondition

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LINES = [OrderedLine("a", "p1", "S-1", 5), OrderedLine("b", "p2", "S-2", 2)]


def opened() -> Reservation:
    """Line a: 3 held in w1, 2 waiting; line b: 2 held in w2."""
    reservation = Reservation.open("o-1", LINES, T0, {"a": 2})
    reservation.hold("a", "w1", 3)
    reservation.hold("b", "w2", 2)
    return reservation


def test_a_reservation_says_what_it_holds_and_what_waits() -> None:
    reservation = opened()
    assert reservation.announce() == StockPartiallyReserved(
        "o-1",
        (ReservedLine("a", "p1", "w1", 3), ReservedLine("b", "p2", "w2", 2)),
        (BackorderedLine("a", "p1", 2),),
    )
    filled = reservation.fill([Fill("o-1", "a", "p1", "w3", 2)])
    assert filled == BackorderAllocated("o-1", (ReservedLine("a", "p1", "w3", 2),), True)
    assert isinstance(reservation.announce(), StockReserved)


def test_letting_go_releases_everything_once() -> None:
    reservation = opened()
    (released,) = reservation.let_go(Status.CANCELLED, T0)
    assert released == ReservationReleased(
        "o-1",
        (ReservedLine("a", "p1", "w1", 3), ReservedLine("b", "p2", "w2", 2)),
        "cancelled",
        (BackorderedLine("a", "p1", 2),),
    )
    assert (reservation.status, reservation.closed_at, reservation.waiting) == (
        Status.CANCELLED,
        T0,
        0,
    )
    assert [(h.reserved, h.released) for h in reservation.ledger] == [(0, 3), (0, 2)]
    assert reservation.let_go(Status.CANCELLED, T0) == []


def test_a_resized_order_asks_for_more_and_gives_back_from_its_last_warehouses_first() -> None:
    reservation = opened()
    reservation.hold("b", "w1", 0)
    reservation.hold("b", "w3", 1)
    reservation.line("b").quantity = 3
    resizing = reservation.resize(
        [OrderedLine("a", "p1", "S-1", 7), OrderedLine("c", "p9", "S-9", 1)]
    )
    assert resizing.more == [Demand("c", "p9", 1), Demand("a", "p1", 2)]
    assert resizing.cuts == [Cut("b", "p2", 0, 3)]
    assert [(x.line_id, x.quantity) for x in reservation.lines] == [("a", 7), ("b", 0), ("c", 1)]
    (released,) = reservation.release_cuts(resizing.cuts, ["w3", "w2", "w1"])
    assert released.lines == (ReservedLine("b", "p2", "w2", 2), ReservedLine("b", "p2", "w3", 1))
    renamed = reservation.resize([OrderedLine("a", "p7", "S-7", 7)])
    assert renamed.other_product == ["a"]


def test_an_order_ships_only_approved_and_not_held_and_at_most_what_it_holds() -> None:
    reservation = opened()
    with pytest.raises(FailedPrecondition, match="not approved yet"):
        reservation.ship_from("w1", [])
    reservation.approve(T0)
    with pytest.raises(FailedPrecondition):
        reservation.approve(T0)  # approved already
    reservation.change_hold(True, "")
    with pytest.raises(FailedPrecondition, match="on hold: no reason given"):
        reservation.ship_from("w1", [])
    reservation.change_hold(False, "ignored")
    assert reservation.hold_reason == ""
    with pytest.raises(FailedPrecondition, match="nothing reserved for order o-1 in warehouse w9"):
        reservation.ship_from("w9", [])
    assert reservation.ship_from("w1", [("a", 1)]) == [ShippedLine("a", "p1", 1)]
    assert reservation.ship_from("w1", []) == [ShippedLine("a", "p1", 2)]
    assert [(h.reserved, h.consumed) for h in reservation.ledger] == [(0, 3), (2, 0)]


def test_a_stock_level_never_holds_more_than_it_has() -> None:
    level = StockLevel("w1", "p1", on_hand=5, reserved=1, reorder_point=4)
    assert level.hold(3, "o-1", "placed") == StockMoved(
        "w1", "p1", 0, 3, "reservation", "placed", "o-1"
    )
    assert level.check_low() == [LowStock("p1", "w1", 1, 4)]
    assert level.check_low() == []  # once per crossing
    with pytest.raises(FailedPrecondition, match="2 units of p1 are not available in w1"):
        level.hold(2, "o-2", "placed")
    with pytest.raises(FailedPrecondition, match="w1 holds fewer than 5 units of p1"):
        level.release(5, "o-1", "cancelled")
    with pytest.raises(FailedPrecondition, match="less on hand than is reserved"):
        level.put(-2, kind="adjustment", reason="broken")
    level.consume(4, "s-1", "shipped")
    assert (level.on_hand, level.reserved, level.set_reorder_point(0)) == (1, 0, 4)


def test_a_shipment_and_a_return_move_forward_once() -> None:
    shipment, _ = Shipment.dispatch("s-1", "o-1", "w1", [], " DHL ", "", T0, "wendy")
    assert shipment.move_to("in_transit", T0) == [
        ShipmentStatusChanged("s-1", "o-1", "dispatched", "in_transit")
    ]
    assert shipment.move_to("in_transit", T0) == []
    returned = Return.authorize("r-1", "o-1", "", [ShippedLine("a", "p1", 0)], T0)
    assert returned.lines == []
    assert returned.receive("w1", T0, "wendy") == [ReturnReceived("r-1", "o-1", "w1", ())]
    with pytest.raises(FailedPrecondition, match="received already, in warehouse w1"):
        returned.receive("w2", T0, "wendy")
