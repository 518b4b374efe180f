"""/warehouses, /stock (+ /adjustments, /transfers, /reorder-points, /expected), /receipts,
/reservations, /shipments (+ /{id}/status), /returns/{id}/receipt

Errors map centrally (gateway.edge.problems): INVALID_ARGUMENT -> 422 with the fields at fault,
FAILED_PRECONDITION -> 409, NOT_FOUND -> 404. POSTs that move stock pass the caller's
Idempotency-Key on as the command's request_id, so inventory itself applies a retry once. Lists
come a page at a time (`page_size` 1..200, `page_token`; `next_page_token` is empty on the last
page). Inventory decides again who may do what; these role checks are the first line."""

from fastapi import APIRouter, Request, Response

from gateway.bodies import IdPath, IdQuery, PageSize, PageToken
from gateway.edge.auth import AnyUser, require
from gateway.edge.idempotency import request_id
from gateway.inventory.schemas import (
    ExpectedGoods,
    ExpectedGoodsIn,
    Page,
    Receipt,
    ReceiptIn,
    ReorderPointIn,
    Reservations,
    Return,
    ReturnReceiptIn,
    Shipment,
    ShipmentIn,
    ShipmentStatusIn,
    StockAdjustmentIn,
    StockLevel,
    Transfer,
    TransferIn,
    Warehouse,
    WarehouseIn,
)
from oms.inventory.v1 import inventory_pb2 as pb

router = APIRouter(tags=["inventory"])
routers = (router,)
WAREHOUSE = require("warehouse")
STOCK_PLANNING = require("warehouse", "purchasing")


@router.post("/warehouses", status_code=201, response_model=Warehouse, dependencies=[WAREHOUSE])
async def create_warehouse(body: WarehouseIn, request: Request, response: Response) -> Warehouse:
    reply = await request.app.state.clients.inventory.CreateWarehouse(
        pb.CreateWarehouseRequest(code=body.code, name=body.name, priority=body.priority)
    )
    response.headers["Location"] = f"{request.url.path}/{reply.warehouse.id}"
    return Warehouse.model_validate(reply.warehouse)


@router.get("/warehouses", response_model=Page, dependencies=[AnyUser])
async def list_warehouses(
    request: Request, page_size: PageSize = 50, page_token: PageToken = ""
) -> Page:
    """In allocation order: priority, then code."""
    reply = await request.app.state.clients.inventory.ListWarehouses(
        pb.ListWarehousesRequest(page_size=page_size, page_token=page_token)
    )
    return Page(
        items=[Warehouse.model_validate(w) for w in reply.warehouses],
        next_page_token=reply.next_page_token,
    )


@router.post(
    "/stock/adjustments", status_code=201, response_model=StockLevel, dependencies=[WAREHOUSE]
)
async def adjust_stock(body: StockAdjustmentIn, request: Request) -> StockLevel:
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


@router.get("/stock", response_model=Page, dependencies=[AnyUser])
async def stock(
    request: Request,
    product_id: IdQuery = "",
    warehouse_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> Page:
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
    return Page(
        items=[StockLevel.model_validate(s) for s in reply.levels],
        next_page_token=reply.next_page_token,
    )


@router.post("/stock/transfers", status_code=201, response_model=Transfer, dependencies=[WAREHOUSE])
async def transfer_stock(body: TransferIn, request: Request) -> Transfer:
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


@router.put("/stock/reorder-points", response_model=StockLevel, dependencies=[STOCK_PLANNING])
async def set_reorder_point(body: ReorderPointIn, request: Request) -> StockLevel:
    reply = await request.app.state.clients.inventory.SetReorderPoint(
        pb.SetReorderPointRequest(
            product_id=body.product_id,
            warehouse_id=body.warehouse_id,
            reorder_point=body.reorder_point,
        )
    )
    return StockLevel.model_validate(reply.level)


@router.post("/stock/expected", response_model=ExpectedGoods, dependencies=[STOCK_PLANNING])
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


@router.post("/receipts", status_code=201, response_model=Receipt, dependencies=[WAREHOUSE])
async def receive_goods(body: ReceiptIn, request: Request) -> Receipt:
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


@router.get("/reservations", response_model=Reservations, dependencies=[AnyUser])
async def reservations(
    request: Request, order_id: IdQuery, page_size: PageSize = 50, page_token: PageToken = ""
) -> Reservations:
    """The reservation ledger of an order, per line and warehouse, a page of lines at a time,
    and whether the order may ship (approved, not on hold)."""
    reply = await request.app.state.clients.inventory.ListReservations(
        pb.ListReservationsRequest(order_id=order_id, page_size=page_size, page_token=page_token)
    )
    return Reservations.model_validate(reply)


@router.post("/shipments", status_code=201, response_model=Shipment, dependencies=[WAREHOUSE])
async def ship(body: ShipmentIn, request: Request, response: Response) -> Shipment:
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
    response.headers["Location"] = f"{request.url.path}?order_id={reply.shipment.order_id}"
    return Shipment.model_validate(reply.shipment)


@router.get("/shipments", response_model=Page, dependencies=[AnyUser])
async def shipments(
    request: Request, order_id: IdQuery = "", page_size: PageSize = 50, page_token: PageToken = ""
) -> Page:
    """Newest first; of one order when `order_id` is given."""
    reply = await request.app.state.clients.inventory.ListShipments(
        pb.ListShipmentsRequest(order_id=order_id, page_size=page_size, page_token=page_token)
    )
    return Page(
        items=[Shipment.model_validate(s) for s in reply.shipments],
        next_page_token=reply.next_page_token,
    )


@router.post("/shipments/{shipment_id}/status", response_model=Shipment, dependencies=[WAREHOUSE])
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
    "/returns/{return_id}/receipt", status_code=201, response_model=Return, dependencies=[WAREHOUSE]
)
async def receive_return(return_id: IdPath, body: ReturnReceiptIn, request: Request) -> Return:
    """Puts the goods of an authorised return back on hand (409 when received already)."""
    reply = await request.app.state.clients.inventory.ReceiveReturn(
        pb.ReceiveReturnRequest(
            return_id=return_id, warehouse_id=body.warehouse_id, request_id=request_id(request)
        )
    )
    return Return.of(reply.received)
