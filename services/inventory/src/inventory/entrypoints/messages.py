"""The use cases' results as inventory.v1 protobuf messages."""

from __future__ import annotations

from collections.abc import Sequence

from inventory.application.queries.availability import Availability
from inventory.application.queries.reservations import Ledger
from inventory.application.queries.stock import StockPosition
from inventory.domain.events import ShippedLine
from inventory.domain.receipt import Expectation, Receipt
from inventory.domain.returns import Return
from inventory.domain.shipment import Shipment
from inventory.domain.warehouse import Warehouse
from oms.inventory.v1 import inventory_pb2 as pb
from servicekit.grpc import timestamp


def warehouse(w: Warehouse) -> pb.Warehouse:
    return pb.Warehouse(id=w.id, code=w.code, name=w.name, priority=w.priority)


def level(s: StockPosition) -> pb.StockLevel:
    return pb.StockLevel(
        warehouse_id=s.warehouse_id,
        product_id=s.product_id,
        on_hand=s.on_hand,
        reserved=s.reserved,
        available=s.available,
        incoming=s.incoming,
        backordered=s.backordered,
        reorder_point=s.reorder_point,
    )


def _lines(lines: Sequence[ShippedLine]) -> list[pb.ShipmentLine]:
    return [
        pb.ShipmentLine(line_id=x.line_id, product_id=x.product_id, quantity=x.quantity)
        for x in lines
    ]


def shipment(s: Shipment) -> pb.Shipment:
    return pb.Shipment(
        id=s.id,
        order_id=s.order_id,
        warehouse_id=s.warehouse_id,
        lines=_lines(s.lines),
        carrier=s.carrier,
        tracking_number=s.tracking_number,
        status=s.status,
        created_at=timestamp(s.created_at),
        created_by=s.created_by,
        updated_at=timestamp(s.updated_at or s.created_at),
    )


def receipt(r: Receipt) -> pb.Receipt:
    return pb.Receipt(
        id=r.id,
        warehouse_id=r.warehouse_id,
        purchase_order_id=r.purchase_order_id,
        lines=[pb.ReceiptLine(product_id=x.product_id, quantity=x.quantity) for x in r.lines],
        created_at=timestamp(r.created_at),
        created_by=r.created_by,
    )


def expectation(e: Expectation) -> pb.ExpectGoodsResponse:
    return pb.ExpectGoodsResponse(
        purchase_order_id=e.purchase_order_id,
        warehouse_id=e.warehouse_id,
        lines=[
            pb.ExpectedLine(product_id=x.product_id, quantity=x.quantity, received=x.received)
            for x in e.lines
        ],
    )


def ledger(found: Ledger) -> pb.ListReservationsResponse:
    return pb.ListReservationsResponse(
        order_id=found.order_id,
        status=found.status,
        placed_at=timestamp(found.placed_at),
        lines=[
            pb.ReservationLine(
                line_id=line.line_id,
                product_id=line.product_id,
                quantity=line.quantity,
                backordered=line.backordered,
                allocations=[
                    pb.LineAllocation(
                        warehouse_id=a.warehouse_id,
                        reserved=a.reserved,
                        consumed=a.consumed,
                        released=a.released,
                    )
                    for a in line.allocations
                ],
            )
            for line in found.lines
        ],
        next_page_token=found.next_page_token,
        approved=found.approved,
        on_hold=found.on_hold,
        hold_reason=found.hold_reason,
    )


def returned(r: Return) -> pb.Return:
    message = pb.Return(
        return_id=r.return_id,
        order_id=r.order_id,
        warehouse_id=r.warehouse_id,
        lines=_lines(r.lines),
        status=r.status,
        received_by=r.received_by,
    )
    if r.received_at is not None:
        message.received_at.CopyFrom(timestamp(r.received_at))
    return message


def availability(found: Availability) -> pb.GetAvailabilityResponse:
    return pb.GetAvailabilityResponse(
        product_id=found.product_id,
        kind=found.kind,
        warehouses=[
            pb.WarehouseAvailability(warehouse_id=w, available=units)
            for w, units in found.warehouses
        ],
        total=found.total,
    )
