"""/purchase-orders (+ send, cancel, reduce a line) and /reorder-rules. A first line of checks (the
procurement service decides): writes need the purchasing role; purchasing, finance and the
warehouse read them, and the service leaves the prices out for the warehouse. POSTs that commit
money pass the Idempotency-Key on as the command's request_id."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.bodies import IdPath, IdQuery, PageSize, PageToken
from gateway.edge.auth import require
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import located, problems
from gateway.purchase_orders.schemas import (
    CancelPurchaseOrderIn,
    PurchaseOrder,
    PurchaseOrderIn,
    PurchaseOrderPage,
    ReduceLineIn,
    ReorderRule,
    ReorderRuleIn,
    ReorderRulePage,
)
from oms.procurement.v1 import procurement_pb2 as pb

router = APIRouter(prefix="/purchase-orders", tags=["procurement"])
reorder_rules = APIRouter(prefix="/reorder-rules", tags=["procurement"])
routers = (router, reorder_rules)

WRITERS = require("purchasing")
READERS = require("purchasing", "finance", "warehouse")


@router.post(
    "",
    operation_id="createPurchaseOrder",
    summary="Draft a purchase order",
    status_code=201,
    response_model=PurchaseOrder,
    dependencies=[WRITERS],
    responses=located("getPurchaseOrder", "purchase_order_id", "The draft purchase order."),
)
async def create_purchase_order(
    body: PurchaseOrderIn, request: Request, response: Response
) -> PurchaseOrder:
    """Drafts a purchase order, priced by procurement: a product under contract with the
    supplier takes the contract's price, any other needs its `unit_price`. 422 on
    `supplier_id` for a supplier that does not exist. Purchasing only."""
    reply = await request.app.state.clients.procurement.CreatePurchaseOrder(
        pb.CreatePurchaseOrderRequest(content=body.to_proto(), request_id=request_id(request))
    )
    response.headers["Location"] = f"{request.url.path}/{reply.purchase_order.id}"
    return PurchaseOrder.model_validate(reply.purchase_order)


@router.get(
    "",
    operation_id="listPurchaseOrders",
    summary="List purchase orders",
    response_model=PurchaseOrderPage,
    dependencies=[READERS],
)
async def list_purchase_orders(
    request: Request,
    status: Annotated[str, Query(max_length=20, description="draft, sent, received...")] = "",
    supplier_id: IdQuery = "",
    warehouse_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> PurchaseOrderPage:
    """Purchase orders, newest first; `status`, `supplier_id` and `warehouse_id` narrow the
    list. Purchasing, finance and the warehouse may read them (the warehouse without prices)."""
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


@router.get(
    "/{purchase_order_id}",
    operation_id="getPurchaseOrder",
    summary="Get a purchase order",
    response_model=PurchaseOrder,
    dependencies=[READERS],
    responses=problems(404),
)
async def get_purchase_order(purchase_order_id: IdPath, request: Request) -> PurchaseOrder:
    """One purchase order with its lines, receipts, status history and bill. Purchasing,
    finance and the warehouse may read it (the warehouse without prices); 404 when there is no
    such purchase order."""
    reply = await request.app.state.clients.procurement.GetPurchaseOrder(
        pb.GetPurchaseOrderRequest(purchase_order_id=purchase_order_id)
    )
    return PurchaseOrder.model_validate(reply.purchase_order)


@router.put(
    "/{purchase_order_id}",
    operation_id="updatePurchaseOrder",
    summary="Replace a draft purchase order",
    response_model=PurchaseOrder,
    dependencies=[WRITERS],
    responses=problems(404, 409),
)
async def update_purchase_order(
    purchase_order_id: IdPath, body: PurchaseOrderIn, request: Request
) -> PurchaseOrder:
    """Replaces a draft's content and answers it priced again (409 unless it is a draft; 404
    when there is no such purchase order). Purchasing only."""
    reply = await request.app.state.clients.procurement.UpdatePurchaseOrder(
        pb.UpdatePurchaseOrderRequest(purchase_order_id=purchase_order_id, content=body.to_proto())
    )
    return PurchaseOrder.model_validate(reply.purchase_order)


@router.post(
    "/{purchase_order_id}/send",
    operation_id="sendPurchaseOrder",
    summary="Send a purchase order",
    response_model=PurchaseOrder,
    dependencies=[WRITERS],
    responses=problems(404, 409),
)
async def send_purchase_order(purchase_order_id: IdPath, request: Request) -> PurchaseOrder:
    """draft -> sent: inventory now expects the goods and billing the bill (409 unless it is a
    draft; 404 when there is no such purchase order). Purchasing only."""
    reply = await request.app.state.clients.procurement.SendPurchaseOrder(
        pb.SendPurchaseOrderRequest(
            purchase_order_id=purchase_order_id, request_id=request_id(request)
        )
    )
    return PurchaseOrder.model_validate(reply.purchase_order)


@router.post(
    "/{purchase_order_id}/cancel",
    operation_id="cancelPurchaseOrder",
    summary="Cancel a purchase order",
    response_model=PurchaseOrder,
    dependencies=[WRITERS],
    responses=problems(404, 409),
)
async def cancel_purchase_order(
    purchase_order_id: IdPath, request: Request, body: CancelPurchaseOrderIn | None = None
) -> PurchaseOrder:
    """draft or sent -> cancelled; partially received: what has not arrived is cancelled and the
    order goes on as received (409 otherwise; 404 when there is no such purchase order).
    Purchasing only."""
    reply = await request.app.state.clients.procurement.CancelPurchaseOrder(
        pb.CancelPurchaseOrderRequest(
            purchase_order_id=purchase_order_id, reason=body.reason if body else ""
        )
    )
    return PurchaseOrder.model_validate(reply.purchase_order)


@router.post(
    "/{purchase_order_id}/lines/{product_id}/reduce",
    operation_id="reducePurchaseOrderLine",
    summary="Reduce a purchase order's line",
    response_model=PurchaseOrder,
    dependencies=[WRITERS],
    responses=problems(404, 409),
)
async def reduce_purchase_order_line(
    purchase_order_id: IdPath, product_id: IdPath, body: ReduceLineIn, request: Request
) -> PurchaseOrder:
    """A sent or partially received order's line lowered to `quantity` (not below what
    arrived): the rest is cancelled, inventory stops expecting it, billing bills none of it.
    409 when the order is in no state to reduce; 404 when there is no such purchase order.
    Purchasing only."""
    reply = await request.app.state.clients.procurement.ReducePurchaseOrderLine(
        pb.ReducePurchaseOrderLineRequest(
            purchase_order_id=purchase_order_id,
            product_id=product_id,
            quantity=body.quantity,
            reason=body.reason,
        )
    )
    return PurchaseOrder.model_validate(reply.purchase_order)


@reorder_rules.put(
    "",
    operation_id="setReorderRule",
    summary="Set a reorder rule",
    response_model=ReorderRule,
    dependencies=[WRITERS],
)
async def set_reorder_rule(body: ReorderRuleIn, request: Request) -> ReorderRule:
    """Creates or replaces the rule of one product in one warehouse: once its available stock is at
    or below `minimum`, procurement orders it up to `maximum` from `supplier_id`.
    Purchasing only."""
    reply = await request.app.state.clients.procurement.SetReorderRule(body.to_proto())
    return ReorderRule.model_validate(reply.rule)


@reorder_rules.get(
    "",
    operation_id="listReorderRules",
    summary="List reorder rules",
    response_model=ReorderRulePage,
    dependencies=[READERS],
)
async def list_reorder_rules(
    request: Request,
    warehouse_id: IdQuery = "",
    product_id: IdQuery = "",
    supplier_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> ReorderRulePage:
    """Rules by warehouse and product; `warehouse_id`, `product_id` and `supplier_id` narrow the
    list. Purchasing, finance and the warehouse may read them (the warehouse without prices)."""
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
