"""The WooCommerce connector's store orders, for the order desk's work queue: those parked (a SKU
the catalog does not know) or in review, and a parked one taken up again once the cause is
fixed. The connector checks every right again (its access table)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from gateway.bodies import PageSize, PageToken
from gateway.edge.auth import require
from gateway.edge.openapi import problems
from gateway.store_orders.schemas import (
    StoreOrder,
    StoreOrderList,
    StoreOrderRetried,
    StoreOrderState,
)
from oms.woocommerce.v1 import store_orders_pb2 as pb

router = APIRouter(prefix="/store-orders", tags=["orders"])
routers = (router,)
READERS = require("order-desk", "sales-manager")
DESK = require("order-desk")
StoreId = Annotated[str, Query(max_length=40, description="one store's orders; every store's")]
StorePath = Annotated[str, Path(max_length=40, description="the store the order came from")]
WooOrderId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the order's id in WooCommerce")]


@router.get(
    "",
    response_model=StoreOrderList,
    dependencies=[READERS],
    operation_id="listStoreOrders",
    summary="List the WooCommerce stores' orders",
    responses=problems(503),
)
async def list_store_orders(
    request: Request,
    store_id: StoreId = "",
    state: Annotated[
        StoreOrderState | None, Query(description="only orders in this state; any when unset")
    ] = None,
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> StoreOrderList:
    """The orders the connector received, by store and WooCommerce order id, with their state
    and why (`state=parked`: the order desk's queue)."""
    reply = await request.app.state.clients.store_orders.ListStoreOrders(
        pb.ListStoreOrdersRequest(
            store_id=store_id, state=state or "", page_size=page_size, page_token=page_token
        )
    )
    return StoreOrderList(
        items=[StoreOrder.model_validate(o) for o in reply.orders],
        next_page_token=reply.next_page_token,
    )


@router.post(
    "/{store_id}/{woo_order_id}/retry",
    response_model=StoreOrderRetried,
    dependencies=[DESK],
    operation_id="retryStoreOrder",
    summary="Take a parked store order up again",
    responses=problems(404, 409, 503),
)
async def retry_store_order(
    store_id: StorePath, woo_order_id: WooOrderId, request: Request
) -> StoreOrderRetried:
    """Takes a parked order up again: back to received, mapped from its snapshot on the
    connector's next round (parked again if a SKU is still unknown); an order whose sales sync
    was refused is made due again. 404 for an unknown order, 409 when there is nothing to retry."""
    reply = await request.app.state.clients.store_orders.RetryStoreOrder(
        pb.RetryStoreOrderRequest(store_id=store_id, woo_order_id=woo_order_id)
    )
    return StoreOrderRetried.model_validate(reply)
