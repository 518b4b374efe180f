"""The REST API's request and response bodies. Money is a decimal string with a currency."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from gateway.document_schemas import DiscountIn, HasDocument, PricedDocument, TaxRateIn
from oms.procurement.v1.procurement_pb2 import PurchaseOrderLineInput
from oms.quoting.v1.quoting_pb2 import LineInput
from oms.types.v1.types_pb2 import Money as MoneyMessage


def _from_timestamp(value: Any) -> Any:
    return value.ToDatetime(tzinfo=UTC) if isinstance(value, Timestamp) else value


When = Annotated[datetime, BeforeValidator(_from_timestamp)]

# Quantities are bounded so that no request can overflow the wire's 64-bit integers.
Quantity = Annotated[int, Field(ge=-1_000_000_000, le=1_000_000_000)]
LineMessage = TypeVar("LineMessage", LineInput, PurchaseOrderLineInput)


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Response(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class MoneyIn(Request):
    amount: str = Field(examples=["12.50"], max_length=40)
    currency: str = Field(examples=["EUR"], min_length=3, max_length=3)

    def to_proto(self) -> MoneyMessage:
        return MoneyMessage(amount=self.amount, currency=self.currency)


class PricedLineIn(Request):
    """What a priced document's line says of its price, however the line is identified."""

    quantity: Quantity = Field(description="whole units, > 0")
    unit_price: MoneyIn | None = None
    discount: DiscountIn | None = None
    taxes: list[TaxRateIn] = Field(default_factory=list, max_length=20)

    def priced(self, line: LineMessage) -> LineMessage:
        """`line` (a proto line message) with this line's quantity, price, discount and taxes."""
        line.quantity = self.quantity
        line.taxes.extend(t.to_proto() for t in self.taxes)
        if self.unit_price is not None:
            line.unit_price.CopyFrom(self.unit_price.to_proto())
        if self.discount is not None:
            line.discount.CopyFrom(self.discount.to_proto())
        return line


class Money(Response):
    amount: str
    currency: str


class ProductIn(Request):
    sku: str = Field(max_length=64)
    name: str = Field(max_length=200)
    description: str = Field("", max_length=5000)
    list_price: MoneyIn
    category_id: str = Field("", max_length=36)
    attributes: dict[str, str] = Field(default_factory=dict, examples=[{"colour": "blue"}])


class ProductChange(Request):
    name: str = Field(max_length=200)
    description: str = Field("", max_length=5000)


class Product(Response):
    id: str
    sku: str
    name: str
    description: str
    list_price: Money
    active: bool
    created_at: When
    created_by: str
    category_id: str
    attributes: dict[str, str]


class ProductPage(Response):
    items: list[Product]
    next_cursor: str


class CategoryIn(Request):
    name: str = Field(max_length=200)
    parent_id: str = Field("", max_length=36)


class Category(Response):
    id: str
    name: str
    parent_id: str


class PriceBreakIn(Request):
    product_id: str = Field(max_length=36)
    min_quantity: Quantity
    unit_price: str = Field(max_length=40, examples=["9.50"])


class PriceListIn(Request):
    name: str = Field(max_length=200)
    currency: str = Field(max_length=3)
    customer_group: str = Field("", max_length=100)
    valid_from: str = Field("", description="YYYY-MM-DD; empty: unbounded", max_length=10)
    valid_to: str = Field("", description="YYYY-MM-DD, inclusive; empty: unbounded", max_length=10)
    breaks: list[PriceBreakIn] = Field(max_length=10000)


class PriceBreak(Response):
    product_id: str
    min_quantity: int
    unit_price: str


class PriceList(Response):
    id: str
    name: str
    currency: str
    customer_group: str
    valid_from: str
    valid_to: str
    breaks: list[PriceBreak]


class ResolvedPrice(Response):
    unit_price: Money
    rule: str


class WarehouseIn(Request):
    code: str = Field(max_length=32)
    name: str = Field(max_length=200)


class Warehouse(Response):
    id: str
    code: str
    name: str


class Items(Response):
    items: list[Any]


class StockAdjustmentIn(Request):
    warehouse_id: str
    product_id: str
    quantity_delta: Quantity
    reason: str = Field(max_length=500)


class StockLevel(Response):
    warehouse_id: str
    product_id: str
    on_hand: int
    reserved: int
    available: int


class OrderLineIn(Request):
    product_id: str = Field(max_length=64)
    quantity: Quantity
    needed_by: str = Field("", max_length=10, examples=["2026-12-24"], description="YYYY-MM-DD")


class SalesOrderIn(Request):
    customer_id: str = Field(max_length=100)
    currency: str = Field(max_length=3)
    lines: list[OrderLineIn] = Field(max_length=500)
    channel: str = Field("direct", max_length=50)
    order_type: str = Field("standard", max_length=30, description="standard or contract")
    salesperson: str = Field("", max_length=200, description="the responsible person; you if empty")
    shipping_address: dict[str, str] = Field(default_factory=dict, max_length=20)


class SalesOrderLine(Response):
    id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    line_total: Money
    shipped: int
    needed_by: str
    reserved: int
    backordered: int
    returned: int
    unit_cost: str
    category_id: str


class SalesOrder(Response, HasDocument):
    """`document`: for an order made from a quote, the priced document as the quote had it."""

    id: str
    customer_id: str
    status: str
    status_reason: str
    currency: str
    channel: str
    lines: list[SalesOrderLine]
    total: Money
    created_at: When
    created_by: str
    updated_at: When
    quote_id: str = Field(description="the accepted quote it was made from; empty otherwise")
    document: PricedDocument | None = None
    order_type: str
    salesperson: str
    contract_number: str
    payment_terms: str
    shipping_address: dict[str, str]
    stock_status: str = Field(description="pending, reserved, backordered, rejected or released")
    credit_hold: str = Field(description="why it waits at approval; empty when it does not")
    estimated_cost: str
    next_stages: list[str] = Field(description="where the pipeline lets it go from here")


class OrderTotals(Response):
    currency: str
    orders: int
    total: Money


class SalesOrderPage(Response):
    items: list[SalesOrder]
    next_cursor: str
    totals: list[OrderTotals] = Field(description="of every order the filters match, per currency")


class ShipmentIn(Request):
    order_id: str
    warehouse_id: str
    carrier: str = Field(max_length=100)
    tracking_number: str = Field("", max_length=100)


class ShipmentLine(Response):
    line_id: str
    product_id: str
    quantity: int


class Shipment(Response):
    id: str
    order_id: str
    warehouse_id: str
    lines: list[ShipmentLine]
    carrier: str
    tracking_number: str
    status: str
    created_at: When
    created_by: str


class InvoiceLine(Response):
    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    line_total: Money


class Invoice(Response, HasDocument):
    """`document`: groups, taxes and the engine's breakdown, when it bills a priced document."""

    id: str
    number: str
    order_id: str
    shipment_id: str
    customer_id: str
    lines: list[InvoiceLine]
    total: Money
    status: str
    issued_at: When
    quote_id: str = Field(description="the accepted quote it was made from directly, if any")
    document: PricedDocument | None = None


class OrderSummary(Response):
    """The order-360 view: the order, its shipments and its invoices."""

    order: SalesOrder
    shipments: list[Shipment]
    invoices: list[Invoice]
