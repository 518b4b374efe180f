"""/warehouses, /stock, /shipments"""

from fastapi import APIRouter, Request, Response

from gateway.auth import AnyUser, require
from gateway.schemas import (
    Items,
    Shipment,
    ShipmentIn,
    StockAdjustmentIn,
    StockLevel,
    Warehouse,
    WarehouseIn,
)
from oms.inventory.v1 import inventory_pb2 as pb

router = APIRouter(tags=["inventory"])


@router.post(
    "/warehouses", status_code=201, response_model=Warehouse, dependencies=[require("warehouse")]
)
async def create_warehouse(body: WarehouseIn, request: Request, response: Response) -> Warehouse:
    reply = await request.app.state.clients.inventory.CreateWarehouse(
        pb.CreateWarehouseRequest(code=body.code, name=body.name)
    )
    response.headers["Location"] = f"{request.url.path}/{reply.warehouse.id}"
    return Warehouse.model_validate(reply.warehouse)


@router.get("/warehouses", response_model=Items, dependencies=[AnyUser])
async def list_warehouses(request: Request) -> Items:
    reply = await request.app.state.clients.inventory.ListWarehouses(pb.ListWarehousesRequest())
    return Items(items=[Warehouse.model_validate(w) for w in reply.warehouses])


@router.post(
    "/stock/adjustments",
    status_code=201,
    response_model=StockLevel,
    dependencies=[require("warehouse")],
)
async def adjust_stock(body: StockAdjustmentIn, request: Request) -> StockLevel:
    reply = await request.app.state.clients.inventory.AdjustStock(
        pb.AdjustStockRequest(
            warehouse_id=body.warehouse_id,
            product_id=body.product_id,
            quantity_delta=body.quantity_delta,
            reason=body.reason,
        )
    )
    return StockLevel.model_validate(reply.level)


@router.get("/stock", response_model=Items, dependencies=[AnyUser])
async def stock(request: Request, product_id: str = "", warehouse_id: str = "") -> Items:
    reply = await request.app.state.clients.inventory.GetStock(
        pb.GetStockRequest(product_id=product_id, warehouse_id=warehouse_id)
    )
    return Items(items=[StockLevel.model_validate(s) for s in reply.levels])


@router.post(
    "/shipments", status_code=201, response_model=Shipment, dependencies=[require("warehouse")]
)
async def ship(body: ShipmentIn, request: Request, response: Response) -> Shipment:
    reply = await request.app.state.clients.inventory.ShipOrder(
        pb.ShipOrderRequest(
            order_id=body.order_id,
            warehouse_id=body.warehouse_id,
            carrier=body.carrier,
            tracking_number=body.tracking_number,
        )
    )
    response.headers["Location"] = f"{request.url.path}?order_id={reply.shipment.order_id}"
    return Shipment.model_validate(reply.shipment)


@router.get("/shipments", response_model=Items, dependencies=[AnyUser])
async def shipments(request: Request, order_id: str = "") -> Items:
    reply = await request.app.state.clients.inventory.ListShipments(
        pb.ListShipmentsRequest(order_id=order_id)
    )
    return Items(items=[Shipment.model_validate(s) for s in reply.shipments])
