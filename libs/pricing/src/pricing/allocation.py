"""A priced document billed in parts: the share of each shipment, so that the invoices of an order
add up to the order's own figures to the cent -- its total, and each tax's base and amount per
(code, rate). Pure.

How the cents are placed: every figure is shared *cumulatively*. A shipment's share of a figure is
the rounded figure of everything shipped up to and including it, less the rounded figure of
everything shipped before it; once the last unit has shipped, "everything shipped" is the
document's own stated figure. So the shares of all shipments telescope to exactly the stated
figure, whatever the order of the shipments and however the units are split, and each invoice
depends only on what shipped before it (it never waits for the last shipment). Within one
shipment a figure is spread over its lines by largest remainder. Shipping charges go whole with
the first shipment.

With tax-exclusive prices a shipment's total is its net plus its taxes; with tax-inclusive prices
it is the share of what the customer pays (the gross), and the net is the gross less the taxes,
as the engine does for the whole document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from pricing.document import PricedDocument, rounding_policy
from pricing.money import minor_units

ZERO = Decimal(0)
# The item the document's shipping charges are billed as.
SHIPPING = "shipping"

TaxKey = tuple[str, Decimal]


@dataclass(frozen=True)
class TaxShare:
    code: str
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class ItemShare:
    """What one shipment bills of a document line (or of the shipping charges)."""

    item_id: str
    quantity: int
    net: Decimal
    taxes: tuple[TaxShare, ...]

    @property
    def gross(self) -> Decimal:
        return self.net + sum((t.amount for t in self.taxes), ZERO)


@dataclass(frozen=True)
class RateShare:
    """One tax's base and amount on a shipment's invoice."""

    code: str
    rate: Decimal
    base: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Share:
    currency: str
    items: tuple[ItemShare, ...]
    taxes: tuple[RateShare, ...]
    # Tax-exclusive, goods and shipping.
    net: Decimal
    total: Decimal

    @property
    def tax(self) -> Decimal:
        return sum((t.amount for t in self.taxes), ZERO)


@dataclass(frozen=True)
class _Item:
    """A line's (or the shipping's) own figures, unrounded as the breakdown states them."""

    item_id: str
    quantity: int
    net: Decimal
    taxes: Mapping[TaxKey, Decimal]

    @property
    def gross(self) -> Decimal:
        return self.net + sum(self.taxes.values(), ZERO)


def _items(document: PricedDocument) -> list[_Item]:
    """Each line with its net and taxes keyed by (code, rate), then the shipping charges as one
    item holding what the totals state beyond the lines."""
    items: list[_Item] = []
    stated = [line.taxes + group.taxes for group in document.groups for line in group.lines]
    for (line, figures), taxes_of in zip(document.lines_with_figures(), stated, strict=True):
        taxes: dict[TaxKey, Decimal] = {}
        for tax, (_, amount) in zip(taxes_of, figures.taxes, strict=True):
            key = (tax.code, Decimal(tax.rate))
            taxes[key] = taxes.get(key, ZERO) + amount
        items.append(_Item(line.line_id, line.units, figures.net, taxes))
    if document.shipping:
        charged = {(t.code, Decimal(t.rate)) for s in document.shipping for t in s.taxes}
        shipping_taxes = {
            (t.code, t.rate): t.amount
            - sum((x.taxes.get((t.code, t.rate), ZERO) for x in items), ZERO)
            for t in document.figures.taxes
            if (t.code, t.rate) in charged
        }
        items.append(_Item(SHIPPING, 1, document.figures.shipping, shipping_taxes))
    return items


def _stated(document: PricedDocument) -> tuple[Decimal, dict[TaxKey, tuple[Decimal, Decimal]]]:
    """The document's own figure for what is shared (net, or gross with tax-inclusive prices)
    and each tax's (base, amount)."""
    figures = document.figures
    shared = figures.total if document.prices_include_tax else figures.net + figures.shipping
    return shared, {(t.code, t.rate): (t.base, t.amount) for t in figures.taxes}


class _Round:
    def __init__(self, document: PricedDocument) -> None:
        self.unit = Decimal(1).scaleb(-minor_units(document.currency))
        self.rounding = rounding_policy(document.policy).rounding.value

    def __call__(self, value: Decimal) -> Decimal:
        return value.quantize(self.unit, rounding=self.rounding)


def apportion(total: Decimal, weights: Sequence[Decimal], unit: Decimal) -> list[Decimal]:
    """`total` (a whole number of `unit`s) spread over `weights` by largest remainder: the parts
    add up to `total` exactly. With no weight at all, the first part takes it."""
    if not weights:
        return []
    base = sum(weights, ZERO)
    if base == 0:
        return [total] + [ZERO] * (len(weights) - 1)
    exact = [total * w / base for w in weights]
    parts = [(e / unit).to_integral_value(rounding=ROUND_FLOOR) * unit for e in exact]
    left = int((total - sum(parts, ZERO)) / unit)
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - parts[i], reverse=True)[:left]:
        parts[i] += unit
    return parts


@dataclass(frozen=True)
class _Progress:
    """Each item's fraction shipped at some point, and whether that is everything."""

    fractions: Mapping[str, Decimal]
    complete: bool


def _progress(items: Sequence[_Item], shipped: Mapping[str, int], started: bool) -> _Progress:
    fractions = {}
    for item in items:
        if item.item_id == SHIPPING:
            fractions[item.item_id] = Decimal(1 if started else 0)
        else:
            fractions[item.item_id] = Decimal(shipped.get(item.item_id, 0)) / item.quantity
    return _Progress(fractions, all(f == 1 for f in fractions.values()))


def _measures(items: Sequence[_Item], at: _Progress, inclusive: bool) -> dict[object, Decimal]:
    """Everything shipped at `at`, unrounded: the shared figure and each tax's base and amount."""
    found: dict[object, Decimal] = {"shared": ZERO}
    for item in items:
        f = at.fractions[item.item_id]
        found["shared"] += (item.gross if inclusive else item.net) * f
        for key, amount in item.taxes.items():
            found[("base", key)] = found.get(("base", key), ZERO) + item.net * f
            found[("tax", key)] = found.get(("tax", key), ZERO) + amount * f
    return found


def _billed(
    document: PricedDocument, items: Sequence[_Item], at: _Progress, round_: _Round
) -> dict[object, Decimal]:
    """Everything shipped at `at`, as billed: rounded, or the document's own figure once it has
    all shipped."""
    inclusive = document.prices_include_tax
    if at.complete:
        shared, taxes = _stated(document)
        found: dict[object, Decimal] = {"shared": shared}
        for key, (base, amount) in taxes.items():
            found[("base", key)] = base
            found[("tax", key)] = amount
        return found
    return {k: round_(v) for k, v in _measures(items, at, inclusive).items()}


@dataclass(frozen=True)
class BilledSoFar:
    """What the earlier invoices of a document billed, as they stated it: their net
    (tax-exclusive) and total, and each tax's (base, amount) per (code, rate)."""

    net: Decimal
    total: Decimal
    taxes: Mapping[TaxKey, tuple[Decimal, Decimal]]

    def measures(self, inclusive: bool) -> dict[object, Decimal]:
        found: dict[object, Decimal] = {"shared": self.total if inclusive else self.net}
        for key, (base, amount) in self.taxes.items():
            found[("base", key)] = base
            found[("tax", key)] = amount
        return found


def allocate(
    document: PricedDocument,
    before: Mapping[str, int],
    now: Mapping[str, int],
    billed: BilledSoFar | None = None,
) -> Share:
    """The share of a shipment of `now` units per line, after `before` units per line shipped
    (and were billed) earlier. The document must be priced; ValueError for a line it does not
    have or more units than it holds.

    `billed` is what the earlier invoices stated; given, the share is the document's figure for
    everything shipped less that, so the invoices still add up to the document exactly when it
    changed between shipments (an order's lines changed before the rest shipped)."""
    round_ = _Round(document)
    items = _items(document)
    known = {x.item_id: x for x in items if x.item_id != SHIPPING}
    after: dict[str, int] = dict(before)
    for line_id, units in now.items():
        if line_id not in known:
            raise ValueError(f"line {line_id} is not on the document")
        after[line_id] = after.get(line_id, 0) + units
        if units <= 0 or after[line_id] > known[line_id].quantity:
            raise ValueError(f"{after[line_id]} units of line {line_id} shipped in all")
    was = _progress(items, before, any(v > 0 for v in before.values()))
    is_ = _progress(items, after, True)
    new = _billed(document, items, is_, round_)
    if billed is None:
        old = _billed(document, items, was, round_)
    else:
        old = billed.measures(document.prices_include_tax)
    delta = {k: new.get(k, ZERO) - old.get(k, ZERO) for k in set(old) | set(new)}
    keys = sorted(
        {k for x in items for k in x.taxes}
        | {(t.code, t.rate) for t in document.figures.taxes}
        | set(billed.taxes if billed is not None else ())
    )
    rates = tuple(
        RateShare(
            code,
            rate,
            delta.get(("base", (code, rate)), ZERO),
            delta.get(("tax", (code, rate)), ZERO),
        )
        for code, rate in keys
    )
    tax = sum((r.amount for r in rates), ZERO)
    if document.prices_include_tax:
        total, net = delta["shared"], delta["shared"] - tax
    else:
        total, net = delta["shared"] + tax, delta["shared"]
    shares = _spread(items, (was, is_), now, rates, net, round_.unit)
    return Share(document.currency, shares, rates, net, total)


def _spread(
    items: Sequence[_Item],
    progress: tuple[_Progress, _Progress],
    now: Mapping[str, int],
    rates: Sequence[RateShare],
    net: Decimal,
    unit: Decimal,
) -> tuple[ItemShare, ...]:
    """The shipment's net and each tax spread over the items it bills (a tax none of them bears
    -- a rounding cent of the last shipment -- goes to the first)."""
    was, is_ = progress
    step = {x.item_id: is_.fractions[x.item_id] - was.fractions[x.item_id] for x in items}
    moved = [x for x in items if step[x.item_id] > 0]
    nets = apportion(net, [x.net * step[x.item_id] for x in moved], unit)
    taxes: dict[str, list[TaxShare]] = {x.item_id: [] for x in moved}
    for rate in rates:
        key = (rate.code, rate.rate)
        bearing = [x for x in moved if key in x.taxes] or (moved[:1] if rate.amount else [])
        weights = [x.taxes.get(key, ZERO) * step[x.item_id] for x in bearing]
        for x, part in zip(bearing, apportion(rate.amount, weights, unit), strict=True):
            taxes[x.item_id].append(TaxShare(rate.code, rate.rate, part))
    return tuple(
        ItemShare(x.item_id, now.get(x.item_id, 1), part, tuple(taxes[x.item_id]))
        for x, part in zip(moved, nets, strict=True)
    )
