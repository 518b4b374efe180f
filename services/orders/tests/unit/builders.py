"""Test data for the use-case tests: products the fake catalog knows, customers, orders placed
through the use case, and who is acting."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

from orders.application.commands.place_sales_order import PlaceSalesOrder, place_sales_order
from orders.application.ports import Deps
from orders.application.retry import Retry
from orders.domain.customer_input import CustomerInput, MoneyInput
from orders.domain.customers import open_account
from orders.domain.placing import CatalogProduct, OrderRequest
from orders.domain.sales_order import SalesOrder
from pricing.money import Money
from servicekit.context import Principal, acting
from services.orders.tests.unit.fakes import FakeCatalog, FakeDatabase

WIDGET = CatalogProduct("p1", "SKU-1", Money.of("12.50", "EUR"), True, Decimal("7.00"), "cat-a")
BOLT = CatalogProduct("p2", "SKU-2", Money.of("0.50", "EUR"), True)
GADGET_USD = CatalogProduct("p3", "SKU-3", Money.of("5", "USD"), True)
KIT = CatalogProduct(
    "kit", "KIT-1", Money.of("30", "EUR"), True, components=(("p1", "SKU-1", 2), ("p2", "SKU-2", 5))
)
PRODUCTS = (WIDGET, BOLT, GADGET_USD, KIT)

SAM = Principal("sam", ("sales",), "north")
KIM = Principal("kim", ("sales",), "north")
LEA = Principal("lea", ("sales",), "south")
MIA = Principal("mia", ("sales-manager",), "north")
DESK = Principal("olga", ("order-desk",))
FINANCE = Principal("fin", ("finance",))
WAREHOUSE = Principal("walt", ("warehouse",))
ADMIN = Principal("ada", ("admin",))
INVENTORY = Principal("inventory", ("service",))


@contextmanager
def as_user(who: Principal, causation: str | None = None) -> Iterator[None]:
    with acting(who, causation=causation):
        yield


def a_catalog() -> FakeCatalog:
    return FakeCatalog(PRODUCTS)


def registered(
    database: FakeDatabase,
    limit: str | None = None,
    currency: str = "EUR",
    name: str = "Acme",
    **fields: str,
) -> str:
    """A customer in the master (as finance would open it); its id. `fields`: more of its
    input (customer_group, tax_zone, tax_exemption)."""
    entered = CustomerInput(
        name=name,
        kind="company",
        currency=currency,
        credit_limit=None if limit is None else MoneyInput(limit, currency),
        **fields,  # type: ignore[arg-type]
    )
    customer, _ = open_account(str(uuid.uuid4()), entered, datetime(2026, 1, 1, tzinfo=UTC), "fin")
    database.store.customers[customer.id] = customer
    return customer.id


def a_request(
    customer: str, *lines: tuple[str, int], order_type: str = "standard", **fields: object
) -> OrderRequest:
    return OrderRequest(
        customer,
        "EUR",
        [(product, quantity, "2026-12-15") for product, quantity in lines],
        str(fields.pop("channel", "")),
        order_type=order_type,
        **fields,  # type: ignore[arg-type]
    )


async def placed(
    deps: Deps,
    request: OrderRequest,
    who: Principal = SAM,
    request_id: str = "",
    fingerprint: str = "",
) -> SalesOrder:
    """The order as the use case placed it (the caller's view of it)."""
    with as_user(who):
        command = PlaceSalesOrder(request, Retry(request_id, fingerprint or repr(request)))
        view = await place_sales_order(deps, command)
    return view.order
