"""Each published event becomes its protobuf message, keyed as consumers expect."""

from __future__ import annotations

from inventory.adapters.events import to_message
from inventory.domain import events as domain
from oms.events.v1 import inventory_pb2 as pb

RESERVED = (domain.ReservedLine("l1", "p1", "w1", 2),)
WAITING = (domain.BackorderedLine("l2", "p2", 1),)
SHIPPED = (domain.ShippedLine("l1", "p1", 2),)


def test_every_event_has_its_message_and_key() -> None:
    cases = [
        (domain.StockReserved("o-1", RESERVED), pb.StockReserved, "o-1"),
        (domain.StockPartiallyReserved("o-1", RESERVED, WAITING), pb.StockPartiallyReserved, "o-1"),
        (
            domain.StockRejected("o-1", "none", (domain.Shortage("p1", 3, 1),)),
            pb.StockRejected,
            "o-1",
        ),
        (domain.BackorderAllocated("o-1", RESERVED, True), pb.BackorderAllocated, "o-1"),
        (
            domain.ReservationReleased("o-1", RESERVED, "changed", WAITING),
            pb.ReservationReleased,
            "o-1",
        ),
        (
            domain.ShipmentDispatched("s-1", "o-1", "w1", SHIPPED, "DHL", "1Z"),
            pb.ShipmentDispatched,
            "o-1",
        ),
        (
            domain.ShipmentStatusChanged("s-1", "o-1", "dispatched", "in_transit"),
            pb.ShipmentStatusChanged,
            "o-1",
        ),
        (domain.ReturnReceived("r-1", "o-1", "w1", SHIPPED), pb.ReturnReceived, "o-1"),
        (domain.LowStock("p1", "w1", 4, 5), pb.LowStock, "p1"),
        (domain.AvailabilityChanged("p1", "w1", 4), pb.AvailabilityChanged, "p1"),
        (
            domain.GoodsReceived("R-1", "PO-1", "w1", (domain.ReceivedLine("p1", 4),)),
            pb.GoodsReceived,
            "R-1",
        ),
    ]
    for event, kind, key in cases:
        message, found = to_message(event)
        assert (type(message), found) == (kind, key)


def test_the_messages_carry_every_figure() -> None:
    message, _ = to_message(domain.ReservationReleased("o-1", RESERVED, "expired", WAITING))
    assert message == pb.ReservationReleased(
        order_id="o-1",
        lines=[pb.ReservedLine(line_id="l1", product_id="p1", warehouse_id="w1", quantity=2)],
        reason="expired",
        backorders_dropped=[pb.BackorderedLine(line_id="l2", product_id="p2", quantity=1)],
    )
    rejected, _ = to_message(domain.StockRejected("o-1", "why", (domain.Shortage("p1", 3, 1),)))
    assert rejected == pb.StockRejected(
        order_id="o-1",
        reason="why",
        shortages=[pb.Shortage(product_id="p1", requested=3, available=1)],
    )
