"""The order desk's REST bodies: sales orders placed, read and listed, the order's summary,
moves through the pipeline, history, changes, cancellations, returns and costs recorded (the
reports and pipelines are gateway.orders.planning_schemas')."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from google.protobuf.message import Message
from pydantic import Field, model_validator

from gateway import examples as ex
from gateway.billing.schemas import Invoice
from gateway.bodies import AMOUNT_DIGITS, Count, Id, Money, Request, Response, When
from gateway.documents import (
    DiscountIn,
    HasDocument,
    PricedDocument,
    PricingPolicyIn,
    ShippingChargeIn,
)
from gateway.inventory.schemas import OrderShipment
from oms.orders.v1 import orders_pb2 as pb
from servicekit.bounds import MAX_QUANTITY


class OrderLineIn(Request):
    """A line of a new order: a product and how many."""

    product_id: Id
    quantity: Count
    needed_by: str = Field("", max_length=10, examples=["2026-12-24"], description="YYYY-MM-DD")
    unit_price: str = Field(
        "", max_length=40, examples=["9.50"], description="instead of the customer's price"
    )
    discount: DiscountIn | None = Field(None, description="more than the line is refused (422)")

    def to_proto(self) -> pb.PlaceSalesOrderLine:
        line = pb.PlaceSalesOrderLine(
            product_id=self.product_id,
            quantity=self.quantity,
            needed_by=self.needed_by,
            unit_price=self.unit_price,
        )
        if self.discount is not None:
            line.discount.CopyFrom(self.discount.to_proto())
        return line


AddressKey = Annotated[str, Field(min_length=1, max_length=50)]
AddressValue = Annotated[str, Field(max_length=200)]


class SalesOrderIn(Request):
    """A new sales order for a registered customer."""

    model_config = ex.examples(ex.SALES_ORDER_IN)

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
    discount: DiscountIn | None = Field(
        None, description="over every line after their own, shared in proportion"
    )
    shipping: list[ShippingChargeIn] = Field(
        default_factory=list,
        max_length=10,
        description="a charge without taxes is taxed as standard goods in the customer's zone",
    )
    policy: PricingPolicyIn | None = Field(
        None, description="absent: per line, half up, tax-exclusive prices"
    )

    def to_proto(self, request_id: str) -> pb.PlaceSalesOrderRequest:
        message = pb.PlaceSalesOrderRequest(
            customer_id=self.customer_id,
            currency=self.currency,
            channel=self.channel,
            order_type=self.order_type,
            salesperson=self.salesperson,
            shipping_address=self.shipping_address,
            lines=[x.to_proto() for x in self.lines],
            external_reference=self.external_reference,
            request_id=request_id,
            shipping=[s.to_proto() for s in self.shipping],
        )
        if self.discount is not None:
            message.discount.CopyFrom(self.discount.to_proto())
        if self.policy is not None:
            message.policy.CopyFrom(self.policy.to_proto())
        return message


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


class SalesOrder(HasDocument):
    """`document`: the priced document -- an order made from a quote has the quote's, one placed
    directly is priced the same way (totals, taxes per code and rate, each group's figures).
    For the warehouse and purchasing (`prices_hidden`) prices, totals and the document are null
    and costs empty."""

    model_config = ex.examples(ex.SALES_ORDER)

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
    stalled: str = Field(
        "", description="a saga step that stalled: which and why; empty when none did"
    )
    estimated_cost: str = Field(description="empty but for the order desk and finance")
    next_stages: list[str] = Field(description="where the pipeline lets it go from here")
    external_reference: str = Field(description="the channel's own order number, if any")
    team: str = Field(description="the sales team of whoever placed it")
    prices_hidden: bool = Field(description="true when the caller may not see prices")
    needs_review: bool = Field(
        False, description="a channel's own figures (WooCommerce) the engine did not reproduce"
    )
    review_note: str = Field("", description="why it needs review: the differences; else empty")

    @model_validator(mode="before")
    @classmethod
    def _hidden_prices_are_null(cls, value: Any) -> Any:
        return _unset_as_null(value, ("total", "document"))


class OrderTotals(Response):
    """The orders a query matches in one currency, and their total."""

    currency: str
    orders: int
    total: Money


class SalesOrderPage(Response):
    """A page of sales orders, with totals of every match per currency."""

    model_config = ex.examples(ex.SALES_ORDER_PAGE)

    items: list[SalesOrder]
    next_page_token: str = Field(description="empty on the last page")
    totals: list[OrderTotals] = Field(description="of every order the filters match, per currency")


class MissingPart(Response):
    """A part of the summary left out: its service could not answer now."""

    part: Literal["shipments", "invoices"]
    service: Literal["inventory", "billing"] = Field(description="the service that keeps it")
    reason: Literal["unavailable", "timeout", "failed"] = Field(
        description="unavailable: the service could not be reached; timeout: it did not answer "
        "within the gateway's deadline; failed: it answered with an internal error"
    )


class OrderSummary(Response):
    """The order-360 view: the order, its shipments and its invoices (none for the warehouse and
    purchasing, who see no prices). The order is required (no summary without it: 503 or 504
    when the orders service cannot answer); a part whose service cannot answer is left empty
    and named in `missing`, so a summary with a missing part is still 200."""

    model_config = ex.examples(ex.ORDER_SUMMARY)

    order: SalesOrder
    shipments: list[OrderShipment] = Field(description="empty, not known, when in `missing`")
    invoices: list[Invoice] = Field(description="empty, not known, when in `missing`")
    missing: list[MissingPart] = Field(
        default_factory=list,
        description="the parts left out because their service could not answer now; empty when "
        "the summary is whole",
        examples=[[{"part": "invoices", "service": "billing", "reason": "unavailable"}]],
    )


class TransitionIn(Request):
    """A move of the order to another stage of its pipeline."""

    model_config = ex.examples(ex.TRANSITION_IN)

    to_stage: str = Field(max_length=30, examples=["execution"])
    fields: dict[Annotated[str, Field(max_length=30)], Annotated[str, Field(max_length=200)]] = (
        Field(
            default_factory=dict,
            max_length=10,
            examples=[{"contract_number": "K-2026-17", "payment_terms": "30 days net"}],
            description="what the target stage requires: contract_number, payment_terms",
        )
    )
    reason: str = Field("", max_length=2000)
    release_credit_hold: bool = Field(False, description="finance only: move on despite the limit")


class HistoryEntry(Response):
    """A move or change of an order."""

    from_status: str = Field(description="empty for a change that is not a move")
    to_status: str
    reason: str
    note: str = Field(description="what changed, for a change that is not a move")
    actor: str
    caused_by: str = Field(description="the event that caused it, when one did")
    at: When


class History(Response):
    """A page of an order's history, oldest first."""

    model_config = ex.examples(ex.HISTORY)

    items: list[HistoryEntry]
    next_page_token: str = Field(description="empty on the last page")


class TimelineEntry(Response):
    """One event that concerned the order, from whichever service published it."""

    at: When = Field(description="when it happened (the event's time)")
    service: str = Field(description="the service that published it", examples=["inventory"])
    event_type: str = Field(examples=["oms.inventory.StockReserved.v1"])
    summary: str = Field(description="one line a person reads; never an amount of money")
    actor: str = Field(description="who made the change: a person, a service or `system`")
    cause_id: str = Field(description="the event or request that caused it; empty when none")
    correlation_id: str = Field(description="shared by every event of one business flow")
    trace_id: str = Field(description="the W3C trace id it was published in; empty when none")
    event_id: str = Field(description="the event's id, unique")


class Timeline(Response):
    """Everything that happened to an order across the suite, oldest first (then by event id),
    from the orders service's activity journal."""

    model_config = ex.examples(ex.TIMELINE)

    items: list[TimelineEntry]


class CancelIn(Request):
    """Why the order is cancelled."""

    model_config = ex.examples(ex.CANCEL_IN)

    reason: str = Field(max_length=2000)


class NewQuantityIn(Request):
    """A line's new quantity."""

    line_id: Id
    quantity: int = Field(ge=0, le=MAX_QUANTITY, description="0 drops the line")


class OrderChangeIn(Request):
    """New quantities or a new shipping address."""

    model_config = ex.examples(ex.ORDER_CHANGE_IN)

    lines: list[NewQuantityIn] = Field(
        default_factory=list, max_length=500, description="new quantities; 0 drops a line"
    )
    shipping_address: dict[AddressKey, AddressValue] | None = Field(None, max_length=20)


class ReturnLineIn(Request):
    """Units of a line to return."""

    line_id: Id
    quantity: Count


class ReturnIn(Request):
    """What is returned, and why."""

    model_config = ex.examples(ex.RETURN_IN)

    lines: list[ReturnLineIn] = Field(max_length=500)
    reason: str = Field(max_length=2000)


class ReturnAuthorised(Response):
    """The return authorised, and the order it is of."""

    model_config = ex.examples(ex.RETURN_AUTHORISED)

    return_id: str
    order: SalesOrder


class CostIn(Request):
    """An actual cost of an order."""

    model_config = ex.examples(ex.COST_IN)

    kind: Literal["goods", "shipping", "service", "other"]
    amount: str = Field(
        max_length=40,
        examples=["12.50"],
        description=f"in the order's currency, > 0: {AMOUNT_DIGITS}",
    )
    description: str = Field("", max_length=2000)
