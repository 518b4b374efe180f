"""Reading an order as WooCommerce sends it: money from the exact strings, dates without an offset
as UTC, error bodies refused; and, for any tax-exclusive order WooCommerce rounds per line, the
engine reproduces its figures to the cent."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.woocommerce.tests.fixtures import COUPON_TAX_EXCLUSIVE, order, raw, store
from woocommerce.application.snapshots import decode
from woocommerce.domain.pricing_map import reproduce
from woocommerce.domain.woo_order import NotAnOrder, gmt, money, read_order

CENT = Decimal("0.01")


def test_money_is_the_string_sent_and_gmt_dates_are_utc() -> None:
    woo = read_order(order(COUPON_TAX_EXCLUSIVE))
    assert woo.line_items[0].taxes[0].total == Decimal("6.6825")
    assert woo.coupon_lines[0].discount_tax == Decimal("1.0395")
    assert woo.tax_lines[0].rate_percent == Decimal("8.25")
    assert woo.date_modified_gmt == datetime(2024, 6, 3, 16, 12, 44, tzinfo=UTC)
    assert gmt("2024-06-03T16:12:44Z") == gmt("2024-06-03T18:12:44+02:00")


def test_a_float_never_reaches_the_figures() -> None:
    with pytest.raises(ValueError, match="float"):
        money(8.25)
    with pytest.raises(NotAnOrder):
        read_order(raw(COUPON_TAX_EXCLUSIVE))  # decoded with floats: refused, not rounded


def test_numbers_decode_as_decimal_from_their_text() -> None:
    assert decode(b'{"rate_percent": 8.25, "price": 49.166667, "quantity": 2}') == {
        "rate_percent": Decimal("8.25"),
        "price": Decimal("49.166667"),
        "quantity": 2,
    }


@pytest.mark.parametrize(
    "body",
    [
        {"code": "woocommerce_rest_cannot_view", "message": "no", "data": {"status": 401}},
        {"id": "727"},
        {"id": 727, "date_modified_gmt": None},
        [1, 2],
    ],
)
def test_what_is_not_an_order_is_refused(body: Any) -> None:
    with pytest.raises(NotAnOrder):
        read_order(body)


def woo_per_line(
    lines: list[tuple[int, int, int]], rate: Decimal, shipping_cents: int
) -> dict[str, Any]:
    """An order as WooCommerce computes it when it rounds tax per line, tax-exclusive: each
    line's and the shipping's tax rounded half up, the totals their sums."""
    items, taxes = [], []
    for n, (quantity, unit_cents, off_percent) in enumerate(lines):
        subtotal = quantity * Decimal(unit_cents) / 100
        total = (subtotal * (100 - off_percent) / 100).quantize(CENT, ROUND_HALF_UP)
        tax = (total * rate / 100).quantize(CENT, ROUND_HALF_UP)
        taxes.append(tax)
        items.append({
            "id": n + 1, "product_id": 10 + n, "variation_id": 0, "quantity": quantity,
            "sku": f"SKU-{n}", "subtotal": f"{subtotal:.2f}", "subtotal_tax": "0",
            "total": f"{total:.2f}", "total_tax": f"{tax:.2f}",
            "taxes": [{"id": 7, "total": str(total * rate / 100), "subtotal": ""}],
        })  # fmt: skip
    shipping = Decimal(shipping_cents) / 100
    shipping_tax = (shipping * rate / 100).quantize(CENT, ROUND_HALF_UP)
    net = sum((Decimal(i["total"]) for i in items), Decimal(0))
    discount = sum((Decimal(i["subtotal"]) for i in items), Decimal(0)) - net
    return {
        "id": 1, "number": "1", "status": "processing", "currency": "USD",
        "prices_include_tax": False, "date_modified_gmt": "2024-01-01T00:00:00",
        "line_items": items,
        "shipping_lines": [{"id": 99, "method_title": "Flat", "total": f"{shipping:.2f}",
                            "total_tax": f"{shipping_tax:.2f}",
                            "taxes": [{"id": 7, "total": str(shipping_tax), "subtotal": ""}]}],
        "tax_lines": [{"rate_id": 7, "rate_percent": rate, "tax_total": f"{sum(taxes):.2f}",
                       "shipping_tax_total": f"{shipping_tax:.2f}"}],
        "discount_total": f"{discount:.2f}", "discount_tax": "0", "cart_tax": f"{sum(taxes):.2f}",
        "shipping_total": f"{shipping:.2f}", "shipping_tax": f"{shipping_tax:.2f}",
        "total_tax": f"{sum(taxes) + shipping_tax:.2f}",
        "total": f"{net + shipping + sum(taxes) + shipping_tax:.2f}",
    }  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(
        st.tuples(
            st.integers(1, 20), st.integers(1, 50_000), st.sampled_from([0, 5, 10, 15, 25, 50])
        ),
        min_size=1,
        max_size=6,
    ),
    rate=st.sampled_from(
        [Decimal("0"), Decimal("7"), Decimal("8.25"), Decimal("19"), Decimal("20")]
    ),
    shipping_cents=st.integers(0, 5_000),
)
def test_the_engine_reproduces_any_per_line_tax_exclusive_order(
    lines: list[tuple[int, int, int]], rate: Decimal, shipping_cents: int
) -> None:
    data = json.loads(json.dumps(woo_per_line(lines, rate, shipping_cents), default=str))
    data["tax_lines"][0]["rate_percent"] = rate
    catalog = {f"SKU-{n}": f"p{n}" for n in range(len(lines))}
    result = reproduce(read_order(data), store(), catalog)
    assert result.differences == ()
    assert result.document.figures.total == Decimal(data["total"])
