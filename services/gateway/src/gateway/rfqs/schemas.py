"""The bodies of /rfqs: requests for quotation sent to several suppliers at once, their
proposals, the comparison the pricing engine totals, and the award that makes a purchase order.
Procurement validates the values; these bound every size, quantity and id."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from gateway.bodies import (
    WHOLE_UNITS,
    Code,
    Count,
    Date,
    Id,
    Money,
    MoneyIn,
    Request,
    Response,
    When,
)
from gateway.documents import HasDocument, PricedDocument
from gateway.examples import examples, page
from gateway.purchase_orders.schemas import PurchaseOrder
from gateway.rfqs import examples as ex
from oms.procurement.v1 import procurement_pb2 as pb


class RfqLineIn(Request):
    """A product (or a described item) to price, how many and by when."""

    model_config = examples(ex.LINE_IN)

    product_id: Code
    sku: Code = ""
    description: str = Field("", max_length=2000)
    quantity: Count = Field(description=WHOLE_UNITS)
    needed_by: str = Field("", max_length=10, description="YYYY-MM-DD; empty: no date")


class RfqIn(Request):
    """Lines to price, sent at once to every supplier named."""

    model_config = examples(ex.RFQ_IN)

    title: str = Field("", max_length=200)
    currency: str = Field(max_length=3, examples=["EUR"])
    warehouse_id: Code = Field(description="where the goods are to arrive")
    deadline: AwareDatetime = Field(description="proposals are recorded until then")
    supplier_ids: list[Id] = Field(max_length=50)
    lines: list[RfqLineIn] = Field(max_length=500)
    notes: str = Field("", max_length=5000)

    def to_proto(self, request_id: str) -> pb.CreateRfqRequest:
        request = pb.CreateRfqRequest(
            request_id=request_id,
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
    """A supplier's unit price for one product of the RFQ."""

    model_config = examples(ex.PROPOSAL_LINE_IN)

    product_id: Code
    unit_price: MoneyIn = Field(description="per unit, tax-exclusive, in the RFQ's currency")


class ProposalIn(Request):
    """A supplier's answer: a price for every line of the RFQ."""

    model_config = examples(ex.PROPOSAL_IN)

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
    """The supplier whose proposal is awarded."""

    model_config = examples(ex.AWARD_IN)

    supplier_id: Id


class RfqLine(Response):
    """A line of an RFQ: what to price, how many and by when."""

    model_config = examples(ex.LINE)

    line_id: str
    product_id: str
    sku: str
    description: str
    quantity: int
    needed_by: str


class ProposalLine(Response):
    """A supplier's unit price for one product of the RFQ."""

    model_config = examples(ex.PROPOSAL_LINE)

    product_id: str
    unit_price: Money


class Proposal(Response):
    """A supplier's answer to an RFQ: its prices, lead time, terms and validity."""

    model_config = examples(ex.PROPOSAL)

    supplier_id: str
    lines: list[ProposalLine]
    lead_time_days: int
    terms: str
    valid_until: str
    recorded_at: When
    recorded_by: str


class Rfq(Response):
    """A request for quotation: lines sent to several suppliers, their proposals and the award."""

    model_config = examples(ex.RFQ)

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
    """A page of RFQs, newest first."""

    model_config = examples(page(ex.RFQ))

    items: list[Rfq]
    next_page_token: str = Field(description="empty on the last page")


class OfferLine(Response):
    """A line of an RFQ at one supplier's proposed price."""

    model_config = examples(ex.OFFER_LINE)

    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    line_total: Money


class Offer(HasDocument):
    """One supplier's proposal as the pricing engine totals it, beside the others."""

    model_config = examples(ex.OFFER)

    supplier_id: str
    supplier_name: str
    total: Money = Field(description="the RFQ's lines at the proposal's prices, by the engine")
    lead_time_days: int
    terms: str
    valid_until: str
    lines: list[OfferLine]
    cheapest: bool = Field(description="the lowest total among proposals still valid")
    expired: bool
    document: PricedDocument | None = None


class Comparison(Response):
    """The proposals to an RFQ side by side, cheapest first, and who has not proposed yet."""

    model_config = examples(ex.COMPARISON)

    rfq_id: str
    currency: str
    offers: list[Offer] = Field(description="cheapest first")
    pending_supplier_ids: list[str] = Field(description="suppliers asked who have not proposed")


class Award(Response):
    """An awarded RFQ and the draft purchase order made from the proposal."""

    model_config = examples(ex.AWARD)

    rfq: Rfq
    purchase_order: PurchaseOrder
