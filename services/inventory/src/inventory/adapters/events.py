"""Domain events as the protobuf messages other services read (oms.events.v1 inventory), each
with its outbox key: the order for reservations, shipments and returns, the product for low
stock, the receipt for goods received."""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf.message import Message

from inventory.domain import events as domain
from oms.events.v1 import inventory_pb2 as pb


def _reserved(lines: Iterable[domain.ReservedLine]) -> list[pb.ReservedLine]:
    return [
        pb.ReservedLine(
            line_id=x.line_id,
            product_id=x.product_id,
            warehouse_id=x.warehouse_id,
            quantity=x.quantity,
        )
        for x in lines
    ]


def _backordered(lines: Iterable[domain.BackorderedLine]) -> list[pb.BackorderedLine]:
    return [
        pb.BackorderedLine(line_id=x.line_id, product_id=x.product_id, quantity=x.quantity)
        for x in lines
    ]


def _shipped(lines: Iterable[domain.ShippedLine]) -> list[pb.ShippedLine]:
    return [
        pb.ShippedLine(line_id=x.line_id, product_id=x.product_id, quantity=x.quantity)
        for x in lines
    ]


def to_message(event: domain.Published) -> tuple[Message, str]:
    """The event's message and outbox key."""
    match event:
        case domain.LowStock():
            low = pb.LowStock(
                product_id=event.product_id,
                warehouse_id=event.warehouse_id,
                available=event.available,
                reorder_point=event.reorder_point,
            )
            return low, event.product_id
        case domain.AvailabilityChanged():
            changed = pb.AvailabilityChanged(
                product_id=event.product_id,
                warehouse_id=event.warehouse_id,
                available=event.available,
            )
            return changed, event.product_id
        case domain.GoodsReceived():
            received = pb.GoodsReceived(
                receipt_id=event.receipt_id,
                purchase_order_id=event.purchase_order_id,
                warehouse_id=event.warehouse_id,
                lines=[
                    pb.ReceivedLine(product_id=x.product_id, quantity=x.quantity)
                    for x in event.lines
                ],
            )
            return received, event.receipt_id
        case domain.ShipmentDispatched() | domain.ShipmentStatusChanged() | domain.ReturnReceived():
            return _shipping(event), event.order_id
        case _:
            return _reservation(event), event.order_id


def _reservation(event: domain.Published) -> Message:
    match event:
        case domain.StockReserved():
            return pb.StockReserved(order_id=event.order_id, lines=_reserved(event.lines))
        case domain.StockPartiallyReserved():
            return pb.StockPartiallyReserved(
                order_id=event.order_id,
                reserved=_reserved(event.reserved),
                backordered=_backordered(event.backordered),
            )
        case domain.StockRejected():
            shortages = [
                pb.Shortage(product_id=s.product_id, requested=s.requested, available=s.available)
                for s in event.shortages
            ]
            return pb.StockRejected(
                order_id=event.order_id, reason=event.reason, shortages=shortages
            )
        case domain.BackorderAllocated():
            return pb.BackorderAllocated(
                order_id=event.order_id, lines=_reserved(event.lines), complete=event.complete
            )
        case domain.ReservationReleased():
            return pb.ReservationReleased(
                order_id=event.order_id,
                lines=_reserved(event.lines),
                reason=event.reason,
                backorders_dropped=_backordered(event.backorders_dropped),
            )
    raise TypeError(f"no message for {event!r}")


def _shipping(
    event: domain.ShipmentDispatched | domain.ShipmentStatusChanged | domain.ReturnReceived,
) -> Message:
    match event:
        case domain.ShipmentDispatched():
            return pb.ShipmentDispatched(
                shipment_id=event.shipment_id,
                order_id=event.order_id,
                warehouse_id=event.warehouse_id,
                lines=_shipped(event.lines),
                carrier=event.carrier,
                tracking_number=event.tracking_number,
                channel=event.channel,
            )
        case domain.ShipmentStatusChanged():
            return pb.ShipmentStatusChanged(
                shipment_id=event.shipment_id,
                order_id=event.order_id,
                from_status=event.from_status,
                to_status=event.to_status,
            )
        case domain.ReturnReceived():
            return pb.ReturnReceived(
                return_id=event.return_id,
                order_id=event.order_id,
                warehouse_id=event.warehouse_id,
                lines=_shipped(event.lines),
            )
