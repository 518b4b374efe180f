"""An order as WooCommerce's REST API v3 sends it (webhook bodies are the same resource), read
into plain values: money as the exact decimal strings sent (never a float), `*_gmt` dates read as
UTC although they carry no offset. Only what the connector uses is read; the rest stays in the
stored body."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

# Statuses of carts that were never placed (block checkout) or are not orders yet.
DRAFT_STATUSES = frozenset({"checkout-draft", "draft", "auto-draft"})


class NotAnOrder(ValueError):
    """A body that is not an order resource (e.g. the REST error WooCommerce signs and sends when
    the webhook's owner lost its rights)."""


@dataclass(frozen=True)
class TaxShare:
    rate_id: int
    total: Decimal  # unrounded, as sent
    subtotal: Decimal


@dataclass(frozen=True)
class LineItem:
    item_id: int
    name: str
    product_id: int
    variation_id: int  # 0 for a simple product
    sku: str  # "" when the product no longer exists
    quantity: Decimal
    subtotal: Decimal  # before discounts, tax-exclusive
    subtotal_tax: Decimal
    total: Decimal  # after discounts, tax-exclusive
    total_tax: Decimal
    taxes: tuple[TaxShare, ...]


@dataclass(frozen=True)
class CouponLine:
    code: str
    discount: Decimal
    discount_tax: Decimal


@dataclass(frozen=True)
class FeeLine:
    item_id: int
    name: str
    total: Decimal  # tax-exclusive
    total_tax: Decimal
    taxes: tuple[TaxShare, ...]


@dataclass(frozen=True)
class ShippingLine:
    item_id: int
    method_title: str
    method_id: str
    total: Decimal  # tax-exclusive
    total_tax: Decimal
    taxes: tuple[TaxShare, ...]


@dataclass(frozen=True)
class TaxLine:
    rate_id: int
    rate_code: str
    label: str
    compound: bool
    rate_percent: Decimal
    tax_total: Decimal  # on goods and fees
    shipping_tax_total: Decimal


@dataclass(frozen=True)
class Totals:
    discount_total: Decimal
    discount_tax: Decimal
    shipping_total: Decimal
    shipping_tax: Decimal
    cart_tax: Decimal
    total_tax: Decimal
    total: Decimal


@dataclass(frozen=True)
class WooOrder:
    order_id: int
    number: str
    status: str
    currency: str
    prices_include_tax: bool
    customer_id: int  # 0: a guest
    billing_email: str
    date_modified_gmt: datetime
    line_items: tuple[LineItem, ...]
    coupon_lines: tuple[CouponLine, ...]
    fee_lines: tuple[FeeLine, ...]
    shipping_lines: tuple[ShippingLine, ...]
    tax_lines: tuple[TaxLine, ...]
    totals: Totals

    @property
    def is_draft(self) -> bool:
        return self.status in DRAFT_STATUSES


def gmt(text: str) -> datetime:
    """A WooCommerce `*_gmt` date ("2024-03-15T10:20:30", no offset) as an aware UTC instant."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def read_order(data: Mapping[str, Any]) -> WooOrder:
    """The order in `data` (decoded with Decimal for JSON numbers); NotAnOrder when it is not
    one or a figure cannot be read."""
    if not isinstance(data, Mapping) or not isinstance(data.get("id"), int):
        raise NotAnOrder("the body is not an order (no integer id)")
    if not data.get("date_modified_gmt"):
        raise NotAnOrder("the order has no date_modified_gmt")
    try:
        return _order(data)
    except (KeyError, TypeError, ValueError, InvalidOperation) as error:
        raise NotAnOrder(f"the order cannot be read: {error!r}") from error


def _order(data: Mapping[str, Any]) -> WooOrder:
    return WooOrder(
        order_id=data["id"],
        number=str(data.get("number") or data["id"]),
        status=str(data["status"]),
        currency=str(data["currency"]),
        prices_include_tax=bool(data.get("prices_include_tax", False)),
        customer_id=int(data.get("customer_id") or 0),
        billing_email=str((data.get("billing") or {}).get("email") or ""),
        date_modified_gmt=gmt(data["date_modified_gmt"]),
        line_items=tuple(_line(item) for item in data.get("line_items", [])),
        coupon_lines=tuple(
            CouponLine(str(c["code"]), money(c["discount"]), money(c.get("discount_tax", "0")))
            for c in data.get("coupon_lines", [])
        ),
        fee_lines=tuple(_fee(fee) for fee in data.get("fee_lines", [])),
        shipping_lines=tuple(_shipping(s) for s in data.get("shipping_lines", [])),
        tax_lines=tuple(_tax_line(t) for t in data.get("tax_lines", [])),
        totals=Totals(
            *(money(data[name]) for name in ("discount_total", "discount_tax", "shipping_total")),
            *(money(data[name]) for name in ("shipping_tax", "cart_tax", "total_tax", "total")),
        ),
    )


def money(value: object) -> Decimal:
    """A figure as WooCommerce sent it: a string ("12.30", "3.132"), or a JSON number already
    decoded as Decimal from its text. A float here would be a decoding mistake: refused."""
    if isinstance(value, float):
        raise ValueError("a float reached the order reader: decode JSON with parse_float=Decimal")
    if value in ("", None):
        return Decimal(0)
    amount = Decimal(str(value))
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not an amount")
    return amount


def _shares(taxes: Sequence[Mapping[str, Any]]) -> tuple[TaxShare, ...]:
    return tuple(
        TaxShare(int(t["id"]), money(t.get("total")), money(t.get("subtotal"))) for t in taxes
    )


def _line(item: Mapping[str, Any]) -> LineItem:
    return LineItem(
        item_id=int(item["id"]),
        name=str(item.get("name") or ""),
        product_id=int(item.get("product_id") or 0),
        variation_id=int(item.get("variation_id") or 0),
        sku=str(item.get("sku") or ""),
        quantity=money(item["quantity"]),
        subtotal=money(item["subtotal"]),
        subtotal_tax=money(item.get("subtotal_tax")),
        total=money(item["total"]),
        total_tax=money(item.get("total_tax")),
        taxes=_shares(item.get("taxes", [])),
    )


def _fee(fee: Mapping[str, Any]) -> FeeLine:
    return FeeLine(
        int(fee["id"]),
        str(fee.get("name") or "Fee"),
        money(fee["total"]),
        money(fee.get("total_tax")),
        _shares(fee.get("taxes", [])),
    )


def _shipping(line: Mapping[str, Any]) -> ShippingLine:
    return ShippingLine(
        int(line["id"]),
        str(line.get("method_title") or "Shipping"),
        str(line.get("method_id") or ""),
        money(line["total"]),
        money(line.get("total_tax")),
        _shares(line.get("taxes", [])),
    )


def _tax_line(line: Mapping[str, Any]) -> TaxLine:
    return TaxLine(
        rate_id=int(line["rate_id"]),
        rate_code=str(line.get("rate_code") or ""),
        label=str(line.get("label") or ""),
        compound=bool(line.get("compound", False)),
        rate_percent=money(line["rate_percent"]),
        tax_total=money(line.get("tax_total")),
        shipping_tax_total=money(line.get("shipping_tax_total")),
    )
