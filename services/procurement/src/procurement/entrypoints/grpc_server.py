"""procurement.v1.ProcurementService: protobuf in, use cases, protobuf out."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from oms.procurement.v1 import procurement_pb2 as pb
from oms.procurement.v1 import procurement_pb2_grpc
from oms.types.v1.types_pb2 import Money
from procurement.application.contracts import Contracts
from procurement.application.purchase_orders import PurchaseOrders
from procurement.application.reordering import Reordering
from procurement.application.rfqs import Comparison, Rfqs
from procurement.application.suppliers import Suppliers
from procurement.domain.contracts import SupplierContract
from procurement.domain.model import Contact, Supplier, SupplierChange
from procurement.domain.purchase_orders import PurchaseOrder, amount_text
from procurement.domain.reorder import ReorderRule
from procurement.domain.rfqs import Offer, Rfq
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext


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


def _contacts(contacts: list[pb.Contact]) -> tuple[Contact, ...]:
    return tuple(Contact(c.name, c.email, c.phone, c.role) for c in contacts)


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
            pb.Proposal(
                supplier_id=p.supplier_id,
                lines=[
                    pb.ProposalLine(
                        product_id=line.product_id,
                        unit_price=Money(
                            amount=amount_text(p.prices[line.product_id], rfq.currency),
                            currency=rfq.currency,
                        ),
                    )
                    for line in rfq.lines
                    if line.product_id in p.prices
                ],
                lead_time_days=p.lead_time_days,
                terms=p.terms,
                valid_until=p.valid_until.isoformat(),
                recorded_at=timestamp(p.recorded_at),
                recorded_by=p.recorded_by,
            )
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


def offer_to_proto(offer: Offer, names: dict[str, str]) -> pb.Offer:
    document = offer.document
    currency = document.currency
    figures = {f.line_id: f for f in document.breakdown.lines}
    proposal = offer.proposal
    return pb.Offer(
        supplier_id=proposal.supplier_id,
        supplier_name=names.get(proposal.supplier_id, ""),
        total=Money(amount=document.breakdown.total, currency=currency),
        lead_time_days=proposal.lead_time_days,
        terms=proposal.terms,
        valid_until=proposal.valid_until.isoformat(),
        lines=[
            pb.OfferLine(
                product_id=line.product_id,
                sku=line.sku,
                quantity=int(line.quantity),
                unit_price=Money(amount=line.unit_price, currency=currency),
                line_total=Money(amount=figures[line.line_id].net, currency=currency),
            )
            for group in document.groups
            for line in group.lines
        ],
        cheapest=offer.cheapest,
        expired=offer.expired,
        document=document,
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


def order_to_proto(order: PurchaseOrder) -> pb.PurchaseOrder:
    currency = order.currency
    return pb.PurchaseOrder(
        id=order.id,
        number=order.number,
        supplier_id=order.supplier_id,
        warehouse_id=order.warehouse_id,
        currency=currency,
        status=order.status.value,
        document=order.document,
        total=Money(amount=order.total, currency=currency),
        expected_on=order.expected_on.isoformat(),
        payment_terms=order.payment_terms,
        notes=order.notes,
        lines=[
            pb.PurchaseOrderLineStatus(
                line_id=line.line_id,
                product_id=line.product_id,
                sku=line.sku,
                quantity=line.quantity,
                received=order.received(line.product_id),
                unit_price=Money(amount=line.unit_price, currency=currency),
                price_rule=line.price_rule,
            )
            for line in order.lines
        ],
        receipts=[
            pb.Receipt(
                receipt_id=r.receipt_id,
                product_id=r.product_id,
                quantity=r.quantity,
                note=r.note,
                received_at=timestamp(r.received_at),
            )
            for r in order.receipts
        ],
        history=[
            pb.StatusChange(
                from_status=h.from_status,
                to_status=h.to_status,
                reason=h.reason,
                at=timestamp(h.at),
                by=h.by,
            )
            for h in order.history
        ],
        source=order.source.value,
        rfq_id=order.rfq_id,
        bill_id=order.bill_id,
        bill_status=order.bill_status,
        created_at=timestamp(order.created_at),
        created_by=order.created_by,
        updated_at=timestamp(order.updated_at),
    )


def rule_to_proto(rule: ReorderRule) -> pb.ReorderRule:
    return pb.ReorderRule(
        product_id=rule.product_id,
        warehouse_id=rule.warehouse_id,
        sku=rule.sku,
        minimum=rule.minimum,
        maximum=rule.maximum,
        supplier_id=rule.supplier_id,
        unit_price=Money(
            amount=amount_text(rule.unit_price, rule.currency), currency=rule.currency
        ),
        lead_time_days=rule.lead_time_days,
        updated_at=timestamp(rule.updated_at),
        updated_by=rule.updated_by,
    )


class ProcurementServicer(procurement_pb2_grpc.ProcurementServiceServicer):
    def __init__(
        self,
        suppliers: Suppliers,
        rfqs: Rfqs,
        contracts: Contracts,
        orders: PurchaseOrders,
        reordering: Reordering,
    ) -> None:
        self.suppliers = suppliers
        self.rfqs = rfqs
        self.contracts = contracts
        self.orders = orders
        self.reordering = reordering

    # Suppliers

    async def CreateSupplier(
        self, request: pb.CreateSupplierRequest, context: Context
    ) -> pb.CreateSupplierResponse:
        supplier = await self.suppliers.create(
            request.name,
            request.email,
            request.currency,
            _contacts(list(request.contacts)),
            request.payment_terms,
            request.rating,
        )
        return pb.CreateSupplierResponse(supplier=supplier_to_proto(supplier))

    async def GetSupplier(
        self, request: pb.GetSupplierRequest, context: Context
    ) -> pb.GetSupplierResponse:
        supplier = await self.suppliers.get(request.supplier_id)
        return pb.GetSupplierResponse(supplier=supplier_to_proto(supplier))

    async def ListSuppliers(
        self, request: pb.ListSuppliersRequest, context: Context
    ) -> pb.ListSuppliersResponse:
        found = await self.suppliers.find()
        return pb.ListSuppliersResponse(suppliers=[supplier_to_proto(s) for s in found])

    async def UpdateSupplier(
        self, request: pb.UpdateSupplierRequest, context: Context
    ) -> pb.UpdateSupplierResponse:
        change = SupplierChange(
            request.email, _contacts(list(request.contacts)), request.payment_terms, request.rating
        )
        supplier = await self.suppliers.update(request.supplier_id, change)
        return pb.UpdateSupplierResponse(supplier=supplier_to_proto(supplier))

    # RFQs

    async def CreateRfq(
        self, request: pb.CreateRfqRequest, context: Context
    ) -> pb.CreateRfqResponse:
        return pb.CreateRfqResponse(rfq=rfq_to_proto(await self.rfqs.create(request)))

    async def GetRfq(self, request: pb.GetRfqRequest, context: Context) -> pb.GetRfqResponse:
        return pb.GetRfqResponse(rfq=rfq_to_proto(await self.rfqs.get(request.rfq_id)))

    async def ListRfqs(self, request: pb.ListRfqsRequest, context: Context) -> pb.ListRfqsResponse:
        found, token = await self.rfqs.page(request.status, request.page_size, request.page_token)
        return pb.ListRfqsResponse(rfqs=[rfq_to_proto(r) for r in found], next_page_token=token)

    async def RecordProposal(
        self, request: pb.RecordProposalRequest, context: Context
    ) -> pb.RecordProposalResponse:
        return pb.RecordProposalResponse(rfq=rfq_to_proto(await self.rfqs.record(request)))

    async def CompareProposals(
        self, request: pb.CompareProposalsRequest, context: Context
    ) -> pb.CompareProposalsResponse:
        return comparison_to_proto(await self.rfqs.compare(request.rfq_id))

    async def AwardProposal(
        self, request: pb.AwardProposalRequest, context: Context
    ) -> pb.AwardProposalResponse:
        rfq, order = await self.rfqs.award(request.rfq_id, request.supplier_id)
        return pb.AwardProposalResponse(rfq=rfq_to_proto(rfq), purchase_order=order_to_proto(order))

    # Contracts

    async def CreateContract(
        self, request: pb.CreateContractRequest, context: Context
    ) -> pb.CreateContractResponse:
        contract = await self.contracts.create(request)
        return pb.CreateContractResponse(contract=contract_to_proto(contract))

    async def ListContracts(
        self, request: pb.ListContractsRequest, context: Context
    ) -> pb.ListContractsResponse:
        found = await self.contracts.find(
            request.supplier_id, request.product_id, request.active_on
        )
        return pb.ListContractsResponse(contracts=[contract_to_proto(c) for c in found])

    # Purchase orders

    async def CreatePurchaseOrder(
        self, request: pb.CreatePurchaseOrderRequest, context: Context
    ) -> pb.CreatePurchaseOrderResponse:
        order = await self.orders.create(request.content)
        return pb.CreatePurchaseOrderResponse(purchase_order=order_to_proto(order))

    async def GetPurchaseOrder(
        self, request: pb.GetPurchaseOrderRequest, context: Context
    ) -> pb.GetPurchaseOrderResponse:
        order = await self.orders.get(request.purchase_order_id)
        return pb.GetPurchaseOrderResponse(purchase_order=order_to_proto(order))

    async def ListPurchaseOrders(
        self, request: pb.ListPurchaseOrdersRequest, context: Context
    ) -> pb.ListPurchaseOrdersResponse:
        found, token = await self.orders.page(
            request.status,
            request.supplier_id,
            request.warehouse_id,
            request.page_size,
            request.page_token,
        )
        return pb.ListPurchaseOrdersResponse(
            purchase_orders=[order_to_proto(o) for o in found], next_page_token=token
        )

    async def UpdatePurchaseOrder(
        self, request: pb.UpdatePurchaseOrderRequest, context: Context
    ) -> pb.UpdatePurchaseOrderResponse:
        order = await self.orders.update(request.purchase_order_id, request.content)
        return pb.UpdatePurchaseOrderResponse(purchase_order=order_to_proto(order))

    async def SendPurchaseOrder(
        self, request: pb.SendPurchaseOrderRequest, context: Context
    ) -> pb.SendPurchaseOrderResponse:
        order = await self.orders.send(request.purchase_order_id)
        return pb.SendPurchaseOrderResponse(purchase_order=order_to_proto(order))

    async def CancelPurchaseOrder(
        self, request: pb.CancelPurchaseOrderRequest, context: Context
    ) -> pb.CancelPurchaseOrderResponse:
        order = await self.orders.cancel(request.purchase_order_id, request.reason)
        return pb.CancelPurchaseOrderResponse(purchase_order=order_to_proto(order))

    # Reorder rules

    async def SetReorderRule(
        self, request: pb.SetReorderRuleRequest, context: Context
    ) -> pb.SetReorderRuleResponse:
        rule = await self.reordering.set_rule(request)
        return pb.SetReorderRuleResponse(rule=rule_to_proto(rule))

    async def ListReorderRules(
        self, request: pb.ListReorderRulesRequest, context: Context
    ) -> pb.ListReorderRulesResponse:
        found = await self.reordering.rules(
            request.warehouse_id, request.product_id, request.supplier_id
        )
        return pb.ListReorderRulesResponse(rules=[rule_to_proto(r) for r in found])
