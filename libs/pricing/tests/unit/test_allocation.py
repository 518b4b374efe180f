"""A priced document billed per shipment: the shares of all shipments add up to the document's
own figures to the cent -- total, and each tax's base and amount per (code, rate) -- however the
units are split, with tax-exclusive or tax-inclusive prices, discounts, shipping, either rounding
mode. Each share's lines add up to the share."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.allocation import SHIPPING, BilledSoFar, Share, allocate, apportion
from pricing.document import (
    Discount,
    DocumentGroup,
    DocumentLine,
    PricedDocument,
    PricingPolicy,
    ShippingCharge,
    TaxRate,
    price_document,
)

VAT19, VAT7, VAT7B = TaxRate("VAT19", "0.19"), TaxRate("VAT7", "0.07"), TaxRate("VAT", "0.07")


def line(line_id: str, quantity: int, price: str, *taxes: TaxRate, **more: object) -> DocumentLine:
    return DocumentLine(
        line_id,
        "p-" + line_id,
        "SKU-" + line_id,
        line_id,
        str(quantity),
        price,
        taxes=taxes,
        **more,  # type: ignore[arg-type]
    )


def two_rates(mode: str = "per_line", inclusive: bool = False) -> PricedDocument:
    return price_document(
        PricedDocument(
            "EUR",
            (
                DocumentGroup(
                    "Goods",
                    (line("a", 3, "19.99", VAT19), line("b", 5, "0.99", VAT7)),
                    Discount(percent="5"),
                ),
            ),
            (ShippingCharge("Freight", "4.90", (VAT19,)),),
            PricingPolicy(mode, "half_up", inclusive),
        )
    )


def sums(shares: list[Share]) -> dict[object, Decimal]:
    found: dict[object, Decimal] = {"total": Decimal(0), "net": Decimal(0)}
    for share in shares:
        found["total"] += share.total
        found["net"] += share.net
        for rate in share.taxes:
            for what in ("base", "amount"):
                key = (rate.code, rate.rate, what)
                found[key] = found.get(key, Decimal(0)) + getattr(rate, what)
    return found


def stated(document: PricedDocument) -> dict[object, Decimal]:
    figures = document.figures
    found: dict[object, Decimal] = {"total": figures.total, "net": figures.net + figures.shipping}
    for t in figures.taxes:
        found[(t.code, t.rate, "base")] = t.base
        found[(t.code, t.rate, "amount")] = t.amount
    return found


def ship(document: PricedDocument, shipments: list[dict[str, int]]) -> list[Share]:
    before: dict[str, int] = {}
    shares = []
    for now in shipments:
        share = allocate(document, before, now)
        # Told what the earlier shares billed, the share is the same.
        assert allocate(document, before, now, so_far(shares)) == share
        shares.append(share)
        for line_id, units in now.items():
            before[line_id] = before.get(line_id, 0) + units
    return shares


def so_far(shares: list[Share]) -> BilledSoFar:
    taxes: dict[tuple[str, Decimal], tuple[Decimal, Decimal]] = {}
    for share in shares:
        for t in share.taxes:
            base, amount = taxes.get((t.code, t.rate), (Decimal(0), Decimal(0)))
            taxes[(t.code, t.rate)] = (base + t.base, amount + t.amount)
    net = sum((x.net for x in shares), Decimal(0))
    return BilledSoFar(net, sum((x.total for x in shares), Decimal(0)), taxes)


def consistent(share: Share) -> None:
    """A share's lines add up to it, each tax and the total."""
    assert sum((x.gross for x in share.items), Decimal(0)) == share.total
    assert sum((x.net for x in share.items), Decimal(0)) == share.net
    for rate in share.taxes:
        on_items = sum(
            (
                t.amount
                for x in share.items
                for t in x.taxes
                if (t.code, t.rate) == (rate.code, rate.rate)
            ),
            Decimal(0),
        )
        assert on_items == rate.amount


def test_two_shipments_of_two_rates_add_up_to_the_order() -> None:
    document = two_rates()
    first, second = ship(document, [{"a": 1, "b": 2}, {"a": 2, "b": 3}])
    assert sums([first, second]) == stated(document)
    # Shipping goes with the first shipment, whole.
    assert [x.item_id for x in first.items] == ["a", "b", SHIPPING]
    assert SHIPPING not in [x.item_id for x in second.items]
    assert {(t.code, t.rate) for t in first.taxes} == {
        ("VAT19", Decimal("0.19")),
        ("VAT7", Decimal("0.07")),
    }
    consistent(first)
    consistent(second)


def test_a_document_changed_between_shipments_is_still_billed_to_the_cent() -> None:
    before = two_rates()
    (first,) = ship(before, [{"a": 1, "b": 2}])
    # The order's lines change before the rest ships: 4 of "a" now, 3 of "b".
    after = price_document(
        PricedDocument(
            "EUR",
            (
                DocumentGroup(
                    "Goods",
                    (line("a", 4, "19.99", VAT19), line("b", 3, "0.99", VAT7)),
                    Discount(percent="5"),
                ),
            ),
            (ShippingCharge("Freight", "4.90", (VAT19,)),),
        )
    )
    rest = allocate(after, {"a": 1, "b": 2}, {"a": 3, "b": 1}, so_far([first]))
    assert sums([first, rest]) == stated(after)
    consistent(rest)


def test_the_same_code_at_two_rates_is_kept_apart() -> None:
    document = price_document(
        PricedDocument(
            "EUR",
            (
                DocumentGroup(
                    "G", (line("a", 2, "10", VAT7), line("b", 2, "10", TaxRate("VAT7", "0.05")))
                ),
            ),
        ),
    )
    (whole,) = ship(document, [{"a": 2, "b": 2}])
    assert [(t.code, t.rate, t.amount) for t in whole.taxes] == [
        ("VAT7", Decimal("0.05"), Decimal("1.00")),
        ("VAT7", Decimal("0.07"), Decimal("1.40")),
    ]


def test_a_line_not_on_the_document_or_shipped_beyond_its_quantity_is_refused() -> None:
    document = two_rates()
    with pytest.raises(ValueError, match="not on the document"):
        allocate(document, {}, {"zz": 1})
    with pytest.raises(ValueError, match="shipped in all"):
        allocate(document, {"a": 2}, {"a": 2})


def test_apportion_adds_up_and_gives_an_unweighted_total_to_the_first() -> None:
    cent = Decimal("0.01")
    assert apportion(Decimal("0.10"), [Decimal(1)] * 3, cent) == [
        Decimal("0.04"),
        Decimal("0.03"),
        Decimal("0.03"),
    ]
    assert apportion(Decimal("0.02"), [Decimal(0), Decimal(0)], cent) == [
        Decimal("0.02"),
        Decimal(0),
    ]


RATES = [
    TaxRate("VAT19", "0.19"),
    TaxRate("VAT7", "0.07"),
    TaxRate("VAT5", "0.05"),
    TaxRate("VAT0", "0"),
]


@st.composite
def orders(draw: st.DrawFn) -> tuple[PricedDocument, list[dict[str, int]]]:
    count = draw(st.integers(1, 5))
    lines = []
    for i in range(count):
        quantity = draw(st.integers(1, 7))
        price = draw(st.decimals("2", "250", places=draw(st.sampled_from([2, 3]))))
        taxes = tuple(draw(st.lists(st.sampled_from(RATES), max_size=2, unique=True)))
        percent = draw(st.sampled_from(["", "5", "12.5"]))
        lines.append(
            line(f"l{i}", quantity, str(price), *taxes, discount=Discount(percent=percent))
        )
    split = draw(st.integers(1, count))
    groups = (
        DocumentGroup(
            "A", tuple(lines[:split]), Discount(amount=draw(st.sampled_from(["", "1.00"])))
        ),
        DocumentGroup("B", tuple(lines[split:])) if split < count else None,
    )
    shipping = draw(
        st.sampled_from(
            [
                (),
                (ShippingCharge("Freight", "5.95", (RATES[0],)),),
                (ShippingCharge("Post", "3", ()),),
            ]
        )
    )
    policy = PricingPolicy(
        draw(st.sampled_from(["per_line", "per_document"])),
        draw(st.sampled_from(["half_up", "half_even"])),
        draw(st.booleans()),
    )
    document = price_document(
        PricedDocument("EUR", tuple(g for g in groups if g is not None), shipping, policy)
    )
    # Each line's units in one to three shipments, the shipments in a drawn order.
    shipments: list[dict[str, int]] = [{}, {}, {}]
    for x in lines:
        left = int(x.quantity)
        while left:
            units = draw(st.integers(1, left))
            shipment = shipments[draw(st.integers(0, 2))]
            shipment[x.line_id] = shipment.get(x.line_id, 0) + units
            left -= units
    return document, [s for s in shipments if s]


@settings(deadline=None)
@given(orders())
def test_the_shipments_of_any_order_add_up_to_it_per_tax_rate_to_the_cent(
    order: tuple[PricedDocument, list[dict[str, int]]],
) -> None:
    document, shipments = order
    shares = ship(document, shipments)
    assert sums(shares) == stated(document)
    for share in shares:
        consistent(share)
        assert all(x.quantity > 0 for x in share.items)
