"""/invoices, /suppliers"""

from fastapi import APIRouter, Request, Response

from gateway.auth import AnyUser, require
from gateway.schemas import Invoice, Items, Supplier, SupplierIn
from oms.billing.v1 import billing_pb2
from oms.procurement.v1 import procurement_pb2

router = APIRouter()
FINANCE_READERS = require("finance", "order-desk", "sales")


@router.get("/invoices", response_model=Items, dependencies=[FINANCE_READERS], tags=["billing"])
async def invoices(request: Request, order_id: str = "") -> Items:
    reply = await request.app.state.clients.billing.ListInvoices(
        billing_pb2.ListInvoicesRequest(order_id=order_id)
    )
    return Items(items=[Invoice.model_validate(i) for i in reply.invoices])


@router.get(
    "/invoices/{invoice_id}",
    response_model=Invoice,
    dependencies=[FINANCE_READERS],
    tags=["billing"],
)
async def invoice(invoice_id: str, request: Request) -> Invoice:
    reply = await request.app.state.clients.billing.GetInvoice(
        billing_pb2.GetInvoiceRequest(invoice_id=invoice_id)
    )
    return Invoice.model_validate(reply.invoice)


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
