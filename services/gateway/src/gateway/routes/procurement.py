"""/suppliers, /rfqs (+ proposals, comparison, award), /supplier-contracts, /purchase-orders
(+ send, cancel) and /reorder-rules: procure to pay. A first line of checks (the procurement
service decides): writes need the purchasing role; purchasing and finance read everything; the
warehouse reads suppliers, purchase orders and reorder rules, and the service leaves their prices
out. POSTs that commit money pass the Idempotency-Key on as the command's request_id."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.auth import require
from gateway.idempotency import request_id
from gateway.procurement_schemas import (
    Award,
    AwardIn,
    CancelIn,
    Comparison,
    ContractIn,
    ContractPage,
    ProposalIn,
    PurchaseOrder,
    PurchaseOrderIn,
    PurchaseOrderPage,
    ReorderRule,
    ReorderRuleIn,
    ReorderRulePage,
    Rfq,
    RfqIn,
    RfqPage,
    Supplier,
    SupplierChangeIn,
    SupplierContract,
    SupplierIn,
    SupplierPage,
)
from gateway.schemas import IdPath, IdQuery, PageSize, PageToken
from oms.procurement.v1 import procurement_pb2 as pb

suppliers = APIRouter(prefix="/suppliers", tags=["procurement"])
rfqs = APIRouter(prefix="/rfqs", tags=["procurement"])
contracts = APIRouter(prefix="/supplier-contracts", tags=["procurement"])
purchase_orders = APIRouter(prefix="/purchase-orders", tags=["procurement"])
reorder_rules = APIRouter(prefix="/reorder-rules", tags=["procurement"])
routers = (suppliers, rfqs, contracts, purchase_orders, reorder_rules)

WRITERS = require("purchasing")
# What holds prices and nothing else: RFQs and their proposals, contracts.
PRICE_READERS = require("purchasing", "finance")
READERS = require("purchasing", "finance", "warehouse")


# Suppliers


@suppliers.post("", status_code=201, response_model=Supplier, dependencies=[WRITERS])
async def create_supplier(body: SupplierIn, request: Request, response: Response) -> Supplier:
    reply = await request.app.state.clients.procurement.CreateSupplier(body.to_proto())
    response.headers["Location"] = f"{request.url.path}/{reply.supplier.id}"
    return Supplier.model_validate(reply.supplier)


@suppliers.get("", response_model=SupplierPage, dependencies=[READERS])
async def list_suppliers(
    request: Request, page_size: PageSize = 50, page_token: PageToken = ""
) -> SupplierPage:
    """Suppliers by name."""
    reply = await request.app.state.clients.procurement.ListSuppliers(
        pb.ListSuppliersRequest(page_size=page_size, page_token=page_token)
    )
    return SupplierPage(
        items=[Supplier.model_validate(s) for s in reply.suppliers],
        next_page_token=reply.next_page_token,
    )


@suppliers.get("/{supplier_id}", response_model=Supplier, dependencies=[READERS])
async def get_supplier(supplier_id: IdPath, request: Request) -> Supplier:
    reply = await request.app.state.clients.procurement.GetSupplier(
        pb.GetSupplierRequest(supplier_id=supplier_id)
    )
    return Supplier.model_validate(reply.supplier)


@suppliers.put("/{supplier_id}", response_model=Supplier, dependencies=[WRITERS])
async def update_supplier(
    supplier_id: IdPath, body: SupplierChangeIn, request: Request
) -> Supplier:
    """Replaces the e-mail, contacts, payment terms and rating (not the name or currency)."""
    reply = await request.app.state.clients.procurement.UpdateSupplier(
        pb.UpdateSupplierRequest(
            supplier_id=supplier_id,
            email=body.email,
            contacts=[c.to_proto() for c in body.contacts],
            payment_terms=body.payment_terms,
            rating=body.rating,
        )
    )
    return Supplier.model_validate(reply.supplier)


# RFQs


@rfqs.post("", status_code=201, response_model=Rfq, dependencies=[WRITERS])
async def create_rfq(body: RfqIn, request: Request, response: Response) -> Rfq:
    """Sends lines to price to several suppliers at once; open until awarded."""
    reply = await request.app.state.clients.procurement.CreateRfq(body.to_proto())
    response.headers["Location"] = f"{request.url.path}/{reply.rfq.id}"
    return Rfq.model_validate(reply.rfq)


@rfqs.get("", response_model=RfqPage, dependencies=[PRICE_READERS])
async def list_rfqs(
    request: Request,
    status: Annotated[str, Query(max_length=16, description="open or awarded")] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> RfqPage:
    """RFQs, newest first."""
    reply = await request.app.state.clients.procurement.ListRfqs(
        pb.ListRfqsRequest(status=status, page_size=page_size, page_token=page_token)
    )
    return RfqPage(
        items=[Rfq.model_validate(r) for r in reply.rfqs], next_page_token=reply.next_page_token
    )


@rfqs.get("/{rfq_id}", response_model=Rfq, dependencies=[PRICE_READERS])
async def get_rfq(rfq_id: IdPath, request: Request) -> Rfq:
    reply = await request.app.state.clients.procurement.GetRfq(pb.GetRfqRequest(rfq_id=rfq_id))
    return Rfq.model_validate(reply.rfq)


@rfqs.post("/{rfq_id}/proposals", response_model=Rfq, dependencies=[WRITERS])
async def record_proposal(rfq_id: IdPath, body: ProposalIn, request: Request) -> Rfq:
    """Records a supplier's proposal, replacing its earlier one (409, field `deadline`, once the
    deadline has passed)."""
    reply = await request.app.state.clients.procurement.RecordProposal(
        body.to_proto(rfq_id, request_id(request))
    )
    return Rfq.model_validate(reply.rfq)


@rfqs.get("/{rfq_id}/comparison", response_model=Comparison, dependencies=[PRICE_READERS])
async def compare_proposals(rfq_id: IdPath, request: Request) -> Comparison:
    """The proposals side by side, totalled by the pricing engine, cheapest first and marked."""
    reply = await request.app.state.clients.procurement.CompareProposals(
        pb.CompareProposalsRequest(rfq_id=rfq_id)
    )
    return Comparison.model_validate(reply)


@rfqs.post("/{rfq_id}/award", status_code=201, response_model=Award, dependencies=[WRITERS])
async def award_proposal(
    rfq_id: IdPath, body: AwardIn, request: Request, response: Response
) -> Award:
    """Awards a supplier's proposal; answers with the draft purchase order made from it."""
    reply = await request.app.state.clients.procurement.AwardProposal(
        pb.AwardProposalRequest(
            rfq_id=rfq_id, supplier_id=body.supplier_id, request_id=request_id(request)
        )
    )
    response.headers["Location"] = f"/api/v1/purchase-orders/{reply.purchase_order.id}"
    return Award.model_validate(reply)


# Contracts


@contracts.post("", status_code=201, response_model=SupplierContract, dependencies=[WRITERS])
async def create_contract(body: ContractIn, request: Request) -> SupplierContract:
    reply = await request.app.state.clients.procurement.CreateContract(
        body.to_proto(request_id(request))
    )
    return SupplierContract.model_validate(reply.contract)


@contracts.get("", response_model=ContractPage, dependencies=[PRICE_READERS])
async def list_contracts(
    request: Request,
    supplier_id: IdQuery = "",
    product_id: IdQuery = "",
    active_on: Annotated[str, Query(max_length=10, description="YYYY-MM-DD")] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> ContractPage:
    """Contracts, newest period first."""
    reply = await request.app.state.clients.procurement.ListContracts(
        pb.ListContractsRequest(
            supplier_id=supplier_id,
            product_id=product_id,
            active_on=active_on,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return ContractPage(
        items=[SupplierContract.model_validate(c) for c in reply.contracts],
        next_page_token=reply.next_page_token,
    )


# Purchase orders


@purchase_orders.post("", status_code=201, response_model=PurchaseOrder, dependencies=[WRITERS])
async def create_purchase_order(
    body: PurchaseOrderIn, request: Request, response: Response
) -> PurchaseOrder:
    """Drafts a purchase order; a product under contract with the supplier takes its price."""
    reply = await request.app.state.clients.procurement.CreatePurchaseOrder(
        pb.CreatePurchaseOrderRequest(content=body.to_proto(), request_id=request_id(request))
    )
    response.headers["Location"] = f"{request.url.path}/{reply.purchase_order.id}"
    return PurchaseOrder.model_validate(reply.purchase_order)


@purchase_orders.get("", response_model=PurchaseOrderPage, dependencies=[READERS])
async def list_purchase_orders(
    request: Request,
    status: Annotated[str, Query(max_length=20, description="draft, sent, received...")] = "",
    supplier_id: IdQuery = "",
    warehouse_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> PurchaseOrderPage:
    """Purchase orders, newest first (without prices for the warehouse)."""
    reply = await request.app.state.clients.procurement.ListPurchaseOrders(
        pb.ListPurchaseOrdersRequest(
            status=status,
            supplier_id=supplier_id,
            warehouse_id=warehouse_id,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return PurchaseOrderPage(
        items=[PurchaseOrder.model_validate(o) for o in reply.purchase_orders],
        next_page_token=reply.next_page_token,
    )


@purchase_orders.get("/{order_id}", response_model=PurchaseOrder, dependencies=[READERS])
async def get_purchase_order(order_id: IdPath, request: Request) -> PurchaseOrder:
    reply = await request.app.state.clients.procurement.GetPurchaseOrder(
        pb.GetPurchaseOrderRequest(purchase_order_id=order_id)
    )
    return PurchaseOrder.model_validate(reply.purchase_order)


@purchase_orders.put("/{order_id}", response_model=PurchaseOrder, dependencies=[WRITERS])
async def update_purchase_order(
    order_id: IdPath, body: PurchaseOrderIn, request: Request
) -> PurchaseOrder:
    """Replaces a draft's content (409 unless it is a draft)."""
    reply = await request.app.state.clients.procurement.UpdatePurchaseOrder(
        pb.UpdatePurchaseOrderRequest(purchase_order_id=order_id, content=body.to_proto())
    )
    return PurchaseOrder.model_validate(reply.purchase_order)


@purchase_orders.post("/{order_id}/send", response_model=PurchaseOrder, dependencies=[WRITERS])
async def send_purchase_order(order_id: IdPath, request: Request) -> PurchaseOrder:
    """draft -> sent: inventory now expects the goods and billing the bill (409 otherwise)."""
    reply = await request.app.state.clients.procurement.SendPurchaseOrder(
        pb.SendPurchaseOrderRequest(purchase_order_id=order_id, request_id=request_id(request))
    )
    return PurchaseOrder.model_validate(reply.purchase_order)


@purchase_orders.post("/{order_id}/cancel", response_model=PurchaseOrder, dependencies=[WRITERS])
async def cancel_purchase_order(
    order_id: IdPath, request: Request, body: CancelIn | None = None
) -> PurchaseOrder:
    """draft or sent -> cancelled (409 otherwise)."""
    reply = await request.app.state.clients.procurement.CancelPurchaseOrder(
        pb.CancelPurchaseOrderRequest(
            purchase_order_id=order_id, reason=body.reason if body else ""
        )
    )
    return PurchaseOrder.model_validate(reply.purchase_order)


# Reorder rules


@reorder_rules.put("", response_model=ReorderRule, dependencies=[WRITERS])
async def set_reorder_rule(body: ReorderRuleIn, request: Request) -> ReorderRule:
    """Creates or replaces the rule of one product in one warehouse."""
    reply = await request.app.state.clients.procurement.SetReorderRule(body.to_proto())
    return ReorderRule.model_validate(reply.rule)


@reorder_rules.get("", response_model=ReorderRulePage, dependencies=[READERS])
async def list_reorder_rules(
    request: Request,
    warehouse_id: IdQuery = "",
    product_id: IdQuery = "",
    supplier_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> ReorderRulePage:
    """Rules by warehouse and product (without prices for the warehouse)."""
    reply = await request.app.state.clients.procurement.ListReorderRules(
        pb.ListReorderRulesRequest(
            warehouse_id=warehouse_id,
            product_id=product_id,
            supplier_id=supplier_id,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return ReorderRulePage(
        items=[ReorderRule.model_validate(r) for r in reply.rules],
        next_page_token=reply.next_page_token,
    )
