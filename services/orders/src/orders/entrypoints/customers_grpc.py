"""orders.v1.CustomersService: protobuf in, customer use cases, protobuf out."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from oms.orders.v1 import customers_pb2 as pb
from oms.orders.v1 import customers_pb2_grpc
from orders.application.customers import Customers
from orders.domain.customers import (
    EDITABLE,
    Address,
    Contact,
    Customer,
    CustomerFilter,
    CustomerInput,
    MoneyInput,
)
from orders.domain.rights import sees_prices
from pricing.wire import money_to_proto
from servicekit.context import current_principal
from servicekit.errors import InvalidArgument
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext


def _address_in(message: pb.CustomerInput, name: str) -> Address | None:
    if not message.HasField(name):  # type: ignore[arg-type]
        return None
    a: pb.CustomerAddress = getattr(message, name)
    return Address(
        line1=a.line1,
        line2=a.line2,
        city=a.city,
        postal_code=a.postal_code,
        country=a.country,
        state=a.state,
    )


def input_from_proto(message: pb.CustomerInput) -> CustomerInput:
    limit = message.credit_limit
    return CustomerInput(
        name=message.name,
        kind=message.kind,
        currency=message.currency,
        tax_id=message.tax_id,
        email=message.email,
        customer_group=message.customer_group,
        payment_terms=message.payment_terms,
        credit_limit=MoneyInput(limit.amount, limit.currency)
        if message.HasField("credit_limit")
        else None,
        contacts=tuple(Contact(c.name, c.email, c.phone, c.role) for c in message.contacts),
        billing_address=_address_in(message, "billing_address"),
        shipping_address=_address_in(message, "shipping_address"),
    )


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


def _address(address: Address) -> pb.CustomerAddress:
    return pb.CustomerAddress(
        line1=address.line1,
        line2=address.line2,
        city=address.city,
        postal_code=address.postal_code,
        country=address.country,
        state=address.state,
    )


def customer_to_proto(customer: Customer) -> pb.Customer:
    """The account as the caller may see it: the warehouse reads addresses, not credit."""
    d = customer.details
    message = pb.Customer(
        id=customer.id,
        name=d.name,
        kind=d.kind,
        tax_id=d.tax_id,
        email=d.email,
        customer_group=d.customer_group,
        currency=d.currency,
        payment_terms=d.payment_terms,
        contacts=[
            pb.CustomerContact(name=c.name, email=c.email, phone=c.phone, role=c.role)
            for c in d.contacts
        ],
        version=customer.version,
        created_at=timestamp(customer.created_at),
        created_by=customer.created_by,
        updated_at=timestamp(customer.updated_at),
        updated_by=customer.updated_by,
    )
    if d.credit_limit is not None and sees_prices(current_principal()):
        message.credit_limit.CopyFrom(money_to_proto(d.credit_limit))
    if d.billing_address is not None:
        message.billing_address.CopyFrom(_address(d.billing_address))
    if d.shipping_address is not None:
        message.shipping_address.CopyFrom(_address(d.shipping_address))
    return message


class CustomersServicer(customers_pb2_grpc.CustomersServiceServicer):
    def __init__(self, customers: Customers) -> None:
        self.customers = customers

    async def CreateCustomer(
        self, request: pb.CreateCustomerRequest, context: Context
    ) -> pb.CreateCustomerResponse:
        customer = await self.customers.create(input_from_proto(request.customer))
        return pb.CreateCustomerResponse(customer=customer_to_proto(customer))

    async def GetCustomer(
        self, request: pb.GetCustomerRequest, context: Context
    ) -> pb.GetCustomerResponse:
        customer = await self.customers.get(request.customer_id)
        return pb.GetCustomerResponse(customer=customer_to_proto(customer))

    async def ListCustomers(
        self, request: pb.ListCustomersRequest, context: Context
    ) -> pb.ListCustomersResponse:
        found, token = await self.customers.page(
            CustomerFilter(
                name_prefix=request.name_prefix,
                name_contains=request.name_contains,
                customer_group=request.customer_group,
            ),
            request.page_size,
            request.page_token,
        )
        return pb.ListCustomersResponse(
            customers=[customer_to_proto(c) for c in found], next_page_token=token
        )

    async def UpdateCustomer(
        self, request: pb.UpdateCustomerRequest, context: Context
    ) -> pb.UpdateCustomerResponse:
        customer = await self.customers.update(
            request.customer_id,
            input_from_proto(request.customer),
            replaced_fields(request),
            request.version,
        )
        return pb.UpdateCustomerResponse(customer=customer_to_proto(customer))
