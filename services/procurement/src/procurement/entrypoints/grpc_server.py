"""procurement.v1.ProcurementService: protobuf in, use cases, protobuf out."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from oms.procurement.v1 import procurement_pb2 as pb
from oms.procurement.v1 import procurement_pb2_grpc
from procurement.application.suppliers import Suppliers
from procurement.domain.model import Supplier
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext


def supplier_to_proto(supplier: Supplier) -> pb.Supplier:
    return pb.Supplier(
        id=supplier.id,
        name=supplier.name,
        email=supplier.email,
        currency=supplier.currency,
        created_at=timestamp(supplier.created_at),
        created_by=supplier.created_by,
    )


class ProcurementServicer(procurement_pb2_grpc.ProcurementServiceServicer):
    def __init__(self, suppliers: Suppliers) -> None:
        self.suppliers = suppliers

    async def CreateSupplier(
        self, request: pb.CreateSupplierRequest, context: Context
    ) -> pb.CreateSupplierResponse:
        supplier = await self.suppliers.create(request.name, request.email, request.currency)
        return pb.CreateSupplierResponse(supplier=supplier_to_proto(supplier))

    async def GetSupplier(
        self, request: pb.GetSupplierRequest, context: Context
    ) -> pb.GetSupplierResponse:
        supplier = await self.suppliers.get(request.supplier_id)
        return pb.GetSupplierResponse(supplier=supplier_to_proto(supplier))

    async def ListSuppliers(
        self, request: pb.ListSuppliersRequest, context: Context
    ) -> pb.ListSuppliersResponse:
        found = await self.suppliers.find()
        return pb.ListSuppliersResponse(suppliers=[supplier_to_proto(s) for s in found])
