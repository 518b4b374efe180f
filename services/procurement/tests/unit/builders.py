"""Inputs the use-case tests share, and a way to run a use case as a person would call it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from pricing.document import ShippingCharge, TaxRate
from procurement.application.commands.create_rfq import CreateRfq, create_rfq
from procurement.application.commands.create_supplier import CreateSupplier, create_supplier
from procurement.application.ports import Ports, RequestKey
from procurement.domain.limits import EnteredMoney
from procurement.domain.order_content import GroupInput, LineInput, OrderContent
from procurement.domain.rfq_content import RfqInput, RfqLineInput
from procurement.domain.rfqs import ProposalInput, ProposalLineInput, Rfq
from procurement.domain.suppliers import Contact, Supplier
from servicekit.context import Principal, acting

VAT19 = TaxRate("VAT19", "0.19")


@contextmanager
def as_user(subject: str = "pat", *roles: str) -> Iterator[None]:
    with acting(Principal(subject, roles or ("purchasing",))):
        yield


def eur(amount: str) -> EnteredMoney:
    return EnteredMoney(amount, "EUR")


def key(request_id: str, fingerprint: str = "print") -> RequestKey:
    return RequestKey(request_id, fingerprint)


async def a_supplier(ports: Ports, name: str = "Acme", terms: str = "30 days net") -> Supplier:
    command = CreateSupplier(
        name, f"sales@{name.lower()}.test", "EUR", (Contact("Ann", role="sales"),), terms, 4
    )
    return await create_supplier(ports, command)


def line(product_id: str, quantity: int, price: str | None = None) -> LineInput:
    entered = None if price is None else eur(price)
    return LineInput(product_id, sku=f"SKU-{product_id}", quantity=quantity, unit_price=entered)


def content(supplier_id: str, *lines: LineInput, **fields: object) -> OrderContent:
    return OrderContent(
        supplier_id,
        "w-1",
        groups=(GroupInput("Parts", lines, taxes=(VAT19,)),),
        shipping=(ShippingCharge("Freight", "15.00"),),
        **fields,  # type: ignore[arg-type]
    )


async def an_rfq(ports: Ports, *supplier_ids: str, hours: int = 1) -> Rfq:
    rfq = RfqInput(
        "Spring restock",
        "EUR",
        "w-1",
        supplier_ids,
        (
            RfqLineInput("p-1", "BOLT-M6", quantity=100),
            RfqLineInput("p-2", "NUT-M6", quantity=40, needed_by="2099-01-01"),
        ),
    )
    return await create_rfq(ports, CreateRfq(rfq, ports.clock.now() + timedelta(hours=hours)))


def a_proposal(supplier_id: str, bolt: str, nut: str, lead: int = 3) -> ProposalInput:
    return ProposalInput(
        supplier_id,
        (ProposalLineInput("p-1", eur(bolt)), ProposalLineInput("p-2", eur(nut))),
        lead,
        "45 days net",
        "2099-12-31",
    )
