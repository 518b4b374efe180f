"""orders.v1.CustomersService: each RPC maps its request to a use case and the result back."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from oms.orders.v1 import customers_pb2 as pb
from oms.orders.v1 import customers_pb2_grpc
from orders.application.commands.create_customer import CreateCustomer, create_customer
from orders.application.commands.update_customer import UpdateCustomer, update_customer
from orders.application.ports import Deps
from orders.application.queries.customers import get_customer, list_customers
from orders.application.retry import Retry
from orders.domain.customer_input import EDITABLE
from orders.domain.customers import CustomerFilter
from orders.entrypoints.messages import customer_to_proto, input_from_proto
from servicekit.errors import InvalidArgument
from servicekit.idempotency import fingerprint

Context: TypeAlias = grpc.aio.ServicerContext


def replaced_fields(request: pb.UpdateCustomerRequest) -> list[str]:
    """The fields an update replaces: those its mask names, else those it sets."""
    paths = list(request.update_mask.paths)
    if not paths:
        return [described.name for described, _ in request.customer.ListFields()]
    unknown = [path for path in paths if path not in EDITABLE]
    if unknown:
        raise InvalidArgument.of(
            "update_mask", f"{unknown[0][:100]!r} is not a CustomerInput field"
        )
    return paths


class CustomersServicer(customers_pb2_grpc.CustomersServiceServicer):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def CreateCustomer(
        self, request: pb.CreateCustomerRequest, context: Context
    ) -> pb.CreateCustomerResponse:
        retry = Retry(request.request_id, fingerprint(request))
        command = CreateCustomer(input_from_proto(request.customer), retry)
        customer = await create_customer(self.deps, command)
        return pb.CreateCustomerResponse(customer=customer_to_proto(customer))

    async def GetCustomer(
        self, request: pb.GetCustomerRequest, context: Context
    ) -> pb.GetCustomerResponse:
        customer = await get_customer(self.deps, request.customer_id)
        return pb.GetCustomerResponse(customer=customer_to_proto(customer))

    async def ListCustomers(
        self, request: pb.ListCustomersRequest, context: Context
    ) -> pb.ListCustomersResponse:
        wanted = CustomerFilter(
            name_prefix=request.name_prefix,
            name_contains=request.name_contains,
            customer_group=request.customer_group,
        )
        found, token = await list_customers(
            self.deps, wanted, request.page_size, request.page_token
        )
        return pb.ListCustomersResponse(
            customers=[customer_to_proto(c) for c in found], next_page_token=token
        )

    async def UpdateCustomer(
        self, request: pb.UpdateCustomerRequest, context: Context
    ) -> pb.UpdateCustomerResponse:
        command = UpdateCustomer(
            request.customer_id,
            input_from_proto(request.customer),
            replaced_fields(request),
            request.version,
        )
        customer = await update_customer(self.deps, command)
        return pb.UpdateCustomerResponse(customer=customer_to_proto(customer))
