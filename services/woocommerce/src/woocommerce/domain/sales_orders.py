"""What a store's order becomes in the suite: the sales order to place (its priced document, the
store's figures to the cent), the customer its buyer becomes, and the credit note each refund
becomes. Plain Python.

A mapped order's document is the one the engine priced (its figures equal the store's). A review
order's is stated: the engine's lines with the store's totals, tax per rate and line nets, so the
sales order keeps the store's figures; orders keeps it as is, flagged with the differences.
Line ids are stable per (store, order, line): a refund's `_refunded_item_id` finds its line."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from pricing.document import DocumentGroup, PricedDocument, figure_text
from pricing.engine import Breakdown
from pricing.money import minor_units
from woocommerce.domain.connector_orders import ConnectorOrder, OrderState
from woocommerce.domain.pricing_map import Reproduction, store_figures, tax_code
from woocommerce.domain.stores import CustomerPolicy, Store
from woocommerce.domain.woo_order import WooOrder, money

CHANNEL = "woocommerce"
# Orders not (yet) placed: unpaid, failed or cancelled before the suite took them.
NOT_PLACED = ("pending", "failed", "cancelled", "trash")
# The store gave up on the order: cancelled, or all of its money given back before it shipped.
CANCELLED = ("cancelled", "refunded")
# Stages of a sales order that has shipped all of its goods.
ALL_SHIPPED = ("shipped", "invoiced", "paid", "closed", "archived")


def may_be_a_store_order(channel: str) -> bool:
    """Whether an event about an order of `channel` can concern a store: another channel's
    order is none of the connector's business, so it skips the event unread (no claim, no
    lookup). An event that names no channel (from a producer before it was added) may."""
    return channel in ("", CHANNEL)


class NotPlaceable(ValueError):
    """The order cannot become a sales order as it is (a person resolves it)."""


def external_reference(store_id: str, woo_order_id: int) -> str:
    """The sales order's natural key in orders: "<store>:<woo order id>"."""
    return f"{store_id}:{woo_order_id}"


def line_id(store_id: str, woo_order_id: int, document_line_id: str) -> str:
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"woocommerce:{store_id}:{woo_order_id}:{document_line_id}")
    )


@dataclass(frozen=True)
class Placement:
    """The sales order to place for a store's order."""

    store_id: str
    woo_order_id: int
    customer_id: str
    document: PricedDocument
    lines: tuple[tuple[str, int], ...]  # (product id, quantity) restating the document's goods
    review_note: str
    shipping_address: Mapping[str, str]

    @property
    def external_reference(self) -> str:
        return external_reference(self.store_id, self.woo_order_id)


def sales_document(
    held: ConnectorOrder, order: WooOrder, reproduction: Reproduction
) -> PricedDocument:
    """The document the sales order keeps; NotPlaceable when the engine could not price it."""
    document = reproduction.document
    if document.breakdown is None:
        raise NotPlaceable("; ".join(reproduction.differences) or "the document is not priced")
    if held.state is OrderState.REVIEW:
        document = replace(document, breakdown=stated(document.breakdown, order))
    groups = tuple(
        DocumentGroup(
            g.name,
            tuple(
                replace(x, line_id=line_id(held.store_id, held.woo_order_id, x.line_id))
                for x in g.lines
            ),
            g.discount,
            g.taxes,
        )
        for g in document.groups
    )
    return replace(document, groups=groups)


def stated(breakdown: Breakdown, order: WooOrder) -> Breakdown:
    """The engine's breakdown carrying the store's figures: totals, tax per rate, line nets."""
    cent = Decimal(1).scaleb(-minor_units(order.currency))
    figures = store_figures(order)
    nets = {f"line item-{i.item_id} net": n for n, i in enumerate(order.line_items)}
    lines = list(breakdown.lines)
    for name, position in nets.items():
        if position < len(lines):
            lines[position] = replace(lines[position], net=figures[name])
    taxes = tuple(
        replace(t, amount=figures.get(f"tax {t.code}", t.amount).quantize(cent))
        for t in breakdown.taxes
    )
    total = figures["total"]
    return replace(
        breakdown,
        lines=tuple(lines),
        subtotal=figures["subtotal"],
        discounts=figures["discounts"],
        shipping=figures["shipping"],
        taxes=taxes,
        total=total,
        net=total - figures["shipping"] - sum((t.amount for t in taxes), Decimal(0)),
    )


def placement(
    held: ConnectorOrder,
    order: WooOrder,
    document: PricedDocument,
    customer_id: str,
    data: Mapping[str, Any],
) -> Placement:
    quantities: dict[str, int] = {}
    for line in document.lines:
        if line.product_id:
            quantities[line.product_id] = quantities.get(line.product_id, 0) + line.units
    note = "; ".join(held.differences) if held.state is OrderState.REVIEW else ""
    return Placement(
        held.store_id,
        held.woo_order_id,
        customer_id,
        document,
        tuple(quantities.items()),
        note,
        address_of(data.get("shipping") or data.get("billing") or {}),
    )


def address_of(section: Mapping[str, Any]) -> dict[str, str]:
    """The non-empty parts of a WooCommerce address, within orders' bounds."""
    return {
        str(k)[:50]: str(v)[:200] for k, v in list(section.items())[:20] if v and isinstance(v, str)
    }


@dataclass(frozen=True)
class NewCustomer:
    """The account a store's buyer becomes in orders."""

    name: str
    kind: str  # "guest" or "person"
    email: str
    currency: str


def customer_keys(store: Store, order: WooOrder) -> tuple[str, ...]:
    """How the connector remembers the buyer's account, most specific first; () under the
    store's default-customer policy (every order is that customer's)."""
    if store.customer_policy is CustomerPolicy.DEFAULT_CUSTOMER:
        return ()
    if not order.customer_id:
        # A guest's e-mail is not verified: it finds the guest account it opened before, never a
        # registered buyer's (whose credit and prices a stranger could otherwise order on).
        email = order.billing_email.strip().lower()
        return (f"guest-email:{email}",) if email else (f"guest:{order.order_id}",)
    keys = [f"woo:{order.customer_id}"]
    if order.billing_email:
        keys.append(f"email:{order.billing_email.strip().lower()}")
    return tuple(keys)


def new_customer(order: WooOrder, data: Mapping[str, Any]) -> NewCustomer:
    billing = data.get("billing") or {}
    name = " ".join(str(billing.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
    name = name or str(billing.get("company") or "").strip() or order.billing_email
    name = name or f"WooCommerce order {order.number}"
    kind = "person" if order.customer_id else "guest"
    return NewCustomer(name[:200], kind, order.billing_email, order.currency)


@dataclass(frozen=True)
class CreditedTax:
    code: str
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class CreditedLine:
    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal  # taxes included
    taxes: tuple[CreditedTax, ...]


@dataclass(frozen=True)
class RefundCredit:
    """A store refund as a credit note for the refunded lines, amounts and tax."""

    refund_id: int
    store_id: str
    woo_order_id: int
    sales_order_id: str
    customer_id: str
    currency: str
    amount: Decimal
    memo: str
    lines: tuple[CreditedLine, ...]

    @property
    def request_id(self) -> str:
        return f"woocommerce:{self.store_id}:refund:{self.refund_id}"


def refund_credit(
    held: ConnectorOrder,
    order: WooOrder,
    refund: Mapping[str, Any],
    customer_id: str,
    products: Mapping[str, str],
) -> RefundCredit:
    """The credit note of one refund (WooCommerce writes a refund's lines negative)."""
    cent = Decimal(1).scaleb(-minor_units(order.currency))
    rates = {t.rate_id: t.rate_percent / 100 for t in order.tax_lines}
    lines = tuple(
        _credited(held, item, rates, products, cent) for item in refund.get("line_items", [])
    )
    reason = str(refund.get("reason") or "").strip()
    memo = f"WooCommerce refund {refund['id']} of order {order.number}, paid back by the store" + (
        f": {reason}" if reason else ""
    )
    return RefundCredit(
        int(refund["id"]),
        held.store_id,
        held.woo_order_id,
        held.sales_order_id,
        customer_id,
        order.currency,
        abs(money(refund.get("amount"))),
        memo[:500],
        tuple(x for x in lines if x.quantity or x.line_total),
    )


def _credited(
    held: ConnectorOrder,
    item: Mapping[str, Any],
    rates: Mapping[int, Decimal],
    products: Mapping[str, str],
    cent: Decimal,
) -> CreditedLine:
    refunded = next(
        (
            str(m.get("value"))
            for m in item.get("meta_data", [])
            if m.get("key") == "_refunded_item_id"
        ),
        str(item.get("id")),
    )
    quantity = abs(int(money(item.get("quantity"))))
    net = abs(money(item.get("total")))
    taxes = tuple(
        CreditedTax(
            tax_code(int(t["id"])),
            rates.get(int(t["id"]), Decimal(0)),
            abs(money(t.get("total"))).quantize(cent),
        )
        for t in item.get("taxes", [])
        if money(t.get("total"))
    )
    sku = str(item.get("sku") or "")
    return CreditedLine(
        line_id(held.store_id, held.woo_order_id, f"item-{refunded}"),
        products.get(sku, ""),
        sku,
        quantity,
        (net / quantity).quantize(cent) if quantity else net,
        net + sum((t.amount for t in taxes), Decimal(0)),
        taxes,
    )


def refunds_listed(data: Mapping[str, Any]) -> Sequence[int]:
    """The refund ids the order's snapshot lists (`refunds`: id, reason, total)."""
    return [int(r["id"]) for r in data.get("refunds") or [] if isinstance(r, Mapping) and "id" in r]


def figure(value: Decimal) -> str:
    return figure_text(value)
