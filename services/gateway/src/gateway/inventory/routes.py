"""/warehouses, /stock (+ /adjustments, /transfers, /reorder-points, /expected), /receipts,
/reservations, /shipments (+ /{id}/status), /returns/{id}/receipt

Errors map centrally (gateway.edge.problems): INVALID_ARGUMENT -> 422 with the fields at fault,
FAILED_PRECONDITION -> 409, NOT_FOUND -> 404. POSTs that create a warehouse or move stock pass
the caller's Idempotency-Key on as the command's request_id, so inventory itself applies a retry
once. Lists come a page at a time (`page_size` 1..200, `page_token`; `next_page_token` is empty
on the last page). Inventory decides again who may do what; these role checks are the first
line."""

from fastapi import APIRouter, Request

from gateway.bodies import IdPath, IdQuery, PageSize, PageToken
from gateway.edge.auth import AnyUser, require
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import problems
from gateway.inventory.schemas import (
    ExpectedGoods,
    ExpectedGoodsIn,
    Receipt,
    ReceiptIn,
    ReorderPointIn,
    Reservations,
    Return,
    ReturnReceiptIn,
    Shipment,
    ShipmentIn,
    ShipmentPage,
    ShipmentStatusIn,
    StockAdjustmentIn,
    StockLevel,
    StockLevelPage,
    Transfer,
    TransferIn,
    Warehouse,
    WarehouseIn,
    WarehousePage,
)
from oms.inventory.v1 import inventory_pb2 as pb

router = APIRouter(tags=["inventory"])
routers = (router,)
WAREHOUSE = require("warehouse")
STOCK_PLANNING = require("warehouse", "purchasing")


@router.post(
    "/warehouses",
    status_code=201,
    response_model=Warehouse,
    dependencies=[WAREHOUSE],
    operation_id="createWarehouse",
    summary="Create a warehouse",
    responses=problems(409),
)
async def create_warehouse(body: WarehouseIn, request: Request) -> Warehouse:
    """Adds a warehouse; `priority` orders where stock is reserved first. It is read in the
    list of warehouses: there is no URL of one warehouse, so no Location. Its Idempotency-Key
    goes on to inventory as the `request_id`."""
    reply = await request.app.state.clients.inventory.CreateWarehouse(
        pb.CreateWarehouseRequest(
            code=body.code,
            name=body.name,
            priority=body.priority,
            request_id=request_id(request),
        )
    )
    return Warehouse.model_validate(reply.warehouse)


@router.get(
    "/warehouses",
    response_model=WarehousePage,
    dependencies=[AnyUser],
    operation_id="listWarehouses",
    summary="List warehouses",
)
async def list_warehouses(
    request: Request, page_size: PageSize = 50, page_token: PageToken = ""
) -> WarehousePage:
    """In allocation order: priority, then code."""
    reply = await request.app.state.clients.inventory.ListWarehouses(
        pb.ListWarehousesRequest(page_size=page_size, page_token=page_token)
    )
    return WarehousePage(
        items=[Warehouse.model_validate(w) for w in reply.warehouses],
        next_page_token=reply.next_page_token,
    )


@router.post(
    "/stock/adjustments",
    status_code=201,
    response_model=StockLevel,
    dependencies=[WAREHOUSE],
    operation_id="adjustStock",
    summary="Adjust stock on hand",
    responses=problems(404, 409),
)
async def adjust_stock(body: StockAdjustmentIn, request: Request) -> StockLevel:
    """Adds (> 0) or removes (< 0) units on hand, with the reason; never below what is
    reserved (409). Answers the new level."""
    reply = await request.app.state.clients.inventory.AdjustStock(
        pb.AdjustStockRequest(
            warehouse_id=body.warehouse_id,
            product_id=body.product_id,
            quantity_delta=body.quantity_delta,
            reason=body.reason,
            request_id=request_id(request),
        )
    )
    return StockLevel.model_validate(reply.level)


@router.get(
    "/stock",
    response_model=StockLevelPage,
    dependencies=[AnyUser],
    operation_id="listStockLevels",
    summary="List stock levels",
)
async def stock(
    request: Request,
    product_id: IdQuery = "",
    warehouse_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> StockLevelPage:
    """Levels by product, then warehouse, with what is incoming (announced purchase orders) and
    backordered."""
    reply = await request.app.state.clients.inventory.GetStock(
        pb.GetStockRequest(
            product_id=product_id,
            warehouse_id=warehouse_id,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return StockLevelPage(
        items=[StockLevel.model_validate(s) for s in reply.levels],
        next_page_token=reply.next_page_token,
    )


@router.post(
    "/stock/transfers",
    status_code=201,
    response_model=Transfer,
    dependencies=[WAREHOUSE],
    operation_id="transferStock",
    summary="Transfer stock between warehouses",
    responses=problems(404, 409),
)
async def transfer_stock(body: TransferIn, request: Request) -> Transfer:
    """Moves units from one warehouse to another, never what the source has reserved
    (409). Answers both new levels."""
    reply = await request.app.state.clients.inventory.TransferStock(
        pb.TransferStockRequest(
            from_warehouse_id=body.from_warehouse_id,
            to_warehouse_id=body.to_warehouse_id,
            product_id=body.product_id,
            quantity=body.quantity,
            reason=body.reason,
            request_id=request_id(request),
        )
    )
    return Transfer.model_validate(reply)


@router.put(
    "/stock/reorder-points",
    response_model=StockLevel,
    dependencies=[STOCK_PLANNING],
    operation_id="setReorderPoint",
    summary="Set a reorder point",
    responses=problems(404),
)
async def set_reorder_point(body: ReorderPointIn, request: Request) -> StockLevel:
    """Sets the level below which LowStock is published for the product in the warehouse
    (0 removes it)."""
    reply = await request.app.state.clients.inventory.SetReorderPoint(
        pb.SetReorderPointRequest(
            product_id=body.product_id,
            warehouse_id=body.warehouse_id,
            reorder_point=body.reorder_point,
        )
    )
    return StockLevel.model_validate(reply.level)


@router.post(
    "/stock/expected",
    response_model=ExpectedGoods,
    dependencies=[STOCK_PLANNING],
    operation_id="expectGoods",
    summary="Announce goods expected",
    responses=problems(404),
)
async def expect_goods(body: ExpectedGoodsIn, request: Request) -> ExpectedGoods:
    """Announces what a purchase order brings (it counts as incoming until received); announcing
    it again replaces it, so a retry changes nothing."""
    reply = await request.app.state.clients.inventory.ExpectGoods(
        pb.ExpectGoodsRequest(
            purchase_order_id=body.purchase_order_id,
            warehouse_id=body.warehouse_id,
            lines=[
                pb.ExpectedLine(product_id=x.product_id, quantity=x.quantity) for x in body.lines
            ],
        )
    )
    return ExpectedGoods.model_validate(reply)


@router.post(
    "/receipts",
    status_code=201,
    response_model=Receipt,
    dependencies=[WAREHOUSE],
    operation_id="receiveGoods",
    summary="Receive goods",
    responses=problems(404, 409),
)
async def receive_goods(body: ReceiptIn, request: Request) -> Receipt:
    """Puts received goods on hand (against a purchase order, or without one); backorders
    waiting for them are reserved. A `receipt_id` seen before is not applied again."""
    reply = await request.app.state.clients.inventory.ReceiveGoods(
        pb.ReceiveGoodsRequest(
            warehouse_id=body.warehouse_id,
            purchase_order_id=body.purchase_order_id,
            lines=[
                pb.ReceiptLine(product_id=x.product_id, quantity=x.quantity) for x in body.lines
            ],
            receipt_id=body.receipt_id,
            request_id=request_id(request),
        )
    )
    return Receipt.model_validate(reply.receipt)


@router.get(
    "/reservations",
    response_model=Reservations,
    dependencies=[AnyUser],
    operation_id="listReservations",
    summary="List an order's reservations",
    responses=problems(404),
)
async def reservations(
    request: Request, order_id: IdQuery, page_size: PageSize = 50, page_token: PageToken = ""
) -> Reservations:
    """The reservation ledger of an order, per line and warehouse, a page of lines at a time,
    and whether the order may ship (approved, not on hold)."""
    reply = await request.app.state.clients.inventory.ListReservations(
        pb.ListReservationsRequest(order_id=order_id, page_size=page_size, page_token=page_token)
    )
    return Reservations.model_validate(reply)


@router.post(
    "/shipments",
    status_code=201,
    response_model=Shipment,
    dependencies=[WAREHOUSE],
    operation_id="shipOrder",
    summary="Ship an order",
    responses=problems(404, 409),
)
async def ship(body: ShipmentIn, request: Request) -> Shipment:
    """409 while the order is not approved or is on hold (the detail says why)."""
    reply = await request.app.state.clients.inventory.ShipOrder(
        pb.ShipOrderRequest(
            order_id=body.order_id,
            warehouse_id=body.warehouse_id,
            carrier=body.carrier,
            tracking_number=body.tracking_number,
            lines=[pb.ShipLine(line_id=x.line_id, quantity=x.quantity) for x in body.lines],
            request_id=request_id(request),
        )
    )
    return Shipment.model_validate(reply.shipment)


@router.get(
    "/shipments",
    response_model=ShipmentPage,
    dependencies=[AnyUser],
    operation_id="listShipments",
    summary="List shipments",
)
async def shipments(
    request: Request, order_id: IdQuery = "", page_size: PageSize = 50, page_token: PageToken = ""
) -> ShipmentPage:
    """Newest first; of one order when `order_id` is given."""
    reply = await request.app.state.clients.inventory.ListShipments(
        pb.ListShipmentsRequest(order_id=order_id, page_size=page_size, page_token=page_token)
    )
    return ShipmentPage(
        items=[Shipment.model_validate(s) for s in reply.shipments],
        next_page_token=reply.next_page_token,
    )


@router.post(
    "/shipments/{shipment_id}/status",
    response_model=Shipment,
    dependencies=[WAREHOUSE],
    operation_id="updateShipmentStatus",
    summary="Update a shipment's status",
    responses=problems(404, 409),
)
async def shipment_status(
    shipment_id: IdPath, body: ShipmentStatusIn, request: Request
) -> Shipment:
    """dispatched -> in_transit -> delivered (409 for any other move; the current status again
    changes nothing, so a retry is harmless)."""
    reply = await request.app.state.clients.inventory.UpdateShipmentStatus(
        pb.UpdateShipmentStatusRequest(shipment_id=shipment_id, status=body.status)
    )
    return Shipment.model_validate(reply.shipment)


@router.post(
    "/returns/{return_id}/receipt",
    status_code=201,
    response_model=Return,
    dependencies=[WAREHOUSE],
    operation_id="receiveReturn",
    summary="Receive a return",
    responses=problems(404, 409),
)
async def receive_return(return_id: IdPath, body: ReturnReceiptIn, request: Request) -> Return:
    """Puts the goods of an authorised return back on hand (409 when received already)."""
    reply = await request.app.state.clients.inventory.ReceiveReturn(
        pb.ReceiveReturnRequest(
            return_id=return_id, warehouse_id=body.warehouse_id, request_id=request_id(request)
        )
    )
    return Return.of(reply.received)
