"""A WooCommerce order as the suite's priced document (pricing.document), and whether the engine,
given the store's rates and rounding setting, reproduces the store's figures to the cent.

Line items become lines (their coupon share as the line's discount), fees become free-text lines
(a negative fee money off the whole order),
shipping lines shipping charges; each tax rate of the order (`tax_lines`, by rate id) becomes a
tax `woo-<rate id>` (a compound rate at its rate on the net price). The store's figures are
the truth: where the engine disagrees, the order keeps them and the differences are recorded for
a person to review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pricing.document import (
    Discount,
    DocumentGroup,
    DocumentLine,
    InvalidDocument,
    PricedDocument,
    PricingPolicy,
    ShippingCharge,
    TaxRate,
    figure_text,
    price_document,
)
from pricing.engine import Breakdown, RoundingMode
from pricing.money import minor_units
from woocommerce.domain.stores import Store, TaxRounding
from woocommerce.domain.woo_order import LineItem, TaxLine, TaxShare, WooOrder

ZERO = Decimal(0)
_UNIT_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Reproduction:
    """The document the order maps to (priced by the engine when it could be) and each figure
    where the engine and the store disagree, as "what: store X, engine Y"."""

    document: PricedDocument
    differences: tuple[str, ...]


def tax_code(rate_id: int) -> str:
    return f"woo-{rate_id}"


def to_document(order: WooOrder, store: Store, products: Mapping[str, str]) -> PricedDocument:
    """The order's document; `products` maps each line's SKU to the catalog product id."""
    inclusive = order.prices_include_tax
    rates = {t.rate_id: TaxRate(tax_code(t.rate_id), _rate(t, order)) for t in order.tax_lines}
    lines = [_item_line(item, inclusive, rates, products) for item in order.line_items]
    fees = [fee for fee in order.fee_lines if fee.total >= 0]
    lines += [
        DocumentLine(
            line_id=f"fee-{fee.item_id}",
            product_id="",
            sku="",
            description=fee.name,
            quantity="1",
            unit_price=figure_text(fee.total + (fee.total_tax if inclusive else 0)),
            taxes=_taxes(fee.taxes, rates),
            price_rule="woocommerce",
        )
        for fee in fees
    ]
    # A negative fee (how many discount plugins give money off) is money off the whole order.
    off = sum(
        (-(fee.total + (fee.total_tax if inclusive else 0)) for fee in order.fee_lines
         if fee.total < 0),
        ZERO,
    )  # fmt: skip
    shipping = tuple(
        ShippingCharge(
            s.method_title,
            figure_text(s.total + (s.total_tax if inclusive else 0)),
            _taxes(s.taxes, rates),
        )
        for s in order.shipping_lines
    )
    mode = "per_line" if store.tax_rounding is TaxRounding.PER_LINE else "per_document"
    return PricedDocument(
        currency=order.currency,
        groups=(
            DocumentGroup(
                "Order", tuple(lines), Discount(amount=figure_text(off)) if off else None
            ),
        ),
        shipping=shipping,
        policy=PricingPolicy(rounding_mode=mode, rounding="half_up", prices_include_tax=inclusive),
    )


def _item_line(
    item: LineItem, inclusive: bool, rates: Mapping[int, TaxRate], products: Mapping[str, str]
) -> DocumentLine:
    before = item.subtotal + (item.subtotal_tax if inclusive else 0)
    after = item.total + (item.total_tax if inclusive else 0)
    unit = before / item.quantity if item.quantity else before
    if unit != unit.quantize(_UNIT_PLACES):
        unit = unit.quantize(_UNIT_PLACES)
    cut = before - after
    return DocumentLine(
        line_id=f"item-{item.item_id}",
        product_id=products.get(item.sku, ""),
        sku=item.sku,
        description=item.name,
        quantity=figure_text(item.quantity),
        unit_price=figure_text(unit),
        discount=Discount(amount=figure_text(cut)) if cut else None,
        taxes=_taxes(item.taxes, rates),
        price_rule="woocommerce",
        kind="stocked",
    )


def _rate(line: TaxLine, order: WooOrder) -> str:
    """The rate on the net price. A compound rate is charged on the price plus the order's other
    taxes (WooCommerce sums them unrounded): c x (1 + their rates) on the net. A line without
    one of those taxes comes out different, and the comparison sends the order to review."""
    rate = line.rate_percent / 100
    if line.compound:
        rate *= 1 + sum((t.rate_percent / 100 for t in order.tax_lines if not t.compound), ZERO)
    return figure_text(rate)


def _taxes(shares: Sequence[TaxShare], rates: Mapping[int, TaxRate]) -> tuple[TaxRate, ...]:
    # A rate id the order's tax_lines do not name cannot be priced: its line keeps no tax and
    # the comparison shows the difference.
    return tuple(rates[s.rate_id] for s in shares if s.rate_id in rates)


def reproduce(order: WooOrder, store: Store, products: Mapping[str, str]) -> Reproduction:
    """The order's document priced by the engine and where its figures differ from the store's."""
    document = to_document(order, store, products)
    try:
        priced = price_document(document)
    except InvalidDocument as error:
        return Reproduction(document, (f"{error.field}: {error.description}",))
    return Reproduction(priced, tuple(differences(order, priced.figures)))


def store_figures(order: WooOrder) -> dict[str, Decimal]:
    """The store's figures on the engine's terms (goods and discounts in the order's price basis,
    shipping tax-exclusive, tax per rate code)."""
    inclusive = order.prices_include_tax
    totals = order.totals
    goods = sum((i.subtotal + (i.subtotal_tax if inclusive else 0) for i in order.line_items), ZERO)
    fees = [f.total + (f.total_tax if inclusive else 0) for f in order.fee_lines]
    figures = {
        "subtotal": goods + sum((f for f in fees if f >= 0), ZERO),
        # negative fees are money off the order (to_document)
        "discounts": totals.discount_total
        + (totals.discount_tax if inclusive else 0)
        - sum((f for f in fees if f < 0), ZERO),
        "shipping": totals.shipping_total,
        "total": totals.total,
    }
    for line in order.tax_lines:
        figures[f"tax {tax_code(line.rate_id)}"] = line.tax_total + line.shipping_tax_total
    for item in order.line_items:
        figures[f"line item-{item.item_id} net"] = item.total
    return figures


def _order_discount(order: WooOrder) -> bool:
    """Money off the whole order (negative fees): the engine spreads it over the lines, where
    WooCommerce leaves the items' own totals as they were."""
    return any(fee.total < 0 for fee in order.fee_lines)


def engine_figures(breakdown: Breakdown, order: WooOrder) -> dict[str, Decimal]:
    figures = {
        "subtotal": breakdown.subtotal,
        "discounts": breakdown.discounts,
        "shipping": breakdown.shipping,
        "total": breakdown.total,
    }
    for tax in breakdown.taxes:
        figures[f"tax {tax.code}"] = tax.amount
    for item, line in zip(order.line_items, breakdown.lines, strict=False):
        figures[f"line item-{item.item_id} net"] = line.net
    return figures


def differences(order: WooOrder, breakdown: Breakdown) -> list[str]:
    """Each figure where the engine's breakdown and the store's disagree, to the cent (the
    engine's unrounded per-document line figures are compared rounded)."""
    cent = Decimal(1).scaleb(-minor_units(order.currency))
    store, engine = store_figures(order), engine_figures(breakdown, order)
    per_document = breakdown.policy.mode is RoundingMode.PER_DOCUMENT
    found = []
    for name in sorted(store.keys() | engine.keys()):
        if name.startswith("line ") and _order_discount(order):
            continue  # the totals and taxes still have to agree
        ours = engine.get(name, ZERO)
        if per_document:
            ours = ours.quantize(cent)
        if store.get(name, ZERO) != ours:
            found.append(f"{name}: store {store.get(name, ZERO)}, engine {figure_text(ours)}")
    return found
