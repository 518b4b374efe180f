"""The procurement REST bodies: suppliers, RFQs and proposals, supplier contracts, purchase
orders (priced documents, like quotes) and reorder rules.

The procurement service validates the values and names every field at fault with the same paths
(`groups[0].lines[2].quantity`); these models check shapes and bound every size, quantity and
id. Amounts stay strings the service checks. A warehouse reader gets purchase orders and reorder
rules without prices: those fields are null and `prices_hidden` is true."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated, Any

from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import AwareDatetime, BeforeValidator, Field

from gateway.document_schemas import (
    DiscountIn,
    HasDocument,
    PricedDocument,
    PricingPolicyIn,
    ShippingChargeIn,
    TaxRateIn,
)
from gateway.schemas import Count, Id, Money, MoneyIn, PricedLineIn, Request, Response, When
from oms.procurement.v1 import procurement_pb2 as pb
from oms.types.v1.types_pb2 import Money as MoneyMessage


def _unset_is_null(value: Any) -> Any:
    if isinstance(value, Timestamp):
        return value.ToDatetime(tzinfo=UTC) if (value.seconds or value.nanos) else None
    return value


def _no_price_is_null(value: Any) -> Any:
    """A price the service left out (prices_hidden) reads as an empty Money message."""
    return None if isinstance(value, MoneyMessage) and not value.currency else value


MaybeWhen = Annotated[When | None, BeforeValidator(_unset_is_null)]
Price = Annotated[Money | None, BeforeValidator(_no_price_is_null)]
Date = Annotated[str, Field(max_length=10, examples=["2026-12-31"], description="YYYY-MM-DD")]
# Product, warehouse and SKU codes: the columns procurement keeps them in.
Code = Annotated[str, Field(max_length=64)]

# Suppliers


class ContactIn(Request):
    name: str = Field(max_length=200)
    email: str = Field("", max_length=320)
    phone: str = Field("", max_length=50)
    role: str = Field("", max_length=100, examples=["sales"])

    def to_proto(self) -> pb.Contact:
        return pb.Contact(name=self.name, email=self.email, phone=self.phone, role=self.role)


class SupplierChangeIn(Request):
    email: str = Field("", max_length=320)
    contacts: list[ContactIn] = Field(default_factory=list, max_length=20)
    payment_terms: str = Field("", max_length=500, examples=["30 days net"])
    rating: int = Field(0, ge=0, le=5, description="1 (poor) to 5 (excellent); 0: not rated")


class SupplierIn(SupplierChangeIn):
    name: str = Field(max_length=200)
    currency: str = Field(max_length=3, examples=["EUR"])

    def to_proto(self) -> pb.CreateSupplierRequest:
        return pb.CreateSupplierRequest(
            name=self.name,
            email=self.email,
            currency=self.currency,
            contacts=[c.to_proto() for c in self.contacts],
            payment_terms=self.payment_terms,
            rating=self.rating,
        )


class Contact(Response):
    name: str
    email: str
    phone: str
    role: str


class Supplier(Response):
    id: str
    name: str
    email: str
    currency: str
    contacts: list[Contact]
    payment_terms: str
    rating: int = Field(description="1 (poor) to 5 (excellent); 0: not rated")
    created_at: When
    created_by: str
    updated_at: MaybeWhen


class SupplierPage(Response):
    items: list[Supplier]
    next_page_token: str


# RFQs


class RfqLineIn(Request):
    product_id: Code
    sku: Code = ""
    description: str = Field("", max_length=2000)
    quantity: Count = Field(description="whole units, 1 to 1,000,000")
    needed_by: str = Field("", max_length=10, description="YYYY-MM-DD; empty: no date")


class RfqIn(Request):
    """Lines to price, sent at once to every supplier named."""

    title: str = Field("", max_length=200)
    currency: str = Field(max_length=3, examples=["EUR"])
    warehouse_id: Code = Field(description="where the goods are to arrive")
    deadline: AwareDatetime = Field(description="proposals are recorded until then")
    supplier_ids: list[Id] = Field(max_length=50)
    lines: list[RfqLineIn] = Field(max_length=500)
    notes: str = Field("", max_length=5000)

    def to_proto(self) -> pb.CreateRfqRequest:
        request = pb.CreateRfqRequest(
            title=self.title,
            currency=self.currency,
            warehouse_id=self.warehouse_id,
            supplier_ids=self.supplier_ids,
            lines=[pb.RfqLineInput(**line.model_dump()) for line in self.lines],
            notes=self.notes,
        )
        request.deadline.FromDatetime(self.deadline)
        return request


class ProposalLineIn(Request):
    product_id: Code
    unit_price: MoneyIn = Field(description="per unit, tax-exclusive, in the RFQ's currency")


class ProposalIn(Request):
    """A supplier's answer: a price for every line of the RFQ."""

    supplier_id: Id
    lines: list[ProposalLineIn] = Field(max_length=500)
    lead_time_days: int = Field(ge=0, le=3650)
    terms: str = Field("", max_length=500, description="the purchase order's terms if awarded")
    valid_until: Date

    def to_proto(self, rfq_id: str, request_id: str) -> pb.RecordProposalRequest:
        return pb.RecordProposalRequest(
            request_id=request_id,
            rfq_id=rfq_id,
            supplier_id=self.supplier_id,
            lines=[
                pb.ProposalLine(product_id=x.product_id, unit_price=x.unit_price.to_proto())
                for x in self.lines
            ],
            lead_time_days=self.lead_time_days,
            terms=self.terms,
            valid_until=self.valid_until,
        )


class AwardIn(Request):
    supplier_id: Id


class RfqLine(Response):
    line_id: str
    product_id: str
    sku: str
    description: str
    quantity: int
    needed_by: str


class ProposalLine(Response):
    product_id: str
    unit_price: Money


class Proposal(Response):
    supplier_id: str
    lines: list[ProposalLine]
    lead_time_days: int
    terms: str
    valid_until: str
    recorded_at: When
    recorded_by: str


class Rfq(Response):
    id: str
    title: str
    currency: str
    warehouse_id: str
    deadline: When
    supplier_ids: list[str]
    lines: list[RfqLine]
    status: str = Field(description="open or awarded")
    proposals: list[Proposal]
    awarded_supplier_id: str
    purchase_order_id: str
    notes: str
    created_at: When
    created_by: str
    updated_at: When


class RfqPage(Response):
    items: list[Rfq]
    next_page_token: str


class OfferLine(Response):
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    line_total: Money


class Offer(Response, HasDocument):
    supplier_id: str
    supplier_name: str
    total: Money = Field(description="the RFQ's lines at the proposal's prices, by the engine")
    lead_time_days: int
    terms: str
    valid_until: str
    lines: list[OfferLine]
    cheapest: bool = Field(description="the lowest total among proposals still valid")
    expired: bool
    document: PricedDocument | None


class Comparison(Response):
    rfq_id: str
    currency: str
    offers: list[Offer] = Field(description="cheapest first")
    pending_supplier_ids: list[str] = Field(description="suppliers asked who have not proposed")


# Contracts


class ContractPriceIn(Request):
    product_id: Code
    sku: Code = ""
    unit_price: MoneyIn


class ContractIn(Request):
    """Unit prices agreed with a supplier for a period (both dates included)."""

    supplier_id: Id
    reference: str = Field(max_length=200, examples=["Frame agreement 2026"])
    currency: str = Field("", max_length=3, description="empty: the supplier's")
    valid_from: Date
    valid_to: Date
    prices: list[ContractPriceIn] = Field(max_length=5000)

    def to_proto(self, request_id: str) -> pb.CreateContractRequest:
        return pb.CreateContractRequest(
            request_id=request_id,
            supplier_id=self.supplier_id,
            reference=self.reference,
            currency=self.currency,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            prices=[
                pb.ContractPrice(
                    product_id=p.product_id, sku=p.sku, unit_price=p.unit_price.to_proto()
                )
                for p in self.prices
            ],
        )


class ContractPrice(Response):
    product_id: str
    sku: str
    unit_price: Money


class SupplierContract(Response):
    id: str
    supplier_id: str
    reference: str
    currency: str
    valid_from: str
    valid_to: str
    prices: list[ContractPrice]
    created_at: When
    created_by: str


class ContractPage(Response):
    items: list[SupplierContract]
    next_page_token: str


# Purchase orders


class PurchaseOrderLineIn(PricedLineIn):
    product_id: Code = Field(description="one line per product in the whole order")
    sku: Code = ""
    quantity: Count = Field(description="whole units, 1 to 1,000,000")
    description: str = Field("", max_length=2000)
    unit_price: MoneyIn | None = Field(
        None, description="required unless a contract with the supplier prices the product"
    )

    def to_proto(self) -> pb.PurchaseOrderLineInput:
        return self.priced(
            pb.PurchaseOrderLineInput(
                product_id=self.product_id, sku=self.sku, description=self.description
            )
        )


class PurchaseOrderGroupIn(Request):
    name: str = Field("", max_length=200, description='empty: "Items"')
    discount: DiscountIn | None = None
    taxes: list[TaxRateIn] = Field(default_factory=list, max_length=20)
    lines: list[PurchaseOrderLineIn] = Field(default_factory=list, max_length=1000)

    def to_proto(self) -> pb.PurchaseOrderGroupInput:
        group = pb.PurchaseOrderGroupInput(
            name=self.name,
            lines=[x.to_proto() for x in self.lines],
            taxes=[t.to_proto() for t in self.taxes],
        )
        if self.discount is not None:
            group.discount.CopyFrom(self.discount.to_proto())
        return group


class PurchaseOrderIn(Request):
    """Everything a purchase order says; the procurement service prices it."""

    supplier_id: Id
    warehouse_id: Code = Field(description="where the goods are to arrive")
    currency: str = Field("", max_length=3, description="empty: the supplier's")
    expected_on: str = Field("", max_length=10, description="YYYY-MM-DD; empty: in 14 days")
    payment_terms: str = Field("", max_length=500, description="empty: the supplier's")
    notes: str = Field("", max_length=5000)
    groups: list[PurchaseOrderGroupIn] = Field(default_factory=list, max_length=1000)
    shipping: list[ShippingChargeIn] = Field(default_factory=list, max_length=100)
    policy: PricingPolicyIn | None = Field(
        None, description="absent: per line, half up, tax-exclusive prices"
    )

    def to_proto(self) -> pb.PurchaseOrderContent:
        content = pb.PurchaseOrderContent(
            supplier_id=self.supplier_id,
            warehouse_id=self.warehouse_id,
            currency=self.currency,
            expected_on=self.expected_on,
            payment_terms=self.payment_terms,
            notes=self.notes,
            groups=[g.to_proto() for g in self.groups],
            shipping=[s.to_proto() for s in self.shipping],
        )
        if self.policy is not None:
            content.policy.CopyFrom(self.policy.to_proto())
        return content


class CancelIn(Request):
    reason: str = Field("", max_length=2000)


class PurchaseOrderLine(Response):
    line_id: str
    product_id: str
    sku: str
    quantity: int
    received: int
    unit_price: Price = Field(description="null when prices are hidden")
    price_rule: str = Field(description='e.g. "entered" or the contract that priced it')


class Receipt(Response):
    receipt_id: str
    product_id: str
    quantity: int
    note: str = Field(description="set when the receipt did not match the order")
    received_at: When


class StatusChange(Response):
    from_status: str
    to_status: str
    reason: str
    at: When
    by: str


class PurchaseOrder(Response, HasDocument):
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
    receipts: list[Receipt]
    history: list[StatusChange]
    source: str = Field(description="manual, rfq or reorder")
    rfq_id: str
    bill_id: str
    bill_status: str
    created_at: When
    created_by: str
    updated_at: When
    document: PricedDocument | None = Field(description="null when prices are hidden")
    prices_hidden: bool = Field(
        description="true for a reader who may not see prices (the warehouse)"
    )


class PurchaseOrderPage(Response):
    items: list[PurchaseOrder]
    next_page_token: str


class Award(Response):
    rfq: Rfq
    purchase_order: PurchaseOrder


# Reorder rules


class ReorderRuleIn(Request):
    """Keeps a product's stock in a warehouse between `minimum` and `maximum`."""

    product_id: Code
    warehouse_id: Code
    sku: Code = ""
    minimum: int = Field(ge=0, le=999_999)
    maximum: Count = Field(description="greater than the minimum, at most 1,000,000")
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
    items: list[ReorderRule]
    next_page_token: str
