"""/suppliers (billing's resources are in routes/billing.py)"""

from fastapi import APIRouter, Request, Response

from gateway.auth import AnyUser, require
from gateway.schemas import Items, Supplier, SupplierIn
from oms.procurement.v1 import procurement_pb2

router = APIRouter()


@router.post(
    "/suppliers",
    status_code=201,
    response_model=Supplier,
    dependencies=[require("purchasing")],
    tags=["procurement"],
)
async def create_supplier(body: SupplierIn, request: Request, response: Response) -> Supplier:
    reply = await request.app.state.clients.procurement.CreateSupplier(
        procurement_pb2.CreateSupplierRequest(
            name=body.name, email=body.email, currency=body.currency
        )
    )
    response.headers["Location"] = f"{request.url.path}/{reply.supplier.id}"
    return Supplier.model_validate(reply.supplier)


@router.get("/suppliers", response_model=Items, dependencies=[AnyUser], tags=["procurement"])
async def suppliers(request: Request) -> Items:
    reply = await request.app.state.clients.procurement.ListSuppliers(
        procurement_pb2.ListSuppliersRequest()
    )
    return Items(items=[Supplier.model_validate(s) for s in reply.suppliers])


@router.get(
    "/suppliers/{supplier_id}",
    response_model=Supplier,
    dependencies=[AnyUser],
    tags=["procurement"],
)
async def supplier(supplier_id: str, request: Request) -> Supplier:
    reply = await request.app.state.clients.procurement.GetSupplier(
        procurement_pb2.GetSupplierRequest(supplier_id=supplier_id)
    )
    return Supplier.model_validate(reply.supplier)
