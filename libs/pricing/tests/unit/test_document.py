"""The plain priced document: priced once by the engine, its copies verified figure by figure, and
what the engine cannot use refused on the field a client sent."""

from dataclasses import replace
from decimal import Decimal

import pytest

from pricing.document import (
    Discount,
    DocumentGroup,
    DocumentLine,
    InvalidDocument,
    KitPart,
    PricedDocument,
    PricingPolicy,
    ShippingCharge,
    TaxRate,
    engine_document,
    figure_text,
    kit_part_line_id,
    price_document,
    verify,
)
from pricing.engine import BreakdownMismatch
from pricing.money import Money
from servicekit.errors import InvalidArgument

VAT19, VAT7 = TaxRate("VAT19", "0.19"), TaxRate("VAT7", "0.07")


def line(line_id: str, quantity: str, unit_price: str, **fields: object) -> DocumentLine:
    named: dict[str, object] = {"product_id": "", "sku": "", "description": ""} | fields
    return DocumentLine(line_id, quantity=quantity, unit_price=unit_price, **named)  # type: ignore[arg-type]


def quote(*, rounding_mode: str = "per_line", inclusive: bool = False) -> PricedDocument:
    return PricedDocument(
        currency="EUR",
        policy=PricingPolicy(rounding_mode=rounding_mode, prices_include_tax=inclusive),
        groups=(
            DocumentGroup(
                "Hardware",
                (line("a", "3", "19.99", taxes=(VAT19,)), line("b", "1", "12.50", taxes=(VAT7,))),
                Discount(percent="5"),
            ),
            DocumentGroup(
                "Services",
                (
                    line(
                        "c",
                        "1.5",
                        "80",
                        description="installation",
                        discount=Discount(amount="10"),
                        taxes=(VAT19,),
                    ),
                ),
            ),
        ),
        shipping=(ShippingCharge("parcel", "4.90", (VAT19,)),),
    )


def test_a_priced_document_carries_the_engines_figures_and_verifies() -> None:
    document = price_document(quote())
    # Hardware: 59.97 + 12.50 = 72.47; 5 % = 3.6235 -> 3.62, shared 3.00 / 0.62 (largest
    # remainder) -> nets 56.97 and 11.88; VAT 10.8243 -> 10.82 and 0.8316 -> 0.83.
    # Services: 1.5 x 80 = 120.00 - 10 = 110.00, VAT 20.90. Shipping 4.90, VAT 0.931 -> 0.93.
    # Total: 178.85 net + 4.90 shipping + 32.65 VAT19 + 0.83 VAT7 = 217.23.
    figures = document.figures
    assert (figures.subtotal, figures.discounts, figures.net) == (
        Decimal("192.47"),
        Decimal("13.62"),
        Decimal("178.85"),
    )
    assert [(t.code, t.base, t.amount) for t in figures.taxes] == [
        ("VAT19", Decimal("171.87"), Decimal("32.65")),
        ("VAT7", Decimal("11.88"), Decimal("0.83")),
    ]
    assert document.total == Money(Decimal("217.23"), "EUR")
    assert figures.engine_version == "1"
    assert [(x.line_id, figure_text(f.net)) for x, f in document.lines_with_figures()] == [
        ("a", "56.97"),
        ("b", "11.88"),
        ("c", "110.00"),
    ]
    assert verify(document).total == Decimal("217.23")


def test_a_tampered_figure_is_caught_and_named() -> None:
    document = price_document(quote())
    figures = document.figures
    wrong = replace(figures.lines[1], net=Decimal("1.00"))
    tampered = replace(
        figures, total=Decimal("0.01"), lines=(figures.lines[0], wrong, *figures.lines[2:])
    )
    with pytest.raises(BreakdownMismatch) as caught:
        verify(replace(document, breakdown=tampered))
    assert any(
        d.startswith("total: stored 0.01, recomputed 217.23") for d in caught.value.differences
    )
    assert any(d.startswith("lines[1].net:") for d in caught.value.differences)


def test_a_document_priced_under_another_policy_or_not_at_all_does_not_verify() -> None:
    document = price_document(quote())
    with pytest.raises(BreakdownMismatch, match="policy"):
        verify(replace(document, policy=PricingPolicy(rounding_mode="per_document")))
    with pytest.raises(InvalidDocument, match="breakdown: required"):
        verify(quote())


@pytest.mark.parametrize(
    ("change", "field", "description"),
    [
        (
            lambda d: _line(d, 0, 0, quantity="-1"),
            "groups[0].lines[0].quantity",
            "must be greater than 0",
        ),
        (
            lambda d: _line(d, 0, 1, unit_price="abc"),
            "groups[0].lines[1].unit_price",
            "'abc' is not a decimal amount",
        ),
        (
            lambda d: _group(d, 0, discount=Discount(percent="120")),
            "groups[0].discount.percent",
            "between 0 and 100",
        ),
        (
            lambda d: _line(d, 1, 0, taxes=(TaxRate("", "0.19"),)),
            "groups[1].lines[0].taxes[0]",
            "a code and a rate between 0 and 10 (0.19 = 19 %)",
        ),
        (
            lambda d: replace(d, shipping=(ShippingCharge("parcel", "-4"),)),
            "shipping[0].amount",
            "must not be negative",
        ),
        (lambda d: replace(d, currency="XXX"), "currency", None),
        (
            lambda d: replace(d, policy=PricingPolicy(rounding="bankers")),
            "policy.rounding",
            "half_up or half_even",
        ),
    ],
)
def test_a_document_that_cannot_be_priced_names_the_field(change, field, description) -> None:  # type: ignore[no-untyped-def]
    document = change(quote())
    with pytest.raises(InvalidArgument) as caught:
        price_document(document)
    (violation,) = caught.value.violations
    assert violation.field == field
    assert description is None or violation.description == description
    with pytest.raises(InvalidDocument, match=field.replace("[", r"\[").replace("]", r"\]")):
        engine_document(document)


def _line(document: PricedDocument, g: int, i: int, **fields: object) -> PricedDocument:
    group = document.groups[g]
    lines = list(group.lines)
    lines[i] = replace(lines[i], **fields)  # type: ignore[arg-type]
    return _group(document, g, lines=tuple(lines))


def _group(document: PricedDocument, g: int, **fields: object) -> PricedDocument:
    groups = list(document.groups)
    groups[g] = replace(groups[g], **fields)  # type: ignore[arg-type]
    return replace(document, groups=tuple(groups))


def test_unstated_terms_price_as_none_and_the_default_policy() -> None:
    stated = price_document(
        PricedDocument(
            "EUR",
            (DocumentGroup("G", (line("a", "2", "5.00", discount=Discount()),), Discount()),),
            policy=PricingPolicy(),
        )
    )
    unstated = price_document(
        PricedDocument("EUR", (DocumentGroup("G", (line("a", "2", "5.00"),)),))
    )
    assert stated.figures == unstated.figures
    assert unstated.total == Money(Decimal("10.00"), "EUR")


def test_a_kit_is_picked_on_lines_every_service_names_the_same_and_counted_in_whole_units() -> None:
    kit = line("k", "2", "24.00", kit_parts=(KitPart("p-w", "W-1", 1),), kind="kit")
    assert (
        kit_part_line_id("k", "p-w") == kit_part_line_id("k", "p-w") != kit_part_line_id("k", "p-b")
    )
    assert kit.units == 2
    assert replace(kit, quantity="2.000").units == 2
    with pytest.raises(ValueError, match="whole number"):
        _ = replace(kit, quantity="1.5").units
