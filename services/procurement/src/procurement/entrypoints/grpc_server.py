"""procurement.v1.ProcurementService: protobuf in, use cases, protobuf out. Who may call each RPC
is entrypoints/access.py; who sees prices, application.rights."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from oms.procurement.v1 import procurement_pb2 as pb
from oms.procurement.v1 import procurement_pb2_grpc
from procurement.application.contracts import Contracts
from procurement.application.purchase_orders import PurchaseOrders
from procurement.application.reordering import Reordering
from procurement.application.rfqs import Rfqs
from procurement.application.rights import sees_prices
from procurement.application.suppliers import Suppliers
from procurement.domain.model import SupplierChange
from procurement.domain.purchase_orders import PurchaseOrder
from procurement.entrypoints.messages import (
    comparison_to_proto,
    contacts_from_proto,
    contract_to_proto,
    order_to_proto,
    rfq_to_proto,
    rule_to_proto,
    supplier_to_proto,
)
from servicekit.context import current_principal

Context: TypeAlias = grpc.aio.ServicerContext


def _shown(order: PurchaseOrder) -> pb.PurchaseOrder:
    """The order as the caller may see it."""
    return order_to_proto(order, prices=sees_prices(current_principal()))


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
            contacts_from_proto(list(request.contacts)),
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
        found, token = await self.suppliers.page(request.page_size, request.page_token)
        return pb.ListSuppliersResponse(
            suppliers=[supplier_to_proto(s) for s in found], next_page_token=token
        )

    async def UpdateSupplier(
        self, request: pb.UpdateSupplierRequest, context: Context
    ) -> pb.UpdateSupplierResponse:
        change = SupplierChange(
            request.email,
            contacts_from_proto(list(request.contacts)),
            request.payment_terms,
            request.rating,
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
        rfq, order = await self.rfqs.award(request)
        return pb.AwardProposalResponse(rfq=rfq_to_proto(rfq), purchase_order=_shown(order))

    # Contracts

    async def CreateContract(
        self, request: pb.CreateContractRequest, context: Context
    ) -> pb.CreateContractResponse:
        contract = await self.contracts.create(request)
        return pb.CreateContractResponse(contract=contract_to_proto(contract))

    async def ListContracts(
        self, request: pb.ListContractsRequest, context: Context
    ) -> pb.ListContractsResponse:
        found, token = await self.contracts.page(request)
        return pb.ListContractsResponse(
            contracts=[contract_to_proto(c) for c in found], next_page_token=token
        )

    # Purchase orders

    async def CreatePurchaseOrder(
        self, request: pb.CreatePurchaseOrderRequest, context: Context
    ) -> pb.CreatePurchaseOrderResponse:
        return pb.CreatePurchaseOrderResponse(
            purchase_order=_shown(await self.orders.create(request))
        )

    async def GetPurchaseOrder(
        self, request: pb.GetPurchaseOrderRequest, context: Context
    ) -> pb.GetPurchaseOrderResponse:
        order = await self.orders.get(request.purchase_order_id)
        return pb.GetPurchaseOrderResponse(purchase_order=_shown(order))

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
            purchase_orders=[_shown(o) for o in found], next_page_token=token
        )

    async def UpdatePurchaseOrder(
        self, request: pb.UpdatePurchaseOrderRequest, context: Context
    ) -> pb.UpdatePurchaseOrderResponse:
        order = await self.orders.update(request.purchase_order_id, request.content)
        return pb.UpdatePurchaseOrderResponse(purchase_order=_shown(order))

    async def SendPurchaseOrder(
        self, request: pb.SendPurchaseOrderRequest, context: Context
    ) -> pb.SendPurchaseOrderResponse:
        return pb.SendPurchaseOrderResponse(purchase_order=_shown(await self.orders.send(request)))

    async def CancelPurchaseOrder(
        self, request: pb.CancelPurchaseOrderRequest, context: Context
    ) -> pb.CancelPurchaseOrderResponse:
        order = await self.orders.cancel(request.purchase_order_id, request.reason)
        return pb.CancelPurchaseOrderResponse(purchase_order=_shown(order))

    # Reorder rules

    async def SetReorderRule(
        self, request: pb.SetReorderRuleRequest, context: Context
    ) -> pb.SetReorderRuleResponse:
        rule = await self.reordering.set_rule(request)
        prices = sees_prices(current_principal())
        return pb.SetReorderRuleResponse(rule=rule_to_proto(rule, prices=prices))

    async def ListReorderRules(
        self, request: pb.ListReorderRulesRequest, context: Context
    ) -> pb.ListReorderRulesResponse:
        found, token = await self.reordering.page(request)
        prices = sees_prices(current_principal())
        return pb.ListReorderRulesResponse(
            rules=[rule_to_proto(r, prices=prices) for r in found], next_page_token=token
        )
