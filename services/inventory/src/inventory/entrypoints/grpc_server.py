"""inventory.v1.InventoryService: protobuf in, use cases, protobuf out."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from inventory.application.reservations import Ledger, Reservations
from inventory.application.shipments import Return, Shipment, Shipments
from inventory.application.stock import Expectation, Receipt, Stock, StockLevel, Warehouse
from oms.inventory.v1 import inventory_pb2 as pb
from oms.inventory.v1 import inventory_pb2_grpc
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext


def _warehouse(w: Warehouse) -> pb.Warehouse:
    return pb.Warehouse(id=w.id, code=w.code, name=w.name, priority=w.priority)


def _level(s: StockLevel) -> pb.StockLevel:
    return pb.StockLevel(
        warehouse_id=s.warehouse_id,
        product_id=s.product_id,
        on_hand=s.on_hand,
        reserved=s.reserved,
        available=s.available,
        incoming=s.incoming,
        backordered=s.backordered,
        reorder_point=s.reorder_point,
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
        updated_at=timestamp(s.updated_at or s.created_at),
    )


def _receipt(r: Receipt) -> pb.Receipt:
    return pb.Receipt(
        id=r.id,
        warehouse_id=r.warehouse_id,
        purchase_order_id=r.purchase_order_id,
        lines=[pb.ReceiptLine(product_id=x.product_id, quantity=x.quantity) for x in r.lines],
        created_at=timestamp(r.created_at),
        created_by=r.created_by,
    )


def _expectation(e: Expectation) -> pb.ExpectGoodsResponse:
    return pb.ExpectGoodsResponse(
        purchase_order_id=e.purchase_order_id,
        warehouse_id=e.warehouse_id,
        lines=[
            pb.ExpectedLine(product_id=x.product_id, quantity=x.quantity, received=x.received)
            for x in e.lines
        ],
    )


def _ledger(ledger: Ledger) -> pb.ListReservationsResponse:
    return pb.ListReservationsResponse(
        order_id=ledger.order_id,
        status=ledger.status,
        placed_at=timestamp(ledger.placed_at),
        lines=[
            pb.ReservationLine(
                line_id=line.line_id,
                product_id=line.product_id,
                quantity=line.quantity,
                backordered=line.backordered,
                allocations=[
                    pb.LineAllocation(
                        warehouse_id=a.warehouse_id,
                        reserved=a.reserved,
                        consumed=a.consumed,
                        released=a.released,
                    )
                    for a in line.allocations
                ],
            )
            for line in ledger.lines
        ],
    )


def _return(r: Return) -> pb.Return:
    returned = pb.Return(
        return_id=r.return_id,
        order_id=r.order_id,
        warehouse_id=r.warehouse_id,
        lines=[
            pb.ShipmentLine(line_id=x.line_id, product_id=x.product_id, quantity=x.quantity)
            for x in r.lines
        ],
        status=r.status,
        received_by=r.received_by,
    )
    if r.received_at is not None:
        returned.received_at.CopyFrom(timestamp(r.received_at))
    return returned


class InventoryServicer(inventory_pb2_grpc.InventoryServiceServicer):
    def __init__(self, stock: Stock, reservations: Reservations, shipments: Shipments) -> None:
        self.stock = stock
        self.reservations = reservations
        self.shipments = shipments

    async def CreateWarehouse(
        self, request: pb.CreateWarehouseRequest, context: Context
    ) -> pb.CreateWarehouseResponse:
        warehouse = await self.stock.create_warehouse(request.code, request.name, request.priority)
        return pb.CreateWarehouseResponse(warehouse=_warehouse(warehouse))

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
        shipment = await self.shipments.ship(
            request.order_id,
            request.warehouse_id,
            request.carrier,
            request.tracking_number,
            [(x.line_id, x.quantity) for x in request.lines],
        )
        return pb.ShipOrderResponse(shipment=_shipment(shipment))

    async def ListShipments(
        self, request: pb.ListShipmentsRequest, context: Context
    ) -> pb.ListShipmentsResponse:
        found = await self.shipments.shipments_of(request.order_id)
        return pb.ListShipmentsResponse(shipments=[_shipment(s) for s in found])

    async def ReceiveGoods(
        self, request: pb.ReceiveGoodsRequest, context: Context
    ) -> pb.ReceiveGoodsResponse:
        receipt = await self.stock.receive(
            request.warehouse_id,
            request.purchase_order_id,
            [(x.product_id, x.quantity) for x in request.lines],
            request.receipt_id,
        )
        return pb.ReceiveGoodsResponse(receipt=_receipt(receipt))

    async def TransferStock(
        self, request: pb.TransferStockRequest, context: Context
    ) -> pb.TransferStockResponse:
        transfer = await self.stock.transfer(
            request.from_warehouse_id,
            request.to_warehouse_id,
            request.product_id,
            request.quantity,
            request.reason,
        )
        return pb.TransferStockResponse(
            transfer_id=transfer.id,
            from_level=_level(transfer.source),
            to_level=_level(transfer.target),
        )

    async def SetReorderPoint(
        self, request: pb.SetReorderPointRequest, context: Context
    ) -> pb.SetReorderPointResponse:
        level = await self.stock.set_reorder_point(
            request.product_id, request.warehouse_id, request.reorder_point
        )
        return pb.SetReorderPointResponse(level=_level(level))

    async def ExpectGoods(
        self, request: pb.ExpectGoodsRequest, context: Context
    ) -> pb.ExpectGoodsResponse:
        expectation = await self.stock.expect(
            request.purchase_order_id,
            request.warehouse_id,
            [(x.product_id, x.quantity) for x in request.lines],
        )
        return _expectation(expectation)

    async def ListReservations(
        self, request: pb.ListReservationsRequest, context: Context
    ) -> pb.ListReservationsResponse:
        return _ledger(await self.reservations.ledger_of(request.order_id))

    async def UpdateShipmentStatus(
        self, request: pb.UpdateShipmentStatusRequest, context: Context
    ) -> pb.UpdateShipmentStatusResponse:
        shipment = await self.shipments.change_status(request.shipment_id, request.status)
        return pb.UpdateShipmentStatusResponse(shipment=_shipment(shipment))

    async def ReceiveReturn(
        self, request: pb.ReceiveReturnRequest, context: Context
    ) -> pb.ReceiveReturnResponse:
        received = await self.shipments.receive_return(request.return_id, request.warehouse_id)
        return pb.ReceiveReturnResponse(received=_return(received))
