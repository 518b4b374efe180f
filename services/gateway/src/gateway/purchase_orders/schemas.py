"""The bodies of /purchase-orders and /reorder-rules. A purchase order is a priced document
entered like a quote (gateway.documents); procurement prices it, a contract's price first. A
warehouse reader gets purchase orders and reorder rules without prices: those fields are null and
`prices_hidden` is true. Procurement validates the values; these bound every size, quantity and
id."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from gateway.bodies import Code, Count, Id, Money, MoneyIn, Request, Response, When
from gateway.documents import (
    HasDocument,
    PricedDocument,
    PricedDocumentIn,
    PricedGroupIn,
    PricedLineIn,
)
from gateway.examples import examples, page
from gateway.purchase_orders import examples as ex
from oms.procurement.v1 import procurement_pb2 as pb
from oms.types.v1.types_pb2 import Money as MoneyMessage
from servicekit.bounds import MAX_QUANTITY


def _no_price_is_null(value: Any) -> Any:
    """A price the service left out (prices_hidden) reads as an empty Money message."""
    return None if isinstance(value, MoneyMessage) and not value.currency else value


Price = Annotated[Money | None, BeforeValidator(_no_price_is_null)]


class PurchaseOrderLineIn(PricedLineIn):
    """A product to order: how many, and its unit price unless a contract with the supplier prices
    it."""

    model_config = examples(ex.LINE_IN)

    product_id: Code = Field(description="one line per product in the whole order")
    sku: Code = ""
    unit_price: MoneyIn | None = Field(
        None, description="required unless a contract with the supplier prices the product"
    )


class PurchaseOrderGroupIn(PricedGroupIn[PurchaseOrderLineIn]):
    """Lines of a purchase order priced together."""

    model_config = examples(ex.GROUP_IN)

    name: str = Field("", max_length=200, description='empty: "Items"')
    lines: list[PurchaseOrderLineIn] = Field(default_factory=list, max_length=1000)


class PurchaseOrderIn(PricedDocumentIn[PurchaseOrderGroupIn]):
    """Everything a purchase order says; the procurement service prices it."""

    model_config = examples(ex.PURCHASE_ORDER_IN)

    supplier_id: Id
    warehouse_id: Code = Field(description="where the goods are to arrive")
    currency: str = Field("", max_length=3, description="empty: the supplier's")
    expected_on: str = Field("", max_length=10, description="YYYY-MM-DD; empty: in 14 days")
    payment_terms: str = Field("", max_length=500, description="empty: the supplier's")
    notes: str = Field("", max_length=5000)
    groups: list[PurchaseOrderGroupIn] = Field(default_factory=list, max_length=1000)

    def to_proto(self) -> pb.PurchaseOrderContent:
        return self.fill(
            pb.PurchaseOrderContent(
                supplier_id=self.supplier_id,
                warehouse_id=self.warehouse_id,
                currency=self.currency,
                expected_on=self.expected_on,
                payment_terms=self.payment_terms,
                notes=self.notes,
            )
        )


class CancelPurchaseOrderIn(Request):
    """Why a purchase order is cancelled (kept in its history)."""

    model_config = examples(ex.CANCEL_IN)

    reason: str = Field("", max_length=2000)


class ReduceLineIn(Request):
    """What a purchase order's line now orders, and why."""

    model_config = examples(ex.REDUCE_IN)

    quantity: int = Field(
        ge=0, le=1_000_000, description="what the line now orders; the rest is cancelled"
    )
    reason: str = Field("", max_length=2000)


class PurchaseOrderLine(Response):
    """A line of a purchase order: what was ordered, received, cancelled and billed of a product."""

    model_config = examples(ex.LINE)

    line_id: str
    product_id: str
    sku: str
    quantity: int
    received: int
    cancelled: int = Field(0, description="units cancelled: never received nor billed")
    billed: int = Field(0, description="units the supplier's bills billed so far")
    unit_price: Price = Field(description="null when prices are hidden")
    price_rule: str = Field(description='e.g. "entered" or the contract that priced it')


class PurchaseOrderReceipt(Response):
    """Goods of a purchase order received at the warehouse."""

    model_config = examples(ex.RECEIPT)

    receipt_id: str
    product_id: str
    quantity: int
    note: str = Field(description="set when the receipt did not match the order")
    received_at: When


class PurchaseOrderStatusChange(Response):
    """A step in a purchase order's history: from which status to which, why, when and by whom."""

    model_config = examples(ex.STATUS_CHANGE)

    from_status: str
    to_status: str
    reason: str
    at: When
    by: str


class PurchaseOrder(HasDocument):
    """A purchase order to a supplier: its lines, receipts, history and bill (prices null for the
    warehouse)."""

    model_config = examples(ex.PURCHASE_ORDER)

    id: str
    number: str = Field(examples=["PO-2026-000001"])
    supplier_id: str
    warehouse_id: str
    currency: str
    status: str = Field(
        description="draft, sent, partially_received, received, billed, closed or cancelled"
    )
    total: Price = Field(description="null when prices are hidden")
    expected_on: str
    payment_terms: str
    notes: str
    lines: list[PurchaseOrderLine]
    receipts: list[PurchaseOrderReceipt]
    history: list[PurchaseOrderStatusChange]
    source: str = Field(description="manual, rfq or reorder")
    rfq_id: str
    bill_id: str
    bill_status: str
    created_at: When
    created_by: str
    updated_at: When
    document: PricedDocument | None = Field(None, description="null when prices are hidden")
    prices_hidden: bool = Field(
        description="true for a reader who may not see prices (the warehouse)"
    )


class PurchaseOrderPage(Response):
    """A page of purchase orders, newest first."""

    model_config = examples(page(ex.PURCHASE_ORDER))

    items: list[PurchaseOrder]
    next_page_token: str = Field(description="empty on the last page")


class ReorderRuleIn(Request):
    """Keeps a product's stock in a warehouse between `minimum` and `maximum`."""

    model_config = examples(ex.REORDER_RULE_IN)

    product_id: Code
    warehouse_id: Code
    sku: Code = ""
    minimum: int = Field(ge=0, le=MAX_QUANTITY - 1)
    maximum: Count = Field(description=f"greater than the minimum, at most {MAX_QUANTITY:,}")
    supplier_id: Id = Field(description="the preferred supplier")
    unit_price: MoneyIn = Field(description="the last known price, in the supplier's currency")
    lead_time_days: int = Field(0, ge=0, le=3650, description="0: 14 days")

    def to_proto(self) -> pb.SetReorderRuleRequest:
        return pb.SetReorderRuleRequest(
            product_id=self.product_id,
            warehouse_id=self.warehouse_id,
            sku=self.sku,
            minimum=self.minimum,
            maximum=self.maximum,
            supplier_id=self.supplier_id,
            unit_price=self.unit_price.to_proto(),
            lead_time_days=self.lead_time_days,
        )


class ReorderRule(Response):
    """How a product's stock in a warehouse is kept between a minimum and a maximum, from which
    supplier."""

    model_config = examples(ex.REORDER_RULE)

    product_id: str
    warehouse_id: str
    sku: str
    minimum: int
    maximum: int
    supplier_id: str
    unit_price: Price = Field(description="null when prices are hidden")
    lead_time_days: int
    updated_at: When
    updated_by: str
    prices_hidden: bool


class ReorderRulePage(Response):
    """A page of reorder rules, by warehouse and product."""

    model_config = examples(page(ex.REORDER_RULE))

    items: list[ReorderRule]
    next_page_token: str = Field(description="empty on the last page")
