"""Priced documents on the wire: priced once, verified wherever they are copied to."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.types.v1 import pricing_pb2 as pb
from pricing.documents import InvalidDocument, engine_document, priced, verify
from pricing.engine import BreakdownMismatch


def quote(*, rounding_mode: str = "per_line", inclusive: bool = False) -> pb.PricedDocument:
    vat19, vat7 = pb.TaxRate(code="VAT19", rate="0.19"), pb.TaxRate(code="VAT7", rate="0.07")
    return pb.PricedDocument(
        currency="EUR",
        policy=pb.PricingPolicy(rounding_mode=rounding_mode, prices_include_tax=inclusive),
        groups=[
            pb.DocumentGroup(
                name="Hardware",
                discount=pb.Discount(percent="5"),
                lines=[
                    pb.DocumentLine(
                        line_id="a", sku="W-1", quantity="3", unit_price="19.99", taxes=[vat19]
                    ),
                    pb.DocumentLine(
                        line_id="b", sku="B-1", quantity="1", unit_price="12.50", taxes=[vat7]
                    ),
                ],
            ),
            pb.DocumentGroup(
                name="Services",
                lines=[
                    pb.DocumentLine(
                        line_id="c",
                        description="installation",
                        quantity="1.5",
                        unit_price="80",
                        discount=pb.Discount(amount="10"),
                        taxes=[vat19],
                    )
                ],
            ),
        ],
        shipping=[pb.ShippingCharge(description="parcel", amount="4.90", taxes=[vat19])],
    )


def test_a_priced_document_carries_its_figures_and_verifies() -> None:
    document = priced(quote())
    # Hardware: 59.97 + 12.50 = 72.47; 5 % = 3.6235 -> 3.62, shared 3.00 / 0.62 (largest
    # remainder) -> nets 56.97 and 11.88; VAT 10.8243 -> 10.82 and 0.8316 -> 0.83.
    # Services: 1.5 x 80 = 120.00 - 10 = 110.00, VAT 20.90. Shipping 4.90, VAT 0.931 -> 0.93.
    # Total: 178.85 net + 4.90 shipping + 32.65 VAT19 + 0.83 VAT7 = 217.23.
    figures = document.breakdown
    assert (figures.subtotal, figures.discounts, figures.net) == ("192.47", "13.62", "178.85")
    assert [(t.code, t.base, t.amount) for t in figures.taxes] == [
        ("VAT19", "171.87", "32.65"),
        ("VAT7", "11.88", "0.83"),
    ]
    assert figures.total == "217.23"
    assert figures.engine_version == "1"
    assert [line.line_id for line in figures.lines] == ["a", "b", "c"]
    assert [line.net for line in figures.lines] == ["56.97", "11.88", "110.00"]
    assert str(verify(document).total) == "217.23"


def test_a_tampered_figure_is_caught_and_named() -> None:
    document = priced(quote())
    document.breakdown.total = "0.01"
    document.breakdown.lines[1].net = "1.00"
    with pytest.raises(BreakdownMismatch) as caught:
        verify(document)
    assert any(d.startswith("total:") for d in caught.value.differences)
    assert any(d.startswith("lines[1].net:") for d in caught.value.differences)


def test_a_document_priced_under_another_policy_does_not_verify() -> None:
    document = priced(quote())
    document.policy.rounding_mode = "per_document"
    with pytest.raises(BreakdownMismatch, match="policy"):
        verify(document)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: setattr(d.groups[0].lines[0], "quantity", "-1"), "groups[0].lines[0].quantity"),
        (
            lambda d: setattr(d.groups[0].lines[1], "unit_price", "abc"),
            "groups[0].lines[1].unit_price",
        ),
        (lambda d: setattr(d.groups[0].discount, "percent", "120"), "groups[0].discount.percent"),
        (lambda d: setattr(d.shipping[0], "amount", "-4"), "shipping[0].amount"),
        (lambda d: setattr(d, "currency", "XXX"), "currency"),
        (lambda d: setattr(d.policy, "rounding", "bankers"), "policy.rounding"),
    ],
)
def test_a_document_that_cannot_be_priced_names_the_field(change, field) -> None:  # type: ignore[no-untyped-def]
    document = quote()
    change(document)
    with pytest.raises(InvalidDocument) as caught:
        engine_document(document)
    assert caught.value.field == field


@settings(max_examples=50)
@given(
    mode=st.sampled_from(["per_line", "per_document"]),
    inclusive=st.booleans(),
    percent=st.decimals(min_value=0, max_value=100, places=2),
)
def test_any_priced_document_survives_the_wire_and_verifies(
    mode: str, inclusive: bool, percent: object
) -> None:
    document = quote(rounding_mode=mode, inclusive=inclusive)
    document.groups[0].discount.percent = str(percent)
    copied = pb.PricedDocument.FromString(priced(document).SerializeToString())
    verify(copied)


def test_a_free_line_under_document_rounding_with_a_tax_survives_the_wire() -> None:
    """str(Decimal) writes some zeros as "0E+2", which verify() would refuse."""
    document = pb.PricedDocument(
        currency="EUR",
        policy=pb.PricingPolicy(rounding_mode="per_document", prices_include_tax=True),
        groups=[
            pb.DocumentGroup(
                name="Free",
                lines=[
                    pb.DocumentLine(
                        line_id="a",
                        sku="F-1",
                        quantity="1",
                        unit_price="0",
                        taxes=[pb.TaxRate(code="VAT19", rate="0.19")],
                    )
                ],
            )
        ],
    )
    figures = priced(document)
    assert "E" not in str(figures.breakdown)
    verify(figures)
