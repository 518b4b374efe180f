"""inventory.v1.InventoryService: protobuf in, use cases, protobuf out. Who may call which RPC
is decided before these run (inventory.entrypoints.access)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import grpc

from inventory.application.order_ledger import OrderLedger
from inventory.application.ports import ClientRequest
from inventory.application.receipts import Receipts
from inventory.application.returns import Returns
from inventory.application.shipments import Shipments
from inventory.application.stock import Stock
from inventory.application.warehouses import Warehouses
from inventory.entrypoints import messages
from oms.inventory.v1 import inventory_pb2 as pb
from oms.inventory.v1 import inventory_pb2_grpc

Context: TypeAlias = grpc.aio.ServicerContext


@dataclass(frozen=True)
class UseCases:
    warehouses: Warehouses
    stock: Stock
    receipts: Receipts
    shipments: Shipments
    returns: Returns
    ledger: OrderLedger


class InventoryServicer(inventory_pb2_grpc.InventoryServiceServicer):
    def __init__(self, use: UseCases) -> None:
        self.use = use

    async def CreateWarehouse(
        self, request: pb.CreateWarehouseRequest, context: Context
    ) -> pb.CreateWarehouseResponse:
        created = await self.use.warehouses.create(request.code, request.name, request.priority)
        return pb.CreateWarehouseResponse(warehouse=messages.warehouse(created))

    async def ListWarehouses(
        self, request: pb.ListWarehousesRequest, context: Context
    ) -> pb.ListWarehousesResponse:
        found, token = await self.use.warehouses.page(request.page_size, request.page_token)
        return pb.ListWarehousesResponse(
            warehouses=[messages.warehouse(w) for w in found], next_page_token=token
        )

    async def AdjustStock(
        self, request: pb.AdjustStockRequest, context: Context
    ) -> pb.AdjustStockResponse:
        level = await self.use.stock.adjust(
            request.warehouse_id,
            request.product_id,
            request.quantity_delta,
            request.reason,
            ClientRequest(request.request_id, request),
        )
        return pb.AdjustStockResponse(level=messages.level(level))

    async def GetStock(self, request: pb.GetStockRequest, context: Context) -> pb.GetStockResponse:
        levels, token = await self.use.stock.levels(
            request.product_id, request.warehouse_id, request.page_size, request.page_token
        )
        return pb.GetStockResponse(
            levels=[messages.level(s) for s in levels], next_page_token=token
        )

    async def ShipOrder(
        self, request: pb.ShipOrderRequest, context: Context
    ) -> pb.ShipOrderResponse:
        shipment = await self.use.shipments.ship(
            request.order_id,
            request.warehouse_id,
            request.carrier,
            request.tracking_number,
            [(x.line_id, x.quantity) for x in request.lines],
            ClientRequest(request.request_id, request),
        )
        return pb.ShipOrderResponse(shipment=messages.shipment(shipment))

    async def ListShipments(
        self, request: pb.ListShipmentsRequest, context: Context
    ) -> pb.ListShipmentsResponse:
        found, token = await self.use.shipments.page(
            request.order_id, request.page_size, request.page_token
        )
        return pb.ListShipmentsResponse(
            shipments=[messages.shipment(s) for s in found], next_page_token=token
        )

    async def ReceiveGoods(
        self, request: pb.ReceiveGoodsRequest, context: Context
    ) -> pb.ReceiveGoodsResponse:
        receipt = await self.use.receipts.receive(
            request.warehouse_id,
            request.purchase_order_id,
            [(x.product_id, x.quantity) for x in request.lines],
            request.receipt_id,
            ClientRequest(request.request_id, request),
        )
        return pb.ReceiveGoodsResponse(receipt=messages.receipt(receipt))

    async def TransferStock(
        self, request: pb.TransferStockRequest, context: Context
    ) -> pb.TransferStockResponse:
        transfer = await self.use.stock.transfer(
            request.from_warehouse_id,
            request.to_warehouse_id,
            request.product_id,
            request.quantity,
            request.reason,
            ClientRequest(request.request_id, request),
        )
        return pb.TransferStockResponse(
            transfer_id=transfer.id,
            from_level=messages.level(transfer.source),
            to_level=messages.level(transfer.target),
        )

    async def SetReorderPoint(
        self, request: pb.SetReorderPointRequest, context: Context
    ) -> pb.SetReorderPointResponse:
        level = await self.use.stock.set_reorder_point(
            request.product_id, request.warehouse_id, request.reorder_point
        )
        return pb.SetReorderPointResponse(level=messages.level(level))

    async def ExpectGoods(
        self, request: pb.ExpectGoodsRequest, context: Context
    ) -> pb.ExpectGoodsResponse:
        expectation = await self.use.receipts.expect(
            request.purchase_order_id,
            request.warehouse_id,
            [(x.product_id, x.quantity) for x in request.lines],
        )
        return messages.expectation(expectation)

    async def ListReservations(
        self, request: pb.ListReservationsRequest, context: Context
    ) -> pb.ListReservationsResponse:
        found = await self.use.ledger.of(request.order_id, request.page_size, request.page_token)
        return messages.ledger(found)

    async def UpdateShipmentStatus(
        self, request: pb.UpdateShipmentStatusRequest, context: Context
    ) -> pb.UpdateShipmentStatusResponse:
        shipment = await self.use.shipments.change_status(request.shipment_id, request.status)
        return pb.UpdateShipmentStatusResponse(shipment=messages.shipment(shipment))

    async def ReceiveReturn(
        self, request: pb.ReceiveReturnRequest, context: Context
    ) -> pb.ReceiveReturnResponse:
        received = await self.use.returns.receive(
            request.return_id, request.warehouse_id, ClientRequest(request.request_id, request)
        )
        return pb.ReceiveReturnResponse(received=messages.returned(received))
