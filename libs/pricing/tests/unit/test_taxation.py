"""Which taxes a document takes from the tax rules: a product line its category's, shipping the
standard goods', entered taxes winning, an exempt customer none and its reason."""

from __future__ import annotations

from decimal import Decimal

from pricing.document import (
    DocumentGroup,
    DocumentLine,
    PricedDocument,
    ShippingCharge,
    TaxRate,
    price_document,
)
from pricing.taxation import categories_asked, taxed_by_rules, with_rule_taxes

VAT19 = TaxRate("VAT", "0.19")
VAT7 = TaxRate("VAT", "0.07")
ECO = TaxRate("ECO", "0.01")
ZONE = {"standard": (VAT19,), "reduced": (VAT7,)}
CATEGORIES = {"w": "standard", "b": "reduced"}


def line(line_id: str, product_id: str = "p", *taxes: TaxRate) -> DocumentLine:
    return DocumentLine(line_id, product_id, "S", "d", "1", "100.00", taxes=taxes)


def document(*groups: DocumentGroup, shipping: tuple[ShippingCharge, ...] = ()) -> PricedDocument:
    return PricedDocument("EUR", groups, shipping)


def taxes_of(taxed: PricedDocument) -> list[tuple[TaxRate, ...]]:
    return [x.taxes for x in taxed.lines] + [c.taxes for c in taxed.shipping]


def test_each_product_line_and_untaxed_shipping_take_their_category_in_the_zone() -> None:
    untaxed = document(
        DocumentGroup("Items", (line("w"), line("b"), line("fee", ""))),
        shipping=(ShippingCharge("Freight", "10"), ShippingCharge("Insured", "5", (ECO,))),
    )
    taxed = with_rule_taxes(untaxed, CATEGORIES, ZONE)
    assert taxes_of(taxed) == [(VAT19,), (VAT7,), (), (VAT19,), (ECO,)]
    # 300 of lines, 19 + 7 of their taxes, 15 of shipping and 1.90 + 0.05 of its taxes
    assert price_document(taxed).figures.total == Decimal("342.95")
    assert taxed.tax_exemption == ""


def test_taxes_entered_on_a_line_or_its_group_win() -> None:
    untaxed = document(
        DocumentGroup("Own", (line("w", "p", ECO), line("b"))),
        DocumentGroup("Entered", (line("w2"),), taxes=(ECO,)),
    )
    taxed = with_rule_taxes(untaxed, CATEGORIES | {"w2": "standard"}, ZONE)
    assert taxes_of(taxed) == [(ECO,), (VAT7,), ()]
    assert taxed.groups[1].taxes == (ECO,)


def test_an_exempt_customer_takes_no_rule_and_its_reason_goes_on_the_document() -> None:
    untaxed = document(
        DocumentGroup("Items", (line("w"), line("b", "p", ECO))),
        shipping=(ShippingCharge("Freight", "10"),),
    )
    taxed = with_rule_taxes(untaxed, CATEGORIES, ZONE, "intra-community supply")
    assert taxes_of(taxed) == [(), (ECO,), ()]
    assert taxed.tax_exemption == "intra-community supply"


def test_a_category_the_zone_does_not_tax_and_no_zone_at_all_tax_nothing() -> None:
    untaxed = document(DocumentGroup("Items", (line("w"), line("b"))))
    assert taxes_of(with_rule_taxes(untaxed, CATEGORIES, {"standard": (VAT19,)})) == [(VAT19,), ()]
    assert with_rule_taxes(untaxed, CATEGORIES, {}) == untaxed


def test_the_categories_asked_and_who_is_taxed_by_rules() -> None:
    freight, insured = ShippingCharge("Freight", "10"), ShippingCharge("Insured", "5", (ECO,))
    assert categories_asked(["reduced"], [insured]) == {"reduced"}
    assert categories_asked(["reduced"], [insured, freight]) == {"reduced", "standard"}
    assert categories_asked([], []) == set()
    assert [taxed_by_rules("DE", ""), taxed_by_rules("", ""), taxed_by_rules("DE", "why")] == [
        True,
        False,
        False,
    ]
