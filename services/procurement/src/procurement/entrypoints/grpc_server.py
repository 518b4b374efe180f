"""procurement.v1.ProcurementService: each request as its command or query
(entrypoints.commands), the use case run, the result as protobuf (entrypoints.messages). Who may
call each RPC is entrypoints/access.py; who sees prices, application.rights."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from oms.procurement.v1 import procurement_pb2 as pb
from oms.procurement.v1 import procurement_pb2_grpc
from procurement.application.commands.award_proposal import award_proposal
from procurement.application.commands.cancel_purchase_order import cancel_purchase_order
from procurement.application.commands.create_contract import create_contract
from procurement.application.commands.create_purchase_order import create_purchase_order
from procurement.application.commands.create_rfq import create_rfq
from procurement.application.commands.create_supplier import create_supplier
from procurement.application.commands.record_proposal import record_proposal
from procurement.application.commands.reduce_purchase_order_line import (
    reduce_purchase_order_line,
)
from procurement.application.commands.send_purchase_order import send_purchase_order
from procurement.application.commands.set_reorder_rule import set_reorder_rule
from procurement.application.commands.update_purchase_order import update_purchase_order
from procurement.application.commands.update_supplier import update_supplier
from procurement.application.ports import Ports
from procurement.application.queries.contracts import list_contracts
from procurement.application.queries.purchase_orders import (
    get_purchase_order,
    list_purchase_orders,
)
from procurement.application.queries.reorder_rules import list_reorder_rules
from procurement.application.queries.rfqs import compare_proposals, get_rfq, list_rfqs
from procurement.application.queries.suppliers import get_supplier, list_suppliers
from procurement.application.rights import sees_prices
from procurement.domain.purchase_orders import PurchaseOrder
from procurement.entrypoints import commands
from procurement.entrypoints.messages import (
    comparison_to_proto,
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
    def __init__(self, ports: Ports) -> None:
        self.ports = ports

    # Suppliers

    async def CreateSupplier(
        self, request: pb.CreateSupplierRequest, context: Context
    ) -> pb.CreateSupplierResponse:
        supplier = await create_supplier(self.ports, commands.create_supplier(request))
        return pb.CreateSupplierResponse(supplier=supplier_to_proto(supplier))

    async def GetSupplier(
        self, request: pb.GetSupplierRequest, context: Context
    ) -> pb.GetSupplierResponse:
        supplier = await get_supplier(self.ports, request.supplier_id)
        return pb.GetSupplierResponse(supplier=supplier_to_proto(supplier))

    async def ListSuppliers(
        self, request: pb.ListSuppliersRequest, context: Context
    ) -> pb.ListSuppliersResponse:
        found, token = await list_suppliers(self.ports, request.page_size, request.page_token)
        return pb.ListSuppliersResponse(
            suppliers=[supplier_to_proto(s) for s in found], next_page_token=token
        )

    async def UpdateSupplier(
        self, request: pb.UpdateSupplierRequest, context: Context
    ) -> pb.UpdateSupplierResponse:
        supplier = await update_supplier(self.ports, commands.update_supplier(request))
        return pb.UpdateSupplierResponse(supplier=supplier_to_proto(supplier))

    # RFQs

    async def CreateRfq(
        self, request: pb.CreateRfqRequest, context: Context
    ) -> pb.CreateRfqResponse:
        rfq = await create_rfq(self.ports, commands.create_rfq(request))
        return pb.CreateRfqResponse(rfq=rfq_to_proto(rfq))

    async def GetRfq(self, request: pb.GetRfqRequest, context: Context) -> pb.GetRfqResponse:
        return pb.GetRfqResponse(rfq=rfq_to_proto(await get_rfq(self.ports, request.rfq_id)))

    async def ListRfqs(self, request: pb.ListRfqsRequest, context: Context) -> pb.ListRfqsResponse:
        found, token = await list_rfqs(
            self.ports, request.status, request.page_size, request.page_token
        )
        return pb.ListRfqsResponse(rfqs=[rfq_to_proto(r) for r in found], next_page_token=token)

    async def RecordProposal(
        self, request: pb.RecordProposalRequest, context: Context
    ) -> pb.RecordProposalResponse:
        rfq = await record_proposal(self.ports, commands.record_proposal(request))
        return pb.RecordProposalResponse(rfq=rfq_to_proto(rfq))

    async def CompareProposals(
        self, request: pb.CompareProposalsRequest, context: Context
    ) -> pb.CompareProposalsResponse:
        return comparison_to_proto(await compare_proposals(self.ports, request.rfq_id))

    async def AwardProposal(
        self, request: pb.AwardProposalRequest, context: Context
    ) -> pb.AwardProposalResponse:
        rfq, order = await award_proposal(self.ports, commands.award_proposal(request))
        return pb.AwardProposalResponse(rfq=rfq_to_proto(rfq), purchase_order=_shown(order))

    # Contracts

    async def CreateContract(
        self, request: pb.CreateContractRequest, context: Context
    ) -> pb.CreateContractResponse:
        contract = await create_contract(self.ports, commands.create_contract(request))
        return pb.CreateContractResponse(contract=contract_to_proto(contract))

    async def ListContracts(
        self, request: pb.ListContractsRequest, context: Context
    ) -> pb.ListContractsResponse:
        found, token = await list_contracts(self.ports, commands.list_contracts(request))
        return pb.ListContractsResponse(
            contracts=[contract_to_proto(c) for c in found], next_page_token=token
        )

    # Purchase orders

    async def CreatePurchaseOrder(
        self, request: pb.CreatePurchaseOrderRequest, context: Context
    ) -> pb.CreatePurchaseOrderResponse:
        order = await create_purchase_order(self.ports, commands.create_purchase_order(request))
        return pb.CreatePurchaseOrderResponse(purchase_order=_shown(order))

    async def GetPurchaseOrder(
        self, request: pb.GetPurchaseOrderRequest, context: Context
    ) -> pb.GetPurchaseOrderResponse:
        order = await get_purchase_order(self.ports, request.purchase_order_id)
        return pb.GetPurchaseOrderResponse(purchase_order=_shown(order))

    async def ListPurchaseOrders(
        self, request: pb.ListPurchaseOrdersRequest, context: Context
    ) -> pb.ListPurchaseOrdersResponse:
        query = commands.list_purchase_orders(request)
        found, token = await list_purchase_orders(self.ports, query)
        return pb.ListPurchaseOrdersResponse(
            purchase_orders=[_shown(o) for o in found], next_page_token=token
        )

    async def UpdatePurchaseOrder(
        self, request: pb.UpdatePurchaseOrderRequest, context: Context
    ) -> pb.UpdatePurchaseOrderResponse:
        order = await update_purchase_order(self.ports, commands.update_purchase_order(request))
        return pb.UpdatePurchaseOrderResponse(purchase_order=_shown(order))

    async def SendPurchaseOrder(
        self, request: pb.SendPurchaseOrderRequest, context: Context
    ) -> pb.SendPurchaseOrderResponse:
        order = await send_purchase_order(self.ports, commands.send_purchase_order(request))
        return pb.SendPurchaseOrderResponse(purchase_order=_shown(order))

    async def CancelPurchaseOrder(
        self, request: pb.CancelPurchaseOrderRequest, context: Context
    ) -> pb.CancelPurchaseOrderResponse:
        order = await cancel_purchase_order(self.ports, commands.cancel_purchase_order(request))
        return pb.CancelPurchaseOrderResponse(purchase_order=_shown(order))

    async def ReducePurchaseOrderLine(
        self, request: pb.ReducePurchaseOrderLineRequest, context: Context
    ) -> pb.ReducePurchaseOrderLineResponse:
        command = commands.reduce_purchase_order_line(request)
        order = await reduce_purchase_order_line(self.ports, command)
        return pb.ReducePurchaseOrderLineResponse(purchase_order=_shown(order))

    # Reorder rules

    async def SetReorderRule(
        self, request: pb.SetReorderRuleRequest, context: Context
    ) -> pb.SetReorderRuleResponse:
        rule = await set_reorder_rule(self.ports, commands.set_reorder_rule(request))
        prices = sees_prices(current_principal())
        return pb.SetReorderRuleResponse(rule=rule_to_proto(rule, prices=prices))

    async def ListReorderRules(
        self, request: pb.ListReorderRulesRequest, context: Context
    ) -> pb.ListReorderRulesResponse:
        found, token = await list_reorder_rules(self.ports, commands.list_reorder_rules(request))
        prices = sees_prices(current_principal())
        return pb.ListReorderRulesResponse(
            rules=[rule_to_proto(r, prices=prices) for r in found], next_page_token=token
        )
