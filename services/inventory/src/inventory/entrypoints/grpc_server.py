"""inventory.v1.InventoryService: protobuf in, use cases, protobuf out."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from inventory.application.reservations import Reservations, Shipment
from inventory.application.stock import Stock, StockLevel, Warehouse
from oms.inventory.v1 import inventory_pb2 as pb
from oms.inventory.v1 import inventory_pb2_grpc
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext


def _warehouse(w: Warehouse) -> pb.Warehouse:
    return pb.Warehouse(id=w.id, code=w.code, name=w.name)


def _level(s: StockLevel) -> pb.StockLevel:
    return pb.StockLevel(
        warehouse_id=s.warehouse_id,
        product_id=s.product_id,
        on_hand=s.on_hand,
        reserved=s.reserved,
        available=s.available,
    )


def _shipment(s: Shipment) -> pb.Shipment:
    return pb.Shipment(
        id=s.id,
        order_id=s.order_id,
        warehouse_id=s.warehouse_id,
        lines=[
            pb.ShipmentLine(line_id=x.line_id, product_id=x.product_id, quantity=x.quantity)
            for x in s.lines
        ],
        carrier=s.carrier,
        tracking_number=s.tracking_number,
        status=s.status,
        created_at=timestamp(s.created_at),
        created_by=s.created_by,
    )


class InventoryServicer(inventory_pb2_grpc.InventoryServiceServicer):
    def __init__(self, stock: Stock, reservations: Reservations) -> None:
        self.stock = stock
        self.reservations = reservations

    async def CreateWarehouse(
        self, request: pb.CreateWarehouseRequest, context: Context
    ) -> pb.CreateWarehouseResponse:
        return pb.CreateWarehouseResponse(
            warehouse=_warehouse(await self.stock.create_warehouse(request.code, request.name))
        )

    async def ListWarehouses(
        self, request: pb.ListWarehousesRequest, context: Context
    ) -> pb.ListWarehousesResponse:
        return pb.ListWarehousesResponse(
            warehouses=[_warehouse(w) for w in await self.stock.list_warehouses()]
        )

    async def AdjustStock(
        self, request: pb.AdjustStockRequest, context: Context
    ) -> pb.AdjustStockResponse:
        level = await self.stock.adjust(
            request.warehouse_id, request.product_id, request.quantity_delta, request.reason
        )
        return pb.AdjustStockResponse(level=_level(level))

    async def GetStock(self, request: pb.GetStockRequest, context: Context) -> pb.GetStockResponse:
        levels = await self.stock.levels(request.product_id, request.warehouse_id)
        return pb.GetStockResponse(levels=[_level(s) for s in levels])

    async def ShipOrder(
        self, request: pb.ShipOrderRequest, context: Context
    ) -> pb.ShipOrderResponse:
        shipment = await self.reservations.ship(
            request.order_id, request.warehouse_id, request.carrier, request.tracking_number
        )
        return pb.ShipOrderResponse(shipment=_shipment(shipment))

    async def ListShipments(
        self, request: pb.ListShipmentsRequest, context: Context
    ) -> pb.ListShipmentsResponse:
        found = await self.reservations.shipments_of(request.order_id)
        return pb.ListShipmentsResponse(shipments=[_shipment(s) for s in found])
