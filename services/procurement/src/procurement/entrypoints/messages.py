"""Procurement's domain objects and query results as protobuf messages. Purchase orders and
reorder rules can be shown without prices, for callers who may not see them
(application.rights)."""

from __future__ import annotations

from oms.procurement.v1 import procurement_pb2 as pb
from oms.types.v1.types_pb2 import Money
from pricing.document import figure_text
from pricing.wire import document_to_proto
from procurement.application.queries.rfqs import Comparison
from procurement.domain.contracts import SupplierContract
from procurement.domain.order_content import amount_text
from procurement.domain.purchase_orders import (
    OrderLine,
    PurchaseOrder,
    ReceiptLine,
    StatusChange,
)
from procurement.domain.reorder import ReorderRule
from procurement.domain.rfqs import Offer, Proposal, Rfq
from procurement.domain.suppliers import Supplier
from servicekit.grpc import timestamp


def supplier_to_proto(supplier: Supplier) -> pb.Supplier:
    message = pb.Supplier(
        id=supplier.id,
        name=supplier.name,
        email=supplier.email,
        currency=supplier.currency,
        created_at=timestamp(supplier.created_at),
        created_by=supplier.created_by,
        contacts=[
            pb.Contact(name=c.name, email=c.email, phone=c.phone, role=c.role)
            for c in supplier.contacts
        ],
        payment_terms=supplier.payment_terms,
        rating=supplier.rating,
    )
    if supplier.updated_at is not None:
        message.updated_at.CopyFrom(timestamp(supplier.updated_at))
    return message


def rfq_to_proto(rfq: Rfq) -> pb.Rfq:
    return pb.Rfq(
        id=rfq.id,
        title=rfq.title,
        currency=rfq.currency,
        warehouse_id=rfq.warehouse_id,
        deadline=timestamp(rfq.deadline),
        supplier_ids=list(rfq.supplier_ids),
        lines=[
            pb.RfqLine(
                line_id=line.line_id,
                product_id=line.product_id,
                sku=line.sku,
                description=line.description,
                quantity=line.quantity,
                needed_by=line.needed_by,
            )
            for line in rfq.lines
        ],
        status=rfq.status.value,
        proposals=[
            _proposal(rfq, p)
            for supplier_id in rfq.supplier_ids
            if (p := rfq.proposals.get(supplier_id)) is not None
        ],
        awarded_supplier_id=rfq.awarded_supplier_id,
        purchase_order_id=rfq.purchase_order_id,
        notes=rfq.notes,
        created_at=timestamp(rfq.created_at),
        created_by=rfq.created_by,
        updated_at=timestamp(rfq.updated_at),
    )


def _proposal(rfq: Rfq, proposal: Proposal) -> pb.Proposal:
    return pb.Proposal(
        supplier_id=proposal.supplier_id,
        lines=[
            pb.ProposalLine(
                product_id=line.product_id,
                unit_price=Money(
                    amount=amount_text(proposal.prices[line.product_id], rfq.currency),
                    currency=rfq.currency,
                ),
            )
            for line in rfq.lines
            if line.product_id in proposal.prices
        ],
        lead_time_days=proposal.lead_time_days,
        terms=proposal.terms,
        valid_until=proposal.valid_until.isoformat(),
        recorded_at=timestamp(proposal.recorded_at),
        recorded_by=proposal.recorded_by,
    )


def offer_to_proto(offer: Offer, names: dict[str, str]) -> pb.Offer:
    document = offer.document
    currency = document.currency
    proposal = offer.proposal
    return pb.Offer(
        supplier_id=proposal.supplier_id,
        supplier_name=names.get(proposal.supplier_id, ""),
        total=Money(amount=figure_text(document.total.amount), currency=currency),
        lead_time_days=proposal.lead_time_days,
        terms=proposal.terms,
        valid_until=proposal.valid_until.isoformat(),
        lines=[
            pb.OfferLine(
                product_id=line.product_id,
                sku=line.sku,
                quantity=line.units,
                unit_price=Money(amount=line.unit_price, currency=currency),
                line_total=Money(amount=figure_text(figures.net), currency=currency),
            )
            for line, figures in document.lines_with_figures()
        ],
        cheapest=offer.cheapest,
        expired=offer.expired,
        document=document_to_proto(document),
    )


def comparison_to_proto(comparison: Comparison) -> pb.CompareProposalsResponse:
    rfq = comparison.rfq
    return pb.CompareProposalsResponse(
        rfq_id=rfq.id,
        currency=rfq.currency,
        offers=[offer_to_proto(o, comparison.supplier_names) for o in comparison.offers],
        pending_supplier_ids=rfq.pending_supplier_ids,
    )


def contract_to_proto(contract: SupplierContract) -> pb.SupplierContract:
    return pb.SupplierContract(
        id=contract.id,
        supplier_id=contract.supplier_id,
        reference=contract.reference,
        currency=contract.currency,
        valid_from=contract.valid_from.isoformat(),
        valid_to=contract.valid_to.isoformat(),
        prices=[
            pb.ContractPrice(
                product_id=p.product_id,
                sku=p.sku,
                unit_price=Money(
                    amount=amount_text(p.unit_price, contract.currency),
                    currency=contract.currency,
                ),
            )
            for p in contract.prices
        ],
        created_at=timestamp(contract.created_at),
        created_by=contract.created_by,
    )


def order_to_proto(order: PurchaseOrder, *, prices: bool) -> pb.PurchaseOrder:
    """The order; without `prices`, its document, total and each line's price and price rule
    are left out (prices_hidden)."""
    currency = order.currency
    message = pb.PurchaseOrder(
        id=order.id,
        number=order.number,
        supplier_id=order.supplier_id,
        warehouse_id=order.warehouse_id,
        currency=currency,
        status=order.status.value,
        expected_on=order.expected_on.isoformat(),
        payment_terms=order.payment_terms,
        notes=order.notes,
        lines=[_line(order, line, prices) for line in order.lines],
        receipts=[_receipt(r) for r in order.receipts],
        history=[_status_change(h) for h in order.history],
        source=order.source.value,
        rfq_id=order.rfq_id,
        bill_id=order.bill_id,
        bill_status=order.bill_status,
        created_at=timestamp(order.created_at),
        created_by=order.created_by,
        updated_at=timestamp(order.updated_at),
        prices_hidden=not prices,
    )
    if prices:
        message.document.CopyFrom(document_to_proto(order.document))
        message.total.CopyFrom(Money(amount=order.total, currency=currency))
    return message


def _receipt(receipt: ReceiptLine) -> pb.Receipt:
    return pb.Receipt(
        receipt_id=receipt.receipt_id,
        product_id=receipt.product_id,
        quantity=receipt.quantity,
        note=receipt.note,
        received_at=timestamp(receipt.received_at),
    )


def _status_change(change: StatusChange) -> pb.StatusChange:
    return pb.StatusChange(
        from_status=change.from_status,
        to_status=change.to_status,
        reason=change.reason,
        at=timestamp(change.at),
        by=change.by,
    )


def _line(order: PurchaseOrder, line: OrderLine, prices: bool) -> pb.PurchaseOrderLineStatus:
    message = pb.PurchaseOrderLineStatus(
        line_id=line.line_id,
        product_id=line.product_id,
        sku=line.sku,
        quantity=line.quantity,
        received=order.received(line.product_id),
        cancelled=order.cancelled.get(line.product_id, 0),
        billed=order.billed(line.product_id),
    )
    if prices:
        message.unit_price.CopyFrom(Money(amount=line.unit_price, currency=order.currency))
        message.price_rule = line.price_rule
    return message


def rule_to_proto(rule: ReorderRule, *, prices: bool) -> pb.ReorderRule:
    """The rule; without `prices`, its unit price is left out (prices_hidden)."""
    message = pb.ReorderRule(
        product_id=rule.product_id,
        warehouse_id=rule.warehouse_id,
        sku=rule.sku,
        minimum=rule.minimum,
        maximum=rule.maximum,
        supplier_id=rule.supplier_id,
        lead_time_days=rule.lead_time_days,
        updated_at=timestamp(rule.updated_at),
        updated_by=rule.updated_by,
        prices_hidden=not prices,
    )
    if prices:
        amount = amount_text(rule.unit_price, rule.currency)
        message.unit_price.CopyFrom(Money(amount=amount, currency=rule.currency))
    return message
