"""Test data for quoting's unit and contract tests: content as a salesperson enters it, the
catalog it is priced from, and quotes in any state."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from pricing.document import TaxRate
from quoting.domain.build import build
from quoting.domain.catalog import CatalogItem, KitComponent, ResolvedPrice
from quoting.domain.content import GroupInput, LineInput, QuoteContent, UnitPrice, stored_form
from quoting.domain.model import Quote, Status
from quoting.domain.request import Contact, CustomerRequest, RequestInput, request_number

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
VAT19 = TaxRate("VAT19", "0.19")
WIDGET = CatalogItem("p-w", "W-1", "Widget", "stocked", True)
BOLT = CatalogItem("p-b", "B-1", "Bolt", "stocked", True)
OLD = CatalogItem("p-o", "O-1", "Old", "stocked", False)
KIT = CatalogItem(
    "p-k",
    "K-1",
    "Starter kit",
    "kit",
    True,
    (KitComponent("p-w", "W-1", 1), KitComponent("p-b", "B-1", 4)),
)
EXPLODING_KIT = CatalogItem("p-e", "K-2", "Loose kit", "kit", True, KIT.components, "components")
ITEMS = (WIDGET, BOLT, OLD, KIT, EXPLODING_KIT)
CATALOG = {i.sku: i for i in ITEMS} | {i.product_id: i for i in ITEMS}


def content(*lines: LineInput, **fields: object) -> QuoteContent:
    """One group, "Main", of `lines`, for C-1 by sam in EUR unless `fields` say otherwise."""
    values: dict[str, object] = {"customer_id": "C-1", "salesperson": "sam", "currency": "EUR"}
    return QuoteContent(groups=(GroupInput("Main", lines),), **(values | fields))  # type: ignore[arg-type]


def free_text(amount: str = "10", quantity: int = 1, **fields: object) -> LineInput:
    return LineInput(
        description="fee",
        quantity=quantity,
        unit_price=UnitPrice(amount, "EUR"),
        **fields,  # type: ignore[arg-type]
    )


def prices(**by_product: str) -> dict[tuple[str, int], ResolvedPrice | None]:
    """Each product's (p-<name>) price at every quantity below 50."""
    found: dict[tuple[str, int], ResolvedPrice | None] = {}
    for quantity in range(1, 50):
        for product, price in by_product.items():
            found[(f"p-{product}", quantity)] = ResolvedPrice(Decimal(price), "list price")
    return found


def a_quote(
    status: Status = Status.DRAFT,
    valid_until: str = "2026-12-01",
    quote_id: str = "q-1",
    **fields: object,
) -> Quote:
    """A quote of one widget at 10 EUR; `fields` override the quote's own (salesperson via its
    content: `salesperson=`)."""
    salesperson = str(fields.pop("salesperson", "sam"))
    customer_id = str(fields.pop("customer_id", "C-1"))
    stored = stored_form(
        content(
            LineInput(sku="W-1", quantity=1),
            valid_until=valid_until,
            salesperson=salesperson,
            customer_id=customer_id,
        ),
        TODAY,
    )
    document = build(stored, CATALOG, prices(w="10"))
    quote = Quote(quote_id, 1, 1, status, stored, document, NOW, salesperson, NOW)
    return replace(quote, **fields)  # type: ignore[arg-type]


def rich_content(**fields: object) -> QuoteContent:
    """Every kind of line and term a quote may hold, for storage round trips."""
    from pricing.document import Discount, PricingPolicy, ShippingCharge

    hardware = GroupInput(
        "Hardware",
        (
            LineInput(sku="W-1", quantity=12, discount=Discount(percent="5")),
            LineInput(sku="K-1", quantity=2),
            LineInput(sku="K-2", quantity=1, taxes=(VAT19,)),
            LineInput(product_id="p-b", quantity=3, unit_price=UnitPrice("0.40", "EUR")),
        ),
        discount=Discount(amount="1.50"),
        taxes=(VAT19,),
    )
    services = GroupInput(
        "Services",
        (LineInput(description="Setup fee", quantity=1, unit_price=UnitPrice("25", "EUR")),),
        taxes=(TaxRate("VAT7", "0.07"),),
    )
    values: dict[str, object] = {
        "customer_group": "wholesale",
        "valid_until": "2026-12-01",
        "payment_terms": "30 days net",
        "terms_and_conditions": "As agreed.",
        "notes": "Call first.",
        "shipping": (ShippingCharge("Freight", "9.90", (VAT19,)),),
        "policy": PricingPolicy("per_document", "half_even", False),
    }
    return replace(content(*hardware.lines, **(values | fields)), groups=(hardware, services))


def a_rich_quote(quote_id: str = "q-rich", **fields: object) -> Quote:
    """A quote of `rich_content`, priced from CATALOG."""
    stored = stored_form(rich_content(), TODAY)
    document = build(stored, CATALOG, prices(w="10.00", k="25.00", b="0.25"))
    quote = Quote(quote_id, 1, 1, Status.DRAFT, stored, document, NOW, "sam", NOW, team="north")
    return replace(quote, **fields)  # type: ignore[arg-type]


_REQUEST_NUMBERS = itertools.count(1)


def a_request(
    request_id: str = "r-1",
    owner: str = "sam",
    team: str = "north",
    at: datetime = NOW,
    **given: object,
) -> CustomerRequest:
    """An open customer request, as registered."""
    fields: dict[str, object] = {
        "source": "phone",
        "need": "200 widgets",
        "value_amount": "1200.00",
        "value_currency": "EUR",
        "customer_id": "C-1",
        "contact": Contact("Ada", "ada@example.com", "+49 30 1"),
    }
    request, _ = CustomerRequest.register(
        request_id,
        request_number(at.year, next(_REQUEST_NUMBERS)),
        RequestInput(**(fields | given)),  # type: ignore[arg-type]
        owner,
        team,
        at,
        "olga",
    )
    return request
