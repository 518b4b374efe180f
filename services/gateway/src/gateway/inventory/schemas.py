"""The inventory's REST bodies: warehouses by priority, stock with what is incoming and
backordered, receipts, transfers, reorder points, expected goods, the reservation ledger,
partial shipments, shipment statuses and returns. The inventory service validates the values
(and names the field at fault); these bound their sizes (422 naming the field) and document
them. Inventory replies carry quantities only: no prices or costs to withhold."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import Field

from gateway import examples as ex
from gateway.bodies import Count, Id, Request, Response, When
from gateway.inventory import examples as ix
from oms.inventory.v1 import inventory_pb2 as pb
from servicekit.bounds import MAX_QUANTITY

# Units added (> 0) or removed (< 0) by one adjustment.
Delta = Annotated[int, Field(ge=-MAX_QUANTITY, le=MAX_QUANTITY)]
ProductId = Annotated[str, Field(min_length=1, max_length=64)]
Reason = Annotated[str, Field(max_length=500)]


class WarehouseIn(Request):
    """A new warehouse."""

    model_config = ex.examples(ix.WAREHOUSE_IN)

    code: str = Field(max_length=32)
    name: str = Field(max_length=200)
    priority: int = Field(
        0, ge=-1_000_000, le=1_000_000, description="allocation order: lower first"
    )


class Warehouse(Response):
    """A warehouse; a lower `priority` is reserved from first."""

    model_config = ex.examples(ix.WAREHOUSE)

    id: str
    code: str
    name: str
    priority: int


class WarehousePage(Response):
    """A page of warehouses, in allocation order."""

    model_config = ex.examples(ex.page(ix.WAREHOUSE))

    items: list[Warehouse]
    next_page_token: str = Field(description="empty on the last page")


class StockAdjustmentIn(Request):
    """Units added to or removed from what a warehouse has on hand."""

    model_config = ex.examples(ix.STOCK_ADJUSTMENT_IN)

    warehouse_id: Id
    product_id: ProductId
    quantity_delta: Delta = Field(description="units to add (> 0) or remove (< 0); not 0")
    reason: Reason = Field(min_length=1)


class StockLevel(Response):
    """A product's stock in one warehouse."""

    model_config = ex.examples(ix.STOCK_LEVEL)

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


class StockLevelPage(Response):
    """A page of stock levels, by product, then warehouse."""

    model_config = ex.examples(ex.page(ix.STOCK_LEVEL))

    items: list[StockLevel]
    next_page_token: str = Field(description="empty on the last page")


class ReceiptLineIn(Request):
    """Units of a product received."""

    product_id: ProductId
    quantity: Count


class ReceiptIn(Request):
    """Goods received into a warehouse, against a purchase order or without one."""

    model_config = ex.examples(ix.RECEIPT_IN)

    warehouse_id: Id
    purchase_order_id: str = Field("", max_length=64, description="empty: goods without one")
    lines: list[ReceiptLineIn] = Field(max_length=1000)
    receipt_id: str = Field(
        "", max_length=64, description="optional: a receipt id seen before is not applied again"
    )


class ReceiptLine(Response):
    """Units of a product received."""

    product_id: str
    quantity: int


class Receipt(Response):
    """Goods received into a warehouse."""

    model_config = ex.examples(ix.RECEIPT)

    id: str
    warehouse_id: str
    purchase_order_id: str
    lines: list[ReceiptLine]
    created_at: When
    created_by: str


class TransferIn(Request):
    """Units moved from one warehouse to another."""

    model_config = ex.examples(ix.TRANSFER_IN)

    from_warehouse_id: Id
    to_warehouse_id: Id
    product_id: ProductId
    quantity: Count = Field(description="never what the source has reserved")
    reason: Reason = ""


class Transfer(Response):
    """A transfer made, with both warehouses' new levels."""

    model_config = ex.examples(ix.TRANSFER)

    transfer_id: str
    from_level: StockLevel
    to_level: StockLevel


class ReorderPointIn(Request):
    """The level below which LowStock is published (0: none)."""

    model_config = ex.examples(ix.REORDER_POINT_IN)

    product_id: ProductId
    warehouse_id: Id
    reorder_point: int = Field(ge=0, le=MAX_QUANTITY, description="0 removes it")


class ExpectedLineIn(Request):
    """Units of a product a purchase order brings."""

    product_id: ProductId
    quantity: Count


class ExpectedGoodsIn(Request):
    """The whole expectation of a purchase order: announcing it again replaces it."""

    model_config = ex.examples(ix.EXPECTED_GOODS_IN)

    purchase_order_id: str = Field(min_length=1, max_length=64)
    warehouse_id: Id
    lines: list[ExpectedLineIn] = Field(max_length=1000)


class ExpectedLine(Response):
    """Units of a product expected, and how many have been received."""

    product_id: str
    quantity: int
    received: int


class ExpectedGoods(Response):
    """What a purchase order is expected to bring into a warehouse."""

    model_config = ex.examples(ix.EXPECTED_GOODS)

    purchase_order_id: str
    warehouse_id: str
    lines: list[ExpectedLine]


class LineAllocation(Response):
    """What an order line holds in one warehouse."""

    warehouse_id: str
    reserved: int = Field(description="held now")
    consumed: int = Field(description="shipped")
    released: int = Field(description="let go: cancelled, reduced or expired")


class ReservationLine(Response):
    """An order line's reservations, per warehouse."""

    line_id: str
    product_id: str
    quantity: int = Field(description="units the order wants now")
    backordered: int = Field(description="units waiting for stock")
    allocations: list[LineAllocation]


class Reservations(Response):
    """An order's reservation ledger: a page of its lines."""

    model_config = ex.examples(ix.RESERVATIONS)

    order_id: str
    status: str = Field(description="open, approved, cancelled, expired or rejected")
    placed_at: When
    lines: list[ReservationLine] = Field(description="a page of the order's lines, in order")
    next_page_token: str = Field(description="empty on the last page")
    approved: bool = Field(description="orders approved the order")
    on_hold: bool = Field(description="orders holds the order: it may not ship")
    hold_reason: str


class ShipLineIn(Request):
    """Units of an order line to ship."""

    line_id: Id
    quantity: Count = Field(description="at most what the line holds in the warehouse")


class ShipmentIn(Request):
    """Ships what an approved order, not on hold, holds in the warehouse."""

    model_config = ex.examples(ix.SHIPMENT_IN)

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
    """Units of an order line in a shipment or return."""

    line_id: str
    product_id: str
    quantity: int


class OrderShipment(Response):
    """A shipment as an order's summary shows it."""

    model_config = ex.examples(ex.ORDER_SHIPMENT)

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
    """A shipment of an order from one warehouse."""

    model_config = ex.examples(ix.SHIPMENT)

    status: str = Field(description="dispatched, in_transit or delivered")
    updated_at: When


class ShipmentPage(Response):
    """A page of shipments, newest first."""

    model_config = ex.examples(ex.page(ix.SHIPMENT))

    items: list[Shipment]
    next_page_token: str = Field(description="empty on the last page")


class ShipmentStatusIn(Request):
    """Where the shipment is now."""

    model_config = ex.examples(ix.SHIPMENT_STATUS_IN)

    status: Literal["in_transit", "delivered"]


class ReturnReceiptIn(Request):
    """The warehouse the returned goods go back into."""

    model_config = ex.examples(ix.RETURN_RECEIPT_IN)

    warehouse_id: Id


class Return(Response):
    """An authorised return, and its receipt once received."""

    model_config = ex.examples(ix.RETURN)

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
