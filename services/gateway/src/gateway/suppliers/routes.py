"""/suppliers and /supplier-contracts. A first line of checks (the procurement service
decides): writes need the purchasing role; purchasing and finance read everything; the warehouse
reads suppliers. Creating a contract passes the Idempotency-Key on as its request_id."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.bodies import IdPath, IdQuery, PageSize, PageToken
from gateway.edge.auth import require
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import located, problems
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


@suppliers.post(
    "",
    operation_id="createSupplier",
    summary="Create a supplier",
    status_code=201,
    response_model=Supplier,
    dependencies=[WRITERS],
    responses=located("getSupplier", "supplier_id", "The supplier created.") | problems(409),
)
async def create_supplier(body: SupplierIn, request: Request, response: Response) -> Supplier:
    """Adds a supplier to buy from, in its currency; 409 when a supplier of that name exists.
    Its Idempotency-Key goes on to procurement as the `request_id`, so a retry answers the
    supplier the first try created. Purchasing only."""
    reply = await request.app.state.clients.procurement.CreateSupplier(
        body.to_proto(request_id(request))
    )
    response.headers["Location"] = f"{request.url.path}/{reply.supplier.id}"
    return Supplier.model_validate(reply.supplier)


@suppliers.get(
    "",
    operation_id="listSuppliers",
    summary="List suppliers",
    response_model=SupplierPage,
    dependencies=[READERS],
)
async def list_suppliers(
    request: Request, page_size: PageSize = 50, page_token: PageToken = ""
) -> SupplierPage:
    """Suppliers by name. Purchasing, finance and the warehouse may read them."""
    reply = await request.app.state.clients.procurement.ListSuppliers(
        pb.ListSuppliersRequest(page_size=page_size, page_token=page_token)
    )
    return SupplierPage(
        items=[Supplier.model_validate(s) for s in reply.suppliers],
        next_page_token=reply.next_page_token,
    )


@suppliers.get(
    "/{supplier_id}",
    operation_id="getSupplier",
    summary="Get a supplier",
    response_model=Supplier,
    dependencies=[READERS],
    responses=problems(404),
)
async def get_supplier(supplier_id: IdPath, request: Request) -> Supplier:
    """One supplier with its contacts, payment terms and rating. Purchasing, finance and the
    warehouse may read it; 404 when there is no such supplier."""
    reply = await request.app.state.clients.procurement.GetSupplier(
        pb.GetSupplierRequest(supplier_id=supplier_id)
    )
    return Supplier.model_validate(reply.supplier)


@suppliers.put(
    "/{supplier_id}",
    operation_id="updateSupplier",
    summary="Update a supplier",
    response_model=Supplier,
    dependencies=[WRITERS],
    responses=problems(404),
)
async def update_supplier(
    supplier_id: IdPath, body: SupplierChangeIn, request: Request
) -> Supplier:
    """Replaces the e-mail, contacts, payment terms and rating (not the name or currency) and
    answers the supplier as it is now; 404 when there is no such supplier. Purchasing only."""
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


@contracts.post(
    "",
    operation_id="createSupplierContract",
    summary="Create a supplier contract",
    status_code=201,
    response_model=SupplierContract,
    dependencies=[WRITERS],
)
async def create_contract(body: ContractIn, request: Request) -> SupplierContract:
    """Records unit prices agreed with a supplier for a period: purchase orders to that supplier
    take them for those products. Answers the contract (no Location: contracts are read in
    listSupplierContracts). Purchasing only."""
    reply = await request.app.state.clients.procurement.CreateContract(
        body.to_proto(request_id(request))
    )
    return SupplierContract.model_validate(reply.contract)


@contracts.get(
    "",
    operation_id="listSupplierContracts",
    summary="List supplier contracts",
    response_model=ContractPage,
    dependencies=[PRICE_READERS],
)
async def list_contracts(
    request: Request,
    supplier_id: IdQuery = "",
    product_id: IdQuery = "",
    active_on: Annotated[str, Query(max_length=10, description="YYYY-MM-DD")] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> ContractPage:
    """Contracts, newest period first; `supplier_id`, `product_id` and `active_on` (a day the
    contract covers) narrow the list. Purchasing and finance may read them."""
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
