"""A directly placed order priced as a quote is: the customer's price list and quantity break,
line and order discounts, taxes from the tax rules of the customer's zone (none for an exempt
customer, whose reason the document carries), shipping -- totals checked by hand."""

from __future__ import annotations

from decimal import Decimal as D  # noqa: N817 - the worked figures read better short

import pytest

from orders.domain.events import SalesOrderLinesChanged, SalesOrderPlaced
from orders.domain.order_pricing import LineTerms, request_field
from orders.domain.placing import CatalogProduct
from pricing.document import Discount, PricingPolicy, ShippingCharge, TaxRate
from pricing.money import Money
from servicekit.errors import InvalidArgument
from services.orders.tests.unit.builders import PRODUCTS, a_request, placed, registered
from services.orders.tests.unit.fakes import FakeCatalog, fake_deps

BOOK = CatalogProduct(
    "p4", "BOOK-1", Money.of("20.00", "EUR"), True, D("8"), "books", (), "Atlas", "reduced"
)


def a_priced_catalog() -> FakeCatalog:
    catalog = FakeCatalog((*PRODUCTS, BOOK))
    catalog.price_breaks[("trade", "p1", 10)] = D("11.00")  # list price 12.50
    catalog.tax_rules[("DE", "standard")] = (TaxRate("VAT", "0.19"),)
    catalog.tax_rules[("DE", "reduced")] = (TaxRate("VAT", "0.07"),)
    return catalog


def the_sale(customer: str, **fields: object):  # type: ignore[no-untyped-def]
    return a_request(
        customer,
        ("p1", 10),
        ("p4", 2),
        line_terms=(
            LineTerms(discount=Discount(percent="10")),
            LineTerms(discount=Discount(amount="5")),
        ),
        discount=Discount(percent="10"),
        shipping=(ShippingCharge("Parcel", "10.00"),),
        **fields,
    )


async def test_a_direct_order_is_priced_from_price_list_discounts_tax_rules_and_shipping() -> None:
    deps, database, catalog = fake_deps(catalog=a_priced_catalog())
    customer = registered(database, customer_group="trade", tax_zone="DE")
    order = await placed(deps, the_sale(customer))
    document = order.document
    assert document is not None
    widget, book = document.lines
    assert (widget.unit_price, widget.price_rule) == ("11.00", "price list, from 10 units")
    assert (book.unit_price, book.price_rule, book.description) == ("20.00", "list price", "Atlas")
    assert [t.rate for t in widget.taxes + book.taxes] == ["0.19", "0.07"]
    b = document.figures
    # widget 10 x 11.00 = 110.00 - 10 % = 99.00; book 2 x 20.00 = 40.00 - 5.00 = 35.00;
    # order 10 % of 134.00 = 13.40, shared 9.90 / 3.50 -> nets 89.10 and 31.50
    assert [line.net for line in b.lines] == [D("89.10"), D("31.50")]
    # VAT 7 % of 31.50 = 2.205 -> 2.21; VAT 19 % of 89.10 + 10.00 shipping = 99.10 -> 18.83
    assert [(t.code, t.rate, t.base, t.amount) for t in b.taxes] == [
        ("VAT", D("0.07"), D("31.50"), D("2.21")),
        ("VAT", D("0.19"), D("99.10"), D("18.83")),
    ]
    assert (b.subtotal, b.discounts, b.net, b.shipping, b.total) == (
        D("150.00"),
        D("29.40"),
        D("120.60"),
        D("10.00"),
        D("151.64"),
    )
    (group,) = b.groups
    assert (group.subtotal, group.discount, group.net, group.tax) == (
        D("150.00"),
        D("29.40"),
        D("120.60"),
        D("19.14"),
    )
    assert b.shipping_tax == D("1.90")
    assert order.total == Money.of("151.64", "EUR")
    (announced,) = database.published(SalesOrderPlaced)
    assert announced.document == document
    assert catalog.asked == [["p1", "p4"]]
    # the lines carry their cost and category, for the cost estimate and the category filter
    assert [(x.sku, x.unit_cost, x.category_id) for x in order.lines] == [
        ("SKU-1", D("7.00"), "cat-a"),
        ("BOOK-1", D("8"), "books"),
    ]
    assert order.estimated_cost == D("86.00")


async def test_an_exempt_customer_pays_no_tax_and_the_document_says_why() -> None:
    deps, database, _ = fake_deps(catalog=a_priced_catalog())
    reason = "Intra-community supply, Art. 138 VAT Directive"
    customer = registered(database, customer_group="trade", tax_zone="DE", tax_exemption=reason)
    order = await placed(deps, the_sale(customer))
    assert order.document is not None
    assert order.document.tax_exemption == reason
    assert (order.document.figures.taxes, order.total) == ((), Money.of("130.60", "EUR"))


async def test_tax_inclusive_prices_and_an_entered_price_are_what_the_customer_pays() -> None:
    deps, database, _ = fake_deps(catalog=a_priced_catalog())
    customer = registered(database, tax_zone="DE")
    request = a_request(
        customer,
        ("p1", 1),
        line_terms=(LineTerms(unit_price="11.90"),),
        policy=PricingPolicy(prices_include_tax=True),
    )
    order = await placed(deps, request)
    assert order.document is not None
    b = order.document.figures
    assert (b.net, b.tax, b.total) == (D("10.00"), D("1.90"), D("11.90"))
    assert order.document.lines[0].price_rule == "entered"


@pytest.mark.parametrize(
    ("fields", "at_fault"),
    [
        (
            {"line_terms": (LineTerms(), LineTerms(discount=Discount(amount="40.01")))},
            "lines[1].discount",
        ),
        ({"discount": Discount(amount="1000")}, "discount"),
        ({"line_terms": (LineTerms(unit_price="-1"),)}, "lines[0].unit_price"),
        ({"shipping": (ShippingCharge("Parcel", "x"),)}, "shipping[0].amount"),
        ({"shipping": (ShippingCharge(" ", "1"),)}, "shipping[0].description"),
        ({"line_terms": (LineTerms(unit_price="1" * 41),)}, "lines[0].unit_price"),
    ],
)
async def test_what_the_engine_cannot_price_is_refused_naming_the_request_field(
    fields: dict[str, object], at_fault: str
) -> None:
    deps, database, _ = fake_deps(catalog=a_priced_catalog())
    customer = registered(database, tax_zone="DE")
    with pytest.raises(InvalidArgument) as refused:
        await placed(deps, a_request(customer, ("p1", 1), ("p4", 2), **fields))
    assert [v.field for v in refused.value.violations] == [at_fault]
    assert database.published(SalesOrderPlaced) == []


def test_a_document_field_is_named_as_the_request_names_it() -> None:
    assert request_field("groups[0].lines[3].discount") == "lines[3].discount"
    assert request_field("groups[0].discount") == "discount"
    assert request_field("shipping[1].amount") == "shipping[1].amount"


async def test_a_changed_quantity_reprices_the_document_and_announces_it() -> None:
    deps, database, _ = fake_deps(catalog=a_priced_catalog())
    customer = registered(database, customer_group="trade", tax_zone="DE")
    order = await placed(deps, the_sale(customer))
    assert order.document is not None
    widget = order.document.lines[0]
    loaded = database.store.orders[order.id]
    events = loaded.change({widget.line_id: 5}, None)
    (changed,) = [e for e in events if isinstance(e, SalesOrderLinesChanged)]
    assert changed.document is not None
    assert changed.document == loaded.document
    # 5 x 11.00 (the price kept) = 55.00 - 10 % = 49.50; book 35.00; order 10 % = 8.45
    assert loaded.document is not None
    assert loaded.document.figures.net == D("76.05")
