"""Test data and steps for billing's use-case tests on the fakes: orders placed and shipped, a
finance user acting, events of a kind."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, TypeVar

from billing.application.fields import Amount
from billing.application.reactions.on_sales_order_placed import (
    SalesOrderPlaced,
    on_sales_order_placed,
)
from billing.application.reactions.on_shipment_dispatched import on_shipment_dispatched
from billing.domain.invoices import Invoice
from billing.domain.orders import OrderLine, QuotedDocument, Shipment
from pricing.money import Money
from servicekit.context import Principal, acting
from services.billing.tests.unit.fakes import FakeBilling

E = TypeVar("E")


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def amount(value: str, currency: str = "EUR") -> Amount:
    return Amount(value, currency)


def an_id() -> str:
    return str(uuid.uuid4())


@contextmanager
def as_user(subject: str = "fiona", role: str = "finance") -> Iterator[None]:
    with acting(Principal(subject, (role,))):
        yield


def an_order(
    customer_id: str = "C-1",
    price: str = "12.50",
    *,
    document: QuotedDocument | None = None,
    channel: str = "",
    lines: tuple[OrderLine, ...] = (),
) -> SalesOrderPlaced:
    """100 of p1 at `price` (or the lines given)."""
    ordered = lines or (OrderLine(an_id(), "p1", "SKU-1", 100, eur(price)),)
    return SalesOrderPlaced(an_id(), customer_id, "EUR", ordered, document, channel)


def a_shipment(order: SalesOrderPlaced, quantity: int = 3, line: int = 0) -> Shipment:
    return Shipment(an_id(), order.order_id, ((order.lines[line].line_id, quantity),))


async def placed(billing: FakeBilling, order: SalesOrderPlaced) -> None:
    async with billing() as uow:
        await on_sales_order_placed(uow, order)


async def shipped(billing: FakeBilling, shipment: Shipment) -> None:
    async with billing() as uow:
        await on_shipment_dispatched(uow, shipment)


async def invoiced(
    billing: FakeBilling, customer_id: str = "C-1", quantity: int = 3, price: str = "12.50"
) -> Invoice:
    """An order shipped in one go: its invoice (quantity x price)."""
    order = an_order(customer_id, price)
    await placed(billing, order)
    await shipped(billing, a_shipment(order, quantity))
    (invoice,) = [i for i in billing.state.invoices.values() if i.order_id == order.order_id]
    return invoice


def of_kind(billing: FakeBilling, kind: type[E]) -> list[E]:
    """The events of one kind published so far, oldest first."""
    return [e for e in billing.published if isinstance(e, kind)]


def amounts(events: list[Any], name: str) -> list[str]:
    """One money field of each event, as text."""
    return [str(getattr(e, name).amount) for e in events]
