"""Quotes taxed by the catalog's tax rules on fakes, as direct orders are: a catalog line that
names no taxes takes its product's tax category in the customer's zone (shipping the standard
goods'), asked once per quote; entered taxes win; an exempt customer's quote carries no tax and
the reason; no customer copy or no zone: only what is entered."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from pricing.document import PricedDocument, ShippingCharge, TaxRate
from pricing.money import Money
from quoting.application.commands.create_quote import CreateQuote, create_quote
from quoting.domain.catalog import CatalogItem, KitComponent
from quoting.domain.content import GroupInput, LineInput, QuoteContent, UnitPrice
from quoting.domain.customer import Customer
from servicekit.context import acting
from services.quoting.tests.builders import NOW, content
from services.quoting.tests.unit.conftest import SAM, UNIT_PRICES
from services.quoting.tests.unit.fakes import FakeCatalog, Store, fake_ports

VAT19, VAT7, ECO = TaxRate("VAT", "0.19"), TaxRate("VAT", "0.07"), TaxRate("ECO", "0.02")
WIDGET = CatalogItem("p-w", "W-1", "Widget", "stocked", True)  # standard
BOOK = CatalogItem("p-b", "B-1", "Book", "stocked", True, tax_category="reduced")
# A kit priced by its parts, whose own categories tax them; catalog lookups by SKU find the kit
# only, so its parts are asked for.
BUNDLE = CatalogItem(
    "p-k",
    "K-1",
    "Bundle",
    "kit",
    True,
    (KitComponent("p-w", "W-1", 1), KitComponent("p-b", "B-1", 2)),
    "components",
)
RULES = {("DE", "standard"): (VAT19,), ("DE", "reduced"): (VAT7,)}
FREIGHT = ShippingCharge("Freight", "10.00")


def catalog() -> FakeCatalog:
    return FakeCatalog((WIDGET, BOOK, BUNDLE), UNIT_PRICES, RULES)


async def quote_for(
    customer: Customer | None, wanted: QuoteContent, known: FakeCatalog
) -> PricedDocument:
    store = Store()
    if customer is not None:
        store.customers[customer.customer_id] = customer
    with acting(SAM):
        quote = await create_quote(fake_ports(store, known), CreateQuote(wanted))
    return quote.document


def taxes_of(document: PricedDocument) -> list[tuple[TaxRate, ...]]:
    return [line.taxes for line in document.lines] + [c.taxes for c in document.shipping]


def german(**fields: str) -> Customer:
    return replace(Customer("C-1", "Kunde", "", "EUR", "", tax_zone="DE"), **fields)


async def test_lines_and_shipping_take_the_zones_taxes_in_one_call() -> None:
    known = catalog()
    wanted = content(
        LineInput(sku="W-1", quantity=2),
        LineInput(sku="K-1", quantity=1),
        LineInput(description="fee", quantity=1, unit_price=UnitPrice("5.00", "EUR")),
        shipping=(FREIGHT,),
    )
    document = await quote_for(german(), wanted, known)
    # widgets, the bundle's widget and books, the untaxed free text, the freight
    assert taxes_of(document) == [(VAT19,), (VAT19,), (VAT7,), (), (VAT19,)]
    taxes = [(str(t.rate), t.base, t.amount) for t in document.figures.taxes]
    assert taxes == [
        ("0.07", Decimal("1.00"), Decimal("0.07")),  # the bundle's 2 books at 0.50
        ("0.19", Decimal("40.00"), Decimal("7.60")),  # 2 + 1 widgets at 10 and the freight
    ]
    assert document.total == Money(Decimal("53.67"), "EUR")
    asked = [what for what, _ in known.asked]
    assert asked == ["items", "prices", "items", "taxes"]  # the bundle's parts, then taxes
    assert known.asked[-1] == ("taxes", ("DE", {"standard", "reduced"}, NOW.date()))


async def test_taxes_entered_on_a_line_its_group_or_a_charge_win() -> None:
    known = catalog()
    own = GroupInput("Own", (LineInput(sku="W-1", quantity=1, taxes=(ECO,)),))
    entered = GroupInput("Entered", (LineInput(sku="B-1", quantity=2),), taxes=(ECO,))
    ruled = GroupInput("Ruled", (LineInput(sku="B-1", quantity=2),))
    charge = ShippingCharge("Freight", "10.00", (ECO,))
    wanted = replace(content(), groups=(own, entered, ruled), shipping=(charge,))
    document = await quote_for(german(), wanted, known)
    assert taxes_of(document) == [(ECO,), (), (VAT7,), (ECO,)]
    assert document.groups[1].taxes == (ECO,)
    assert known.asked[-1] == ("taxes", ("DE", {"reduced"}, NOW.date()))
    everything_entered = replace(wanted, groups=(own, entered))
    known = catalog()
    await quote_for(german(), everything_entered, known)
    assert "taxes" not in [what for what, _ in known.asked]


async def test_an_exempt_customers_quote_has_no_tax_and_the_reason() -> None:
    known = catalog()
    wanted = content(LineInput(sku="W-1", quantity=2), shipping=(FREIGHT,))
    exempt = german(tax_exemption="intra-community supply")
    document = await quote_for(exempt, wanted, known)
    assert taxes_of(document) == [(), ()]
    assert (document.figures.taxes, document.tax_exemption) == ((), "intra-community supply")
    assert document.total == Money(Decimal("30.00"), "EUR")
    assert "taxes" not in [what for what, _ in known.asked]


async def test_no_customer_copy_or_no_zone_keeps_only_what_is_entered() -> None:
    wanted = content(
        LineInput(sku="W-1", quantity=2),
        LineInput(sku="B-1", quantity=2, taxes=(VAT7,)),
        shipping=(FREIGHT,),
    )
    for customer in (None, german(tax_zone="")):
        known = catalog()
        document = await quote_for(customer, wanted, known)
        assert taxes_of(document) == [(), (VAT7,), ()]
        assert document.tax_exemption == ""
        assert "taxes" not in [what for what, _ in known.asked]
