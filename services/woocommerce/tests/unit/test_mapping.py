"""The three fixture orders as priced documents: the engine, given each store's rates and
rounding setting, comes to the store's figures to the cent. The expected figures are worked out
by hand in each test from the fixture's own strings."""

from __future__ import annotations

from decimal import Decimal

from services.woocommerce.tests.fixtures import (
    CATALOG,
    COMPLETED_PARTIAL_REFUND,
    COUPON_TAX_EXCLUSIVE,
    VARIATION_FEE_TAX_INCLUSIVE,
    order,
    store,
)
from woocommerce.domain.pricing_map import reproduce
from woocommerce.domain.stores import TaxRounding
from woocommerce.domain.woo_order import read_order


def test_a_coupon_on_a_tax_exclusive_store() -> None:
    woo = read_order(order(COUPON_TAX_EXCLUSIVE))
    result = reproduce(woo, store(), CATALOG)
    assert result.differences == ()
    hoodie, socks = result.document.lines
    # 2 x 45.00 with 10 % off (9.00); 3 x 12.00 with 10 % off (3.60)
    assert (hoodie.quantity, hoodie.unit_price, hoodie.discount.amount) == ("2", "45.00", "9.00")  # type: ignore[union-attr]
    assert (socks.quantity, socks.unit_price, socks.discount.amount) == ("3", "12.00", "3.60")  # type: ignore[union-attr]
    assert hoodie.product_id == "p-hoodie"
    assert hoodie.taxes[0].rate == "0.0825"
    figures = result.document.figures
    # nets 81.00 + 32.40; taxes per line 6.6825 -> 6.68, 2.673 -> 2.67, shipping 0.825 -> 0.83
    assert figures.subtotal == Decimal("126.00")
    assert figures.discounts == Decimal("12.60")
    assert figures.net == Decimal("113.40")
    assert figures.shipping == Decimal("10.00")
    assert [(t.code, t.amount) for t in figures.taxes] == [("woo-1", Decimal("10.18"))]
    # 113.40 + 10.00 + 10.18
    assert figures.total == Decimal("133.58") == woo.totals.total


def test_a_variation_and_a_fee_on_a_tax_inclusive_store() -> None:
    woo = read_order(order(VARIATION_FEE_TAX_INCLUSIVE))
    result = reproduce(woo, store("shop-de", prices_include_tax=True), CATALOG)
    assert result.differences == ()
    shirt, fee = result.document.lines
    # the variation's own SKU; 2 x 29.75 gross (50.00 + 9.50 over 2)
    assert (shirt.sku, shirt.product_id, shirt.unit_price) == (
        "SHIRT-LINEN-BLUE-M",
        "p-shirt-blue-m",
        "29.75",
    )
    # the fee: 5.00 + 0.95 VAT, entered gross like every price of this store
    assert (fee.description, fee.unit_price, fee.product_id) == ("Gift wrapping", "5.95", "")
    figures = result.document.figures
    # shipping 4.20 net + 0.80 VAT = 5.00 gross; 59.50 / 1.19 = 50.00; 5.95 / 1.19 = 5.00
    assert figures.subtotal == Decimal("65.45")
    assert figures.discounts == Decimal("0.00")
    assert figures.shipping == Decimal("4.20")
    # 9.50 + 0.95 + 0.80
    assert [(t.code, t.amount) for t in figures.taxes] == [("woo-3", Decimal("11.25"))]
    assert figures.total == Decimal("70.45") == woo.totals.total


def test_a_completed_order_with_a_partial_refund() -> None:
    woo = read_order(order(COMPLETED_PARTIAL_REFUND))
    result = reproduce(woo, store("shop-uk"), CATALOG)
    assert result.differences == ()
    assert woo.status == "completed"
    figures = result.document.figures
    # 4 x 8.00 = 32.00 + 20 % 6.40; shipping 3.50 + 0.70. The refund (-9.60) does not reduce
    # the order's total: WooCommerce keeps it apart (refunds[]).
    assert [(t.code, t.amount) for t in figures.taxes] == [("woo-5", Decimal("7.10"))]
    assert figures.total == Decimal("42.60") == woo.totals.total


def test_figures_the_engine_cannot_reach_are_kept_and_recorded() -> None:
    data = order(COUPON_TAX_EXCLUSIVE)
    data["total"] = "133.59"
    data["tax_lines"][0]["tax_total"] = "9.36"
    result = reproduce(read_order(data), store(), CATALOG)
    assert result.differences == (
        "tax woo-1: store 10.19, engine 10.18",
        "total: store 133.59, engine 133.58",
    )


def test_the_store_rounding_setting_is_the_engine_policy() -> None:
    woo = read_order(order(COUPON_TAX_EXCLUSIVE))
    result = reproduce(woo, store(rounding=TaxRounding.AT_SUBTOTAL), CATALOG)
    assert result.document.policy is not None
    assert result.document.policy.rounding_mode == "per_document"
    # at subtotal: 6.6825 + 2.673 + 0.825 = 10.1805 -> 10.18, the same figures here
    assert result.differences == ()


def test_compound_rates_and_negative_fees_go_to_review() -> None:
    data = order(COUPON_TAX_EXCLUSIVE)
    data["tax_lines"][0]["compound"] = True
    assert reproduce(read_order(data), store(), CATALOG).differences == (
        "taxes: compound rates are not priced by the engine",
    )
    data = order(VARIATION_FEE_TAX_INCLUSIVE)
    data["fee_lines"][0].update(total="-5.00", total_tax="-0.95")
    [difference] = reproduce(read_order(data), store(prices_include_tax=True), CATALOG).differences
    assert difference == "groups[0].lines[1].unit_price: must not be negative"
