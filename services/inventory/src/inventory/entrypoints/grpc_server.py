"""inventory.v1.InventoryService: each RPC's request as a command or query, its result as the
reply. Who may call which RPC is decided before these run (inventory.entrypoints.access)."""

from __future__ import annotations

from typing import Any, TypeAlias

import grpc

from inventory.application.commands.adjust_stock import AdjustStock, adjust_stock
from inventory.application.commands.create_warehouse import CreateWarehouse, create_warehouse
from inventory.application.commands.expect_goods import ExpectGoods, expect_goods
from inventory.application.commands.receive_goods import ReceiveGoods, receive_goods
from inventory.application.commands.receive_return import ReceiveReturn, receive_return
from inventory.application.commands.set_reorder_point import SetReorderPoint, set_reorder_point
from inventory.application.commands.ship_order import ShipOrder, ship_order
from inventory.application.commands.transfer_stock import TransferStock, transfer_stock
from inventory.application.commands.update_shipment_status import update_shipment_status
from inventory.application.ports import Catalog, ClientRequest, UnitOfWorkFactory
from inventory.application.queries.availability import get_availability
from inventory.application.queries.reservations import list_reservations
from inventory.application.queries.shipments import list_shipments
from inventory.application.queries.stock import get_stock
from inventory.application.queries.warehouses import list_warehouses
from inventory.entrypoints import messages
from oms.inventory.v1 import inventory_pb2 as pb
from oms.inventory.v1 import inventory_pb2_grpc
from servicekit.idempotency import fingerprint

Context: TypeAlias = grpc.aio.ServicerContext


def _client(request: Any) -> ClientRequest:
    """The command's request id and the fingerprint of the request as it arrived."""
    return ClientRequest(request.request_id, fingerprint(request))


class InventoryServicer(inventory_pb2_grpc.InventoryServiceServicer):
    def __init__(self, uow: UnitOfWorkFactory, catalog: Catalog) -> None:
        self.uow = uow
        self.catalog = catalog

    async def CreateWarehouse(
        self, request: pb.CreateWarehouseRequest, context: Context
    ) -> pb.CreateWarehouseResponse:
        command = CreateWarehouse(request.code, request.name, request.priority, _client(request))
        created = await create_warehouse(self.uow(), command)
        return pb.CreateWarehouseResponse(warehouse=messages.warehouse(created))

    async def ListWarehouses(
        self, request: pb.ListWarehousesRequest, context: Context
    ) -> pb.ListWarehousesResponse:
        found, token = await list_warehouses(self.uow(), request.page_size, request.page_token)
        return pb.ListWarehousesResponse(
            warehouses=[messages.warehouse(w) for w in found], next_page_token=token
        )

    async def AdjustStock(
        self, request: pb.AdjustStockRequest, context: Context
    ) -> pb.AdjustStockResponse:
        command = AdjustStock(
            request.warehouse_id,
            request.product_id,
            request.quantity_delta,
            request.reason,
            _client(request),
        )
        level = await adjust_stock(self.uow(), self.catalog, command)
        return pb.AdjustStockResponse(level=messages.level(level))

    async def GetStock(self, request: pb.GetStockRequest, context: Context) -> pb.GetStockResponse:
        levels, token = await get_stock(
            self.uow(),
            request.product_id,
            request.warehouse_id,
            request.page_size,
            request.page_token,
        )
        return pb.GetStockResponse(
            levels=[messages.level(s) for s in levels], next_page_token=token
        )

    async def ShipOrder(
        self, request: pb.ShipOrderRequest, context: Context
    ) -> pb.ShipOrderResponse:
        command = ShipOrder(
            request.order_id,
            request.warehouse_id,
            request.carrier,
            request.tracking_number,
            [(x.line_id, x.quantity) for x in request.lines],
            _client(request),
        )
        shipment = await ship_order(self.uow(), command)
        return pb.ShipOrderResponse(shipment=messages.shipment(shipment))

    async def ListShipments(
        self, request: pb.ListShipmentsRequest, context: Context
    ) -> pb.ListShipmentsResponse:
        found, token = await list_shipments(
            self.uow(), request.order_id, request.page_size, request.page_token
        )
        return pb.ListShipmentsResponse(
            shipments=[messages.shipment(s) for s in found], next_page_token=token
        )

    async def ReceiveGoods(
        self, request: pb.ReceiveGoodsRequest, context: Context
    ) -> pb.ReceiveGoodsResponse:
        command = ReceiveGoods(
            request.warehouse_id,
            request.purchase_order_id,
            [(x.product_id, x.quantity) for x in request.lines],
            request.receipt_id,
            _client(request),
        )
        receipt = await receive_goods(self.uow(), self.catalog, command)
        return pb.ReceiveGoodsResponse(receipt=messages.receipt(receipt))

    async def TransferStock(
        self, request: pb.TransferStockRequest, context: Context
    ) -> pb.TransferStockResponse:
        command = TransferStock(
            request.from_warehouse_id,
            request.to_warehouse_id,
            request.product_id,
            request.quantity,
            request.reason,
            _client(request),
        )
        transfer = await transfer_stock(self.uow(), self.catalog, command)
        return pb.TransferStockResponse(
            transfer_id=transfer.id,
            from_level=messages.level(transfer.source),
            to_level=messages.level(transfer.target),
        )

    async def SetReorderPoint(
        self, request: pb.SetReorderPointRequest, context: Context
    ) -> pb.SetReorderPointResponse:
        command = SetReorderPoint(request.product_id, request.warehouse_id, request.reorder_point)
        level = await set_reorder_point(self.uow(), self.catalog, command)
        return pb.SetReorderPointResponse(level=messages.level(level))

    async def ExpectGoods(
        self, request: pb.ExpectGoodsRequest, context: Context
    ) -> pb.ExpectGoodsResponse:
        command = ExpectGoods(
            request.purchase_order_id,
            request.warehouse_id,
            [(x.product_id, x.quantity) for x in request.lines],
        )
        return messages.expectation(await expect_goods(self.uow(), self.catalog, command))

    async def ListReservations(
        self, request: pb.ListReservationsRequest, context: Context
    ) -> pb.ListReservationsResponse:
        found = await list_reservations(
            self.uow(), request.order_id, request.page_size, request.page_token
        )
        return messages.ledger(found)

    async def GetAvailability(
        self, request: pb.GetAvailabilityRequest, context: Context
    ) -> pb.GetAvailabilityResponse:
        found = await get_availability(self.uow(), self.catalog, request.product_id)
        return messages.availability(found)

    async def UpdateShipmentStatus(
        self, request: pb.UpdateShipmentStatusRequest, context: Context
    ) -> pb.UpdateShipmentStatusResponse:
        shipment = await update_shipment_status(self.uow(), request.shipment_id, request.status)
        return pb.UpdateShipmentStatusResponse(shipment=messages.shipment(shipment))

    async def ReceiveReturn(
        self, request: pb.ReceiveReturnRequest, context: Context
    ) -> pb.ReceiveReturnResponse:
        command = ReceiveReturn(
            request.return_id,
            request.warehouse_id,
            _client(request),
        )
        received = await receive_return(self.uow(), command)
        return pb.ReceiveReturnResponse(received=messages.returned(received))
