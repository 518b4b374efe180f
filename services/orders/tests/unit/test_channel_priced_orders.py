"""Orders a sales channel priced (WooCommerce): the document kept as stated once the engine
verifies it; figures the engine disputes refused, unless flagged for review (then kept, with the
difference noted); only the woocommerce channel; the channel's service cancels its own orders."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from orders.application.commands.cancel_sales_order import CancelSalesOrder, cancel_sales_order
from pricing.document import (
    DocumentGroup,
    DocumentLine,
    PricedDocument,
    TaxRate,
    price_document,
)
from pricing.money import Money
from servicekit.context import Principal
from servicekit.errors import InvalidArgument
from services.orders.tests.unit.builders import a_catalog, a_request, as_user, placed, registered
from services.orders.tests.unit.fakes import fake_deps

WOO = Principal("woocommerce", ("service",))


def store_document(price: str = "19.99") -> PricedDocument:
    line = DocumentLine(
        "6b0f0e3e-0000-5000-8000-000000000001",
        "p1",
        "SKU-1",
        "Widget",
        "3",
        price,
        taxes=(TaxRate("woo-1", "0.0825"),),
        price_rule="woocommerce",
        kind="stocked",
    )
    return price_document(PricedDocument("EUR", (DocumentGroup("Order", (line,)),)))


def woo_request(customer: str, document: PricedDocument, **fields: object):  # type: ignore[no-untyped-def]
    return a_request(
        customer,
        ("p1", 3),
        channel=fields.pop("channel", "woocommerce"),
        external_reference="shop:727",
        document=document,
        **fields,
    )


async def test_a_channel_document_is_kept_as_stated_to_the_cent() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database)
    document = store_document()
    order = await placed(deps, woo_request(customer, document), who=WOO)
    # 3 x 19.99 = 59.97, tax 8.25 % = 4.95 (the catalog's list price, 12.50, plays no part)
    assert order.total == Money.of("64.92", "EUR")
    assert order.document == document
    assert (order.channel, order.review_note, order.created_by) == (
        "woocommerce",
        "",
        "woocommerce",
    )
    again = await placed(deps, woo_request(customer, document), who=WOO)
    assert again.id == order.id  # the natural key: a retry places nothing more


async def test_figures_the_engine_disputes_are_refused_unless_flagged_for_review() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database)
    document = store_document()
    tax = document.figures.taxes[0]
    stated = replace(
        document,
        breakdown=replace(
            document.figures,
            taxes=(replace(tax, amount=tax.amount - Decimal("0.01")),),
            total=document.figures.total - Decimal("0.01"),
        ),
    )
    with pytest.raises(InvalidArgument) as refused:
        await placed(deps, woo_request(customer, stated), who=WOO)
    assert refused.value.violations[0].field == "document"
    flagged = woo_request(
        customer, stated, needs_review=True, review_note="tax woo-1: store 4.94, engine 4.95"
    )
    order = await placed(deps, flagged, who=WOO)
    assert order.total == Money.of("64.91", "EUR")  # the store's, kept
    assert order.review_note.startswith("tax woo-1: store 4.94, engine 4.95; engine: ")


async def test_only_a_pricing_channel_sends_a_document() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database)
    with pytest.raises(InvalidArgument) as refused:
        await placed(deps, woo_request(customer, store_document(), channel="web"), who=WOO)
    assert refused.value.violations[0].field == "document"


async def test_the_channel_cancels_the_orders_it_placed() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database)
    order = await placed(deps, woo_request(customer, store_document()), who=WOO)
    with as_user(WOO):
        view = await cancel_sales_order(deps, CancelSalesOrder(order.id, "cancelled in the store"))
    assert view.order.status == "cancelled"
