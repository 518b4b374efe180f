"""The REST API's request and response bodies. Money is a decimal string with a currency."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Path, Query
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from gateway.document_schemas import DiscountIn, HasDocument, PricedDocument, TaxRateIn
from oms.procurement.v1.procurement_pb2 import PurchaseOrderLineInput
from oms.quoting.v1.quoting_pb2 import LineInput
from oms.types.v1.types_pb2 import Money as MoneyMessage
from servicekit.bounds import MAX_ID_LENGTH, MAX_QUANTITY


def _from_timestamp(value: Any) -> Any:
    return value.ToDatetime(tzinfo=UTC) if isinstance(value, Timestamp) else value


When = Annotated[datetime, BeforeValidator(_from_timestamp)]

# Quantities are bounded so that no request can overflow the wire's 64-bit integers.
Quantity = Annotated[int, Field(ge=-1_000_000_000, le=1_000_000_000)]
# Bounds for any route: an id (ours are UUIDs, clients' references shorter than this), a
# quantity of one line or movement, and a page of a list (query parameters).
Id = Annotated[str, Field(max_length=MAX_ID_LENGTH)]
Count = Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
IdQuery = Annotated[str, Query(max_length=MAX_ID_LENGTH)]
IdPath = Annotated[str, Path(max_length=MAX_ID_LENGTH)]
PageSize = Annotated[int, Query(ge=1, le=200, description="1 to 200")]
PageToken = Annotated[
    str, Query(max_length=1000, description="the next_page_token of the page before")
]
LineMessage = TypeVar("LineMessage", LineInput, PurchaseOrderLineInput)


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Response(BaseModel):
    model_config = ConfigDict(from_attributes=True)


AMOUNT_PATTERN = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$"


class MoneyIn(Request):
    """An amount that fits where money is kept: at most 12 digits before the point, 6 after."""

    amount: str = Field(examples=["12.50"], max_length=20, pattern=AMOUNT_PATTERN)
    currency: str = Field(examples=["EUR"], pattern="^[A-Z]{3}$", description="ISO 4217")

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
    product_id: Id
    quantity: Count
    needed_by: str = Field("", max_length=10, examples=["2026-12-24"], description="YYYY-MM-DD")


AddressKey = Annotated[str, Field(min_length=1, max_length=50)]
AddressValue = Annotated[str, Field(max_length=200)]


class SalesOrderIn(Request):
    customer_id: Id = Field(description="a registered customer (a channel registers guests)")
    currency: str = Field(max_length=3)
    lines: list[OrderLineIn] = Field(max_length=500)
    channel: str = Field("direct", max_length=50)
    order_type: str = Field("standard", max_length=30, description="standard or contract")
    salesperson: str = Field(
        "",
        max_length=200,
        description="you if empty; only the order desk or a sales manager names someone else",
    )
    shipping_address: dict[AddressKey, AddressValue] = Field(default_factory=dict, max_length=20)
    external_reference: Id = Field(
        "",
        examples=["WC-1001"],
        description="the channel's own order number: a second order with it returns the first",
    )


def _unset_as_null(value: Any, names: tuple[str, ...]) -> Any:
    """A protobuf message's fields, with the sub-messages `names` left unset as null (a proto3
    sub-message reads as an empty default when unset)."""
    if isinstance(value, Message):
        value = {f.name: getattr(value, f.name) for f in value.DESCRIPTOR.fields}
    if isinstance(value, dict):
        for name in names:
            found = value.get(name)
            if isinstance(found, Message) and not found.ByteSize():
                value[name] = None
    return value


class SalesOrderLine(Response):
    """`unit_price` and `line_total` are null for a caller who may not see prices."""

    id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money | None
    line_total: Money | None
    shipped: int
    needed_by: str
    reserved: int
    backordered: int
    returned: int
    unit_cost: str = Field(description="empty but for the order desk and finance")
    category_id: str

    @model_validator(mode="before")
    @classmethod
    def _hidden_prices_are_null(cls, value: Any) -> Any:
        return _unset_as_null(value, ("unit_price", "line_total"))


class SalesOrder(Response, HasDocument):
    """`document`: for an order made from a quote, the priced document as the quote had it.
    For the warehouse and purchasing (`prices_hidden`) prices, totals and the document are null
    and costs empty."""

    id: str
    customer_id: str
    status: str
    status_reason: str
    currency: str
    channel: str
    lines: list[SalesOrderLine]
    total: Money | None
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
    estimated_cost: str = Field(description="empty but for the order desk and finance")
    next_stages: list[str] = Field(description="where the pipeline lets it go from here")
    external_reference: str = Field(description="the channel's own order number, if any")
    team: str = Field(description="the sales team of whoever placed it")
    prices_hidden: bool = Field(description="true when the caller may not see prices")

    @model_validator(mode="before")
    @classmethod
    def _hidden_prices_are_null(cls, value: Any) -> Any:
        return _unset_as_null(value, ("total", "document"))


class OrderTotals(Response):
    currency: str
    orders: int
    total: Money


class SalesOrderPage(Response):
    items: list[SalesOrder]
    next_page_token: str = Field(description="empty on the last page")
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
    """The order-360 view: the order, its shipments and its invoices (none for the warehouse and
    purchasing, who see no prices)."""

    order: SalesOrder
    shipments: list[Shipment]
    invoices: list[Invoice]
