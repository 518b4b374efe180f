"""The inventory's REST bodies: warehouses by priority, stock with what is incoming and
backordered, receipts, transfers, reorder points, expected goods, the reservation ledger,
partial shipments, shipment statuses and returns. The inventory service validates the values
(and names the field at fault); these bound their sizes (422 naming the field) and document
them. Inventory replies carry quantities only: no prices or costs to withhold."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from gateway.bodies import Count, Id, Request, Response, When
from oms.inventory.v1 import inventory_pb2 as pb
from servicekit.bounds import MAX_QUANTITY

# Units added (> 0) or removed (< 0) by one adjustment.
Delta = Annotated[int, Field(ge=-MAX_QUANTITY, le=MAX_QUANTITY)]
ProductId = Annotated[str, Field(min_length=1, max_length=64)]
Reason = Annotated[str, Field(max_length=500)]


class Page(Response):
    items: list[Any]
    next_page_token: str = Field(description="empty on the last page")


class WarehouseIn(Request):
    code: str = Field(max_length=32)
    name: str = Field(max_length=200)
    priority: int = Field(
        0, ge=-1_000_000, le=1_000_000, description="allocation order: lower first"
    )


class Warehouse(Response):
    id: str
    code: str
    name: str
    priority: int


class StockAdjustmentIn(Request):
    warehouse_id: Id
    product_id: ProductId
    quantity_delta: Delta = Field(description="units to add (> 0) or remove (< 0); not 0")
    reason: Reason = Field(min_length=1)


class StockLevel(Response):
    warehouse_id: str
    product_id: str
    on_hand: int
    reserved: int
    available: int
    incoming: int = Field(description="announced by purchase orders, not received yet")
    backordered: int = Field(
        description="units orders wait for, in any warehouse (the same on every level of the "
        "product)"
    )
    reorder_point: int = Field(description="LowStock is published below it; 0: none")


class ReceiptLineIn(Request):
    product_id: ProductId
    quantity: Count


class ReceiptIn(Request):
    warehouse_id: Id
    purchase_order_id: str = Field("", max_length=64, description="empty: goods without one")
    lines: list[ReceiptLineIn] = Field(max_length=1000)
    receipt_id: str = Field(
        "", max_length=64, description="optional: a receipt id seen before is not applied again"
    )


class ReceiptLine(Response):
    product_id: str
    quantity: int


class Receipt(Response):
    id: str
    warehouse_id: str
    purchase_order_id: str
    lines: list[ReceiptLine]
    created_at: When
    created_by: str


class TransferIn(Request):
    from_warehouse_id: Id
    to_warehouse_id: Id
    product_id: ProductId
    quantity: Count = Field(description="never what the source has reserved")
    reason: Reason = ""


class Transfer(Response):
    transfer_id: str
    from_level: StockLevel
    to_level: StockLevel


class ReorderPointIn(Request):
    product_id: ProductId
    warehouse_id: Id
    reorder_point: int = Field(ge=0, le=MAX_QUANTITY, description="0 removes it")


class ExpectedLineIn(Request):
    product_id: ProductId
    quantity: Count


class ExpectedGoodsIn(Request):
    """The whole expectation of a purchase order: announcing it again replaces it."""

    purchase_order_id: str = Field(min_length=1, max_length=64)
    warehouse_id: Id
    lines: list[ExpectedLineIn] = Field(max_length=1000)


class ExpectedLine(Response):
    product_id: str
    quantity: int
    received: int


class ExpectedGoods(Response):
    purchase_order_id: str
    warehouse_id: str
    lines: list[ExpectedLine]


class LineAllocation(Response):
    warehouse_id: str
    reserved: int = Field(description="held now")
    consumed: int = Field(description="shipped")
    released: int = Field(description="let go: cancelled, reduced or expired")


class ReservationLine(Response):
    line_id: str
    product_id: str
    quantity: int = Field(description="units the order wants now")
    backordered: int = Field(description="units waiting for stock")
    allocations: list[LineAllocation]


class Reservations(Response):
    order_id: str
    status: str = Field(description="open, approved, cancelled, expired or rejected")
    placed_at: When
    lines: list[ReservationLine] = Field(description="a page of the order's lines, in order")
    next_page_token: str = Field(description="empty on the last page")
    approved: bool = Field(description="orders approved the order")
    on_hold: bool = Field(description="orders holds the order: it may not ship")
    hold_reason: str


class ShipLineIn(Request):
    line_id: Id
    quantity: Count = Field(description="at most what the line holds in the warehouse")


class ShipmentIn(Request):
    """Ships what an approved order, not on hold, holds in the warehouse."""

    order_id: Id
    warehouse_id: Id
    carrier: str = Field(min_length=1, max_length=100)
    tracking_number: str = Field("", max_length=100)
    lines: list[ShipLineIn] = Field(
        default_factory=list,
        max_length=500,
        description="a partial shipment; empty: everything reserved in the warehouse",
    )


class ShipmentLine(Response):
    line_id: str
    product_id: str
    quantity: int


class OrderShipment(Response):
    """A shipment as an order's summary shows it."""

    id: str
    order_id: str
    warehouse_id: str
    lines: list[ShipmentLine]
    carrier: str
    tracking_number: str
    status: str
    created_at: When
    created_by: str


class Shipment(OrderShipment):
    status: str = Field(description="dispatched, in_transit or delivered")
    updated_at: When


class ShipmentStatusIn(Request):
    status: Literal["in_transit", "delivered"]


class ReturnReceiptIn(Request):
    warehouse_id: Id


class Return(Response):
    return_id: str
    order_id: str
    warehouse_id: str
    lines: list[ShipmentLine]
    status: str = Field(description="authorized or received")
    received_at: datetime | None
    received_by: str

    @classmethod
    def of(cls, returned: pb.Return) -> Return:
        return cls(
            return_id=returned.return_id,
            order_id=returned.order_id,
            warehouse_id=returned.warehouse_id,
            lines=[ShipmentLine.model_validate(x) for x in returned.lines],
            status=returned.status,
            received_at=returned.received_at.ToDatetime(tzinfo=UTC)
            if returned.HasField("received_at")
            else None,
            received_by=returned.received_by,
        )
