"""/suppliers and /supplier-contracts. A first line of checks (the procurement service
decides): writes need the purchasing role; purchasing and finance read everything; the warehouse
reads suppliers. Creating a contract passes the Idempotency-Key on as its request_id."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.bodies import IdPath, IdQuery, PageSize, PageToken
from gateway.edge.auth import require
from gateway.edge.idempotency import request_id
from gateway.suppliers.schemas import (
    ContractIn,
    ContractPage,
    Supplier,
    SupplierChangeIn,
    SupplierContract,
    SupplierIn,
    SupplierPage,
)
from oms.procurement.v1 import procurement_pb2 as pb

suppliers = APIRouter(prefix="/suppliers", tags=["procurement"])
contracts = APIRouter(prefix="/supplier-contracts", tags=["procurement"])
routers = (suppliers, contracts)

WRITERS = require("purchasing")
# Contracts hold prices and nothing else.
PRICE_READERS = require("purchasing", "finance")
READERS = require("purchasing", "finance", "warehouse")


@suppliers.post("", status_code=201, response_model=Supplier, dependencies=[WRITERS])
async def create_supplier(body: SupplierIn, request: Request, response: Response) -> Supplier:
    reply = await request.app.state.clients.procurement.CreateSupplier(body.to_proto())
    response.headers["Location"] = f"{request.url.path}/{reply.supplier.id}"
    return Supplier.model_validate(reply.supplier)


@suppliers.get("", response_model=SupplierPage, dependencies=[READERS])
async def list_suppliers(
    request: Request, page_size: PageSize = 50, page_token: PageToken = ""
) -> SupplierPage:
    """Suppliers by name."""
    reply = await request.app.state.clients.procurement.ListSuppliers(
        pb.ListSuppliersRequest(page_size=page_size, page_token=page_token)
    )
    return SupplierPage(
        items=[Supplier.model_validate(s) for s in reply.suppliers],
        next_page_token=reply.next_page_token,
    )


@suppliers.get("/{supplier_id}", response_model=Supplier, dependencies=[READERS])
async def get_supplier(supplier_id: IdPath, request: Request) -> Supplier:
    reply = await request.app.state.clients.procurement.GetSupplier(
        pb.GetSupplierRequest(supplier_id=supplier_id)
    )
    return Supplier.model_validate(reply.supplier)


@suppliers.put("/{supplier_id}", response_model=Supplier, dependencies=[WRITERS])
async def update_supplier(
    supplier_id: IdPath, body: SupplierChangeIn, request: Request
) -> Supplier:
    """Replaces the e-mail, contacts, payment terms and rating (not the name or currency)."""
    reply = await request.app.state.clients.procurement.UpdateSupplier(
        pb.UpdateSupplierRequest(
            supplier_id=supplier_id,
            email=body.email,
            contacts=[c.to_proto() for c in body.contacts],
            payment_terms=body.payment_terms,
            rating=body.rating,
        )
    )
    return Supplier.model_validate(reply.supplier)


@contracts.post("", status_code=201, response_model=SupplierContract, dependencies=[WRITERS])
async def create_contract(body: ContractIn, request: Request) -> SupplierContract:
    reply = await request.app.state.clients.procurement.CreateContract(
        body.to_proto(request_id(request))
    )
    return SupplierContract.model_validate(reply.contract)


@contracts.get("", response_model=ContractPage, dependencies=[PRICE_READERS])
async def list_contracts(
    request: Request,
    supplier_id: IdQuery = "",
    product_id: IdQuery = "",
    active_on: Annotated[str, Query(max_length=10, description="YYYY-MM-DD")] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> ContractPage:
    """Contracts, newest period first."""
    reply = await request.app.state.clients.procurement.ListContracts(
        pb.ListContractsRequest(
            supplier_id=supplier_id,
            product_id=product_id,
            active_on=active_on,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return ContractPage(
        items=[SupplierContract.model_validate(c) for c in reply.contracts],
        next_page_token=reply.next_page_token,
    )
