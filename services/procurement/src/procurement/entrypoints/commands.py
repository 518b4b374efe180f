"""procurement.v1 requests as the commands and queries of procurement.application: what the
client sent, field for field, as plain values (checked by the domain, not here)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from oms.procurement.v1 import procurement_pb2 as pb
from oms.types.v1.types_pb2 import Money
from pricing.wire import (
    discount_from_proto,
    policy_from_proto,
    shipping_from_proto,
    taxes_from_proto,
)
from procurement.application.commands.award_proposal import AwardProposal
from procurement.application.commands.cancel_purchase_order import CancelPurchaseOrder
from procurement.application.commands.create_contract import CreateContract
from procurement.application.commands.create_purchase_order import CreatePurchaseOrder
from procurement.application.commands.create_rfq import CreateRfq
from procurement.application.commands.create_supplier import CreateSupplier
from procurement.application.commands.record_proposal import RecordProposal
from procurement.application.commands.reduce_purchase_order_line import ReducePurchaseOrderLine
from procurement.application.commands.send_purchase_order import SendPurchaseOrder
from procurement.application.commands.set_reorder_rule import SetReorderRule
from procurement.application.commands.update_purchase_order import UpdatePurchaseOrder
from procurement.application.commands.update_supplier import UpdateSupplier
from procurement.application.ports import RequestKey
from procurement.application.queries.contracts import ListContracts
from procurement.application.queries.purchase_orders import ListPurchaseOrders
from procurement.application.queries.reorder_rules import ListReorderRules
from procurement.domain.contracts import ContractInput, ContractPriceInput
from procurement.domain.limits import EnteredMoney
from procurement.domain.order_content import GroupInput, LineInput, OrderContent
from procurement.domain.reorder import RuleInput
from procurement.domain.rfq_content import RfqInput, RfqLineInput
from procurement.domain.rfqs import ProposalInput, ProposalLineInput
from procurement.domain.suppliers import Contact, SupplierChange
from servicekit.idempotency import fingerprint

# The requests that commit money or create a document, each with a client's request_id.
Idempotent = (
    pb.CreateSupplierRequest
    | pb.CreateRfqRequest
    | pb.RecordProposalRequest
    | pb.AwardProposalRequest
    | pb.CreateContractRequest
    | pb.CreatePurchaseOrderRequest
    | pb.SendPurchaseOrderRequest
)


def request_key(request: Idempotent) -> RequestKey:
    """The request's `request_id` and what a retry under it must repeat."""
    return RequestKey(request.request_id, fingerprint(request))


def _money(money: Money) -> EnteredMoney:
    return EnteredMoney(money.amount, money.currency)


def contacts(entered: Iterable[pb.Contact]) -> tuple[Contact, ...]:
    return tuple(Contact(c.name, c.email, c.phone, c.role) for c in entered)


def create_supplier(request: pb.CreateSupplierRequest) -> CreateSupplier:
    return CreateSupplier(
        request.name,
        request.email,
        request.currency,
        contacts(request.contacts),
        request.payment_terms,
        request.rating,
        request_key(request),
    )


def update_supplier(request: pb.UpdateSupplierRequest) -> UpdateSupplier:
    change = SupplierChange(
        request.email, contacts(request.contacts), request.payment_terms, request.rating
    )
    return UpdateSupplier(request.supplier_id, change)


def create_rfq(request: pb.CreateRfqRequest) -> CreateRfq:
    deadline = request.deadline.ToDatetime(tzinfo=UTC) if request.HasField("deadline") else None
    lines = tuple(
        RfqLineInput(line.product_id, line.sku, line.description, line.quantity, line.needed_by)
        for line in request.lines
    )
    rfq = RfqInput(
        request.title,
        request.currency,
        request.warehouse_id,
        tuple(request.supplier_ids),
        lines,
        request.notes,
    )
    return CreateRfq(rfq, deadline, request_key(request))


def record_proposal(request: pb.RecordProposalRequest) -> RecordProposal:
    proposal = ProposalInput(
        request.supplier_id,
        tuple(ProposalLineInput(x.product_id, _money(x.unit_price)) for x in request.lines),
        request.lead_time_days,
        request.terms,
        request.valid_until,
    )
    return RecordProposal(request.rfq_id, proposal, request_key(request))


def award_proposal(request: pb.AwardProposalRequest) -> AwardProposal:
    return AwardProposal(request.rfq_id, request.supplier_id, request_key(request))


def create_contract(request: pb.CreateContractRequest) -> CreateContract:
    prices = tuple(
        ContractPriceInput(p.product_id, _money(p.unit_price), p.sku) for p in request.prices
    )
    contract = ContractInput(
        request.supplier_id,
        request.reference,
        request.valid_from,
        request.valid_to,
        prices,
        request.currency,
    )
    return CreateContract(contract, request_key(request))


def list_contracts(request: pb.ListContractsRequest) -> ListContracts:
    return ListContracts(
        request.supplier_id,
        request.product_id,
        request.active_on,
        request.page_size,
        request.page_token,
    )


def _line(line: pb.PurchaseOrderLineInput) -> LineInput:
    return LineInput(
        product_id=line.product_id,
        sku=line.sku,
        description=line.description,
        quantity=line.quantity,
        unit_price=_money(line.unit_price) if line.HasField("unit_price") else None,
        discount=discount_from_proto(line.discount),
        taxes=taxes_from_proto(line.taxes),
    )


def order_content(content: pb.PurchaseOrderContent) -> OrderContent:
    groups = tuple(
        GroupInput(
            group.name,
            tuple(_line(line) for line in group.lines),
            discount_from_proto(group.discount),
            taxes_from_proto(group.taxes),
        )
        for group in content.groups
    )
    return OrderContent(
        supplier_id=content.supplier_id,
        warehouse_id=content.warehouse_id,
        currency=content.currency,
        expected_on=content.expected_on,
        payment_terms=content.payment_terms,
        notes=content.notes,
        groups=groups,
        shipping=tuple(shipping_from_proto(charge) for charge in content.shipping),
        policy=policy_from_proto(content.policy),
    )


def create_purchase_order(request: pb.CreatePurchaseOrderRequest) -> CreatePurchaseOrder:
    return CreatePurchaseOrder(order_content(request.content), request_key(request))


def update_purchase_order(request: pb.UpdatePurchaseOrderRequest) -> UpdatePurchaseOrder:
    return UpdatePurchaseOrder(request.purchase_order_id, order_content(request.content))


def cancel_purchase_order(request: pb.CancelPurchaseOrderRequest) -> CancelPurchaseOrder:
    return CancelPurchaseOrder(request.purchase_order_id, request.reason)


def reduce_purchase_order_line(
    request: pb.ReducePurchaseOrderLineRequest,
) -> ReducePurchaseOrderLine:
    return ReducePurchaseOrderLine(
        request.purchase_order_id, request.product_id, request.quantity, request.reason
    )


def send_purchase_order(request: pb.SendPurchaseOrderRequest) -> SendPurchaseOrder:
    return SendPurchaseOrder(request.purchase_order_id, request_key(request))


def list_purchase_orders(request: pb.ListPurchaseOrdersRequest) -> ListPurchaseOrders:
    return ListPurchaseOrders(
        request.status,
        request.supplier_id,
        request.warehouse_id,
        request.page_size,
        request.page_token,
    )


def set_reorder_rule(request: pb.SetReorderRuleRequest) -> SetReorderRule:
    rule = RuleInput(
        product_id=request.product_id,
        warehouse_id=request.warehouse_id,
        supplier_id=request.supplier_id,
        minimum=request.minimum,
        maximum=request.maximum,
        unit_price=_money(request.unit_price) if request.HasField("unit_price") else None,
        sku=request.sku,
        lead_time_days=request.lead_time_days,
    )
    return SetReorderRule(rule)


def list_reorder_rules(request: pb.ListReorderRulesRequest) -> ListReorderRules:
    return ListReorderRules(
        request.warehouse_id,
        request.product_id,
        request.supplier_id,
        request.page_size,
        request.page_token,
    )
