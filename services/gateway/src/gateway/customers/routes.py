"""/customers: the customer master (accounts, terms, credit limits, contacts, addresses)"""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.bodies import IdPath, PageSize, PageToken
from gateway.customers.schemas import Customer, CustomerIn, CustomerPage, CustomerUpdateIn
from gateway.edge.auth import require
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import located, problems
from oms.orders.v1 import customers_pb2 as pb

router = APIRouter(prefix="/customers", tags=["customers"])
routers = (router,)

WRITERS = require("sales", "sales-manager", "order-desk", "finance")
READERS = require("sales", "sales-manager", "order-desk", "finance", "warehouse")
CustomerId = IdPath


@router.post(
    "",
    status_code=201,
    response_model=Customer,
    dependencies=[WRITERS],
    operation_id="createCustomer",
    summary="Create a customer",
    responses=located("getCustomer", "customer_id"),
)
async def create_customer(body: CustomerIn, request: Request, response: Response) -> Customer:
    """Opens an account (published as CustomerRegistered); with a credit limit, finance only.
    A sales channel registers a one-off buyer as kind `guest` before placing its order."""
    reply = await request.app.state.clients.customers.CreateCustomer(
        pb.CreateCustomerRequest(customer=body.to_proto(), request_id=request_id(request))
    )
    response.headers["Location"] = f"{request.url.path}/{reply.customer.id}"
    return Customer.model_validate(reply.customer)


@router.get(
    "",
    response_model=CustomerPage,
    dependencies=[READERS],
    operation_id="listCustomers",
    summary="List customers",
)
async def list_customers(
    request: Request,
    name_prefix: Annotated[str, Query(max_length=200, description="ignoring case")] = "",
    name_contains: Annotated[str, Query(max_length=200, description="ignoring case")] = "",
    customer_group: Annotated[str, Query(max_length=100)] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> CustomerPage:
    """Customers by name; `next_page_token` fetches the next page."""
    reply = await request.app.state.clients.customers.ListCustomers(
        pb.ListCustomersRequest(
            name_prefix=name_prefix,
            name_contains=name_contains,
            customer_group=customer_group,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return CustomerPage(
        items=[Customer.model_validate(c) for c in reply.customers],
        next_page_token=reply.next_page_token,
    )


@router.get(
    "/{customer_id}",
    response_model=Customer,
    dependencies=[READERS],
    operation_id="getCustomer",
    summary="Get a customer",
    responses=problems(404),
)
async def get_customer(customer_id: CustomerId, request: Request) -> Customer:
    """A customer account with its contacts, addresses and `version`."""
    reply = await request.app.state.clients.customers.GetCustomer(
        pb.GetCustomerRequest(customer_id=customer_id)
    )
    return Customer.model_validate(reply.customer)


@router.put(
    "/{customer_id}",
    response_model=Customer,
    dependencies=[WRITERS],
    operation_id="updateCustomer",
    summary="Update a customer",
    responses=problems(404, 409),
)
async def update_customer(
    customer_id: CustomerId, body: CustomerUpdateIn, request: Request
) -> Customer:
    """Changes the fields the body gives and keeps the others (published as CustomerChanged);
    null clears the credit limit or an address. The credit limit and payment terms are
    finance's (403 otherwise); with `version`, 409 when the account changed since it was read."""
    reply = await request.app.state.clients.customers.UpdateCustomer(body.to_proto(customer_id))
    return Customer.model_validate(reply.customer)
