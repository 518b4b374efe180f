"""The procurement REST bodies: suppliers, RFQs and proposals, supplier contracts, purchase
orders (priced documents, like quotes) and reorder rules.

The procurement service validates the values and names every field at fault with the same paths
(`groups[0].lines[2].quantity`); these models check shapes and bound sizes generously."""

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
from gateway.schemas import Money, MoneyIn, PricedLineIn, Quantity, Request, Response, When
from oms.procurement.v1 import procurement_pb2 as pb


def _unset_is_null(value: Any) -> Any:
    if isinstance(value, Timestamp):
        return value.ToDatetime(tzinfo=UTC) if (value.seconds or value.nanos) else None
    return value


MaybeWhen = Annotated[When | None, BeforeValidator(_unset_is_null)]
Date = Annotated[str, Field(max_length=10, examples=["2026-12-31"], description="YYYY-MM-DD")]
Id = Annotated[str, Field(max_length=64)]

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
    contacts: list[ContactIn] = Field(default_factory=list, max_length=100)
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


class SupplierList(Response):
    items: list[Supplier]


# RFQs


class RfqLineIn(Request):
    product_id: Id
    sku: str = Field("", max_length=64)
    description: str = Field("", max_length=2000)
    quantity: Quantity = Field(description="whole units, > 0")
    needed_by: str = Field("", max_length=10, description="YYYY-MM-DD; empty: no date")


class RfqIn(Request):
    """Lines to price, sent at once to every supplier named."""

    title: str = Field("", max_length=200)
    currency: str = Field(max_length=3, examples=["EUR"])
    warehouse_id: Id = Field(description="where the goods are to arrive")
    deadline: AwareDatetime = Field(description="proposals are recorded until then")
    supplier_ids: list[Id] = Field(max_length=100)
    lines: list[RfqLineIn] = Field(max_length=5000)
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
    product_id: Id
    unit_price: MoneyIn = Field(description="per unit, tax-exclusive, in the RFQ's currency")


class ProposalIn(Request):
    """A supplier's answer: a price for every line of the RFQ."""

    supplier_id: Id
    lines: list[ProposalLineIn] = Field(max_length=5000)
    lead_time_days: int = Field(ge=0, le=3650)
    terms: str = Field("", max_length=2000)
    valid_until: Date

    def to_proto(self, rfq_id: str) -> pb.RecordProposalRequest:
        return pb.RecordProposalRequest(
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
    product_id: Id
    sku: str = Field("", max_length=64)
    unit_price: MoneyIn


class ContractIn(Request):
    """Unit prices agreed with a supplier for a period (both dates included)."""

    supplier_id: Id
    reference: str = Field(max_length=200, examples=["Frame agreement 2026"])
    currency: str = Field("", max_length=3, description="empty: the supplier's")
    valid_from: Date
    valid_to: Date
    prices: list[ContractPriceIn] = Field(max_length=20_000)

    def to_proto(self) -> pb.CreateContractRequest:
        return pb.CreateContractRequest(
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


class ContractList(Response):
    items: list[SupplierContract]


# Purchase orders


class PurchaseOrderLineIn(PricedLineIn):
    product_id: Id = Field(description="one line per product in the whole order")
    sku: str = Field("", max_length=64)
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
    lines: list[PurchaseOrderLineIn] = Field(default_factory=list, max_length=20_000)

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
    warehouse_id: Id = Field(description="where the goods are to arrive")
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
    unit_price: Money
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
    total: Money
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
    document: PricedDocument | None


class PurchaseOrderPage(Response):
    items: list[PurchaseOrder]
    next_page_token: str


class Award(Response):
    rfq: Rfq
    purchase_order: PurchaseOrder


# Reorder rules


class ReorderRuleIn(Request):
    """Keeps a product's stock in a warehouse between `minimum` and `maximum`."""

    product_id: Id
    warehouse_id: Id
    sku: str = Field("", max_length=64)
    minimum: int = Field(ge=0, le=1_000_000_000)
    maximum: int = Field(ge=1, le=1_000_000_000)
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
    unit_price: Money
    lead_time_days: int
    updated_at: When
    updated_by: str


class ReorderRuleList(Response):
    items: list[ReorderRule]
