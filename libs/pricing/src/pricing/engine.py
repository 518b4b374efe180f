"""The document pricing engine: groups of lines, discounts, taxes, shipping -> a breakdown.

Pure and deterministic. Amounts are Decimals in the document's currency; rounding happens only
where the policy says: per line (each line's net and each of its taxes), or per document (sums
of unrounded figures, tax computed once per rate on its summed base). Every breakdown names the
engine version and the policy that produced it, so a copy (quote -> order -> invoice) can be
recomputed and compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from pricing.money import Rounding, minor_units

ENGINE_VERSION = "1"
ZERO = Decimal(0)
HUNDRED = Decimal(100)


class RoundingMode(StrEnum):
    PER_LINE = "per_line"
    PER_DOCUMENT = "per_document"


@dataclass(frozen=True)
class RoundingPolicy:
    mode: RoundingMode = RoundingMode.PER_LINE
    rounding: Rounding = Rounding.HALF_UP


@dataclass(frozen=True)
class Tax:
    code: str  # e.g. "VAT19"
    rate: Decimal  # 0.19 for 19 %


@dataclass(frozen=True)
class Discount:
    """A percentage (10 = 10 %) and/or an amount; one that would take more than what it applies
    to is refused (ExcessiveDiscount), never clamped."""

    percent: Decimal = ZERO
    amount: Decimal = ZERO


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal  # tax-exclusive or tax-inclusive, as the document says
    discount: Discount = Discount()
    taxes: tuple[Tax, ...] = ()


@dataclass(frozen=True)
class Group:
    name: str
    lines: tuple[Line, ...]
    discount: Discount = Discount()
    taxes: tuple[Tax, ...] = ()  # apply to every line of the group


@dataclass(frozen=True)
class Shipping:
    description: str
    amount: Decimal  # in the document's price basis
    taxes: tuple[Tax, ...] = ()  # empty: not taxable


@dataclass(frozen=True)
class Document:
    currency: str
    groups: tuple[Group, ...]
    shipping: tuple[Shipping, ...] = ()
    prices_include_tax: bool = False
    policy: RoundingPolicy = RoundingPolicy()


@dataclass(frozen=True)
class PricedLine:
    group: str
    description: str
    extended: Decimal  # quantity x unit price, in the document's price basis
    discount: Decimal  # line and group discount together
    net: Decimal  # tax-exclusive, after discounts
    taxes: tuple[tuple[str, Decimal], ...]  # (tax code, amount)

    @property
    def gross(self) -> Decimal:
        return self.net + sum((amount for _, amount in self.taxes), ZERO)


@dataclass(frozen=True)
class TaxTotal:
    code: str
    rate: Decimal
    base: Decimal
    amount: Decimal


@dataclass(frozen=True)
class GroupFigures:
    """One group's share of the document's figures: the groups' subtotals, discounts, nets and
    taxes add up to the document's exactly (per document rounding: each group's exact figure
    rounded, the remainder placed where the rounding cut most -- see `_apportion`)."""

    name: str
    subtotal: Decimal
    discount: Decimal
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Breakdown:
    engine_version: str
    policy: RoundingPolicy
    currency: str
    lines: tuple[PricedLine, ...]
    subtotal: Decimal  # sum of extended prices (document's price basis)
    discounts: Decimal
    net: Decimal  # goods, tax-exclusive, after discounts
    shipping: Decimal  # tax-exclusive
    taxes: tuple[TaxTotal, ...] = field(default=())
    total: Decimal = ZERO
    # Derived from the lines and the totals above (figures_by_group), never compared on its own.
    groups: tuple[GroupFigures, ...] = field(default=())

    @property
    def tax(self) -> Decimal:
        return sum((t.amount for t in self.taxes), ZERO)

    @property
    def shipping_tax(self) -> Decimal:
        """The tax on shipping: what the groups' taxes leave of the document's."""
        return self.tax - sum((g.tax for g in self.groups), ZERO)


class ExcessiveDiscount(ValueError):
    """A discount that takes more than what it applies to: a line's (`line` its index in its
    group) or, with `line` None, what is left of the group after its lines' own discounts."""

    def __init__(self, group: int, line: int | None, taken: Decimal, base: Decimal) -> None:
        what = "the group" if line is None else "the line"
        super().__init__(f"takes {taken} off {what}'s {base}")
        self.group, self.line, self.taken, self.base = group, line, taken, base


def _cut(base: Decimal, discount: Discount, group: int, line: int | None) -> Decimal:
    """What a discount takes off `base`; ExcessiveDiscount if that is more than the base."""
    taken = base * discount.percent / HUNDRED + discount.amount
    if taken > base:
        raise ExcessiveDiscount(group, line, taken, base)
    return max(taken, ZERO)


def _shares(total: Decimal, weights: Sequence[Decimal], round_: _Rounder | None) -> list[Decimal]:
    """`total` split in proportion to `weights` (largest remainder when rounding): the shares
    add up to `total` exactly and none exceeds its weight, so no line goes below zero."""
    base = sum(weights, ZERO)
    if base == 0:
        return [ZERO] * len(weights)
    exact = [total * w / base for w in weights]
    if round_ is None:
        return exact
    unit = round_.exponent
    shares = [(e / unit).to_integral_value(rounding=ROUND_FLOOR) * unit for e in exact]
    left = int((total - sum(shares, ZERO)) / unit)
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[:left]:
        shares[i] += unit
    return shares


class _Rounder:
    def __init__(self, currency: str, rounding: Rounding) -> None:
        self.exponent = Decimal(1).scaleb(-minor_units(currency))
        self.rounding = rounding.value

    def __call__(self, value: Decimal) -> Decimal:
        return value.quantize(self.exponent, rounding=self.rounding)


def _split_taxes(
    value: Decimal, taxes: tuple[Tax, ...], inclusive: bool, round_: _Rounder | None
) -> tuple[Decimal, tuple[tuple[str, Decimal], ...]]:
    """(net, taxes) of a line's value. Inclusive values are split so that net + taxes == value."""
    rates = sum((t.rate for t in taxes), ZERO)
    net = value / (1 + rates) if inclusive else value
    if round_ is not None:
        net = round_(net)
    amounts = [net * t.rate for t in taxes]
    if round_ is not None:
        amounts = [round_(a) for a in amounts]
        if inclusive and taxes:  # the shelf price is what the customer pays: the last tax absorbs
            amounts[-1] = value - net - sum(amounts[:-1], ZERO)
    return net, tuple((t.code, a) for t, a in zip(taxes, amounts, strict=True))


def _price_group(
    document: Document, index: int, group: Group, round_: _Rounder | None
) -> list[PricedLine]:
    extended = [line.quantity * line.unit_price for line in group.lines]
    if round_ is not None:
        extended = [round_(x) for x in extended]
    line_cuts = [
        _cut(x, line.discount, index, i)
        for i, (x, line) in enumerate(zip(extended, group.lines, strict=True))
    ]
    if round_ is not None:
        line_cuts = [round_(c) for c in line_cuts]
    remaining = [x - c for x, c in zip(extended, line_cuts, strict=True)]
    group_cut = _cut(sum(remaining, ZERO), group.discount, index, None)
    if round_ is not None:
        group_cut = round_(group_cut)
    shares = _shares(group_cut, remaining, round_)
    priced = []
    for line, x, cut, left, share in zip(
        group.lines, extended, line_cuts, remaining, shares, strict=True
    ):
        net, taxes = _split_taxes(
            left - share, line.taxes + group.taxes, document.prices_include_tax, round_
        )
        priced.append(PricedLine(group.name, line.description, x, cut + share, net, taxes))
    return priced


def price(document: Document) -> Breakdown:
    """The document's breakdown under its own rounding policy; ExcessiveDiscount for a discount
    that takes more than its line or group."""
    policy = document.policy
    round_ = _Rounder(document.currency, policy.rounding)
    per_line = round_ if policy.mode is RoundingMode.PER_LINE else None
    lines = [
        p for i, g in enumerate(document.groups) for p in _price_group(document, i, g, per_line)
    ]
    freight = [
        _split_taxes(
            s.amount if per_line is None else round_(s.amount),
            s.taxes,
            document.prices_include_tax,
            per_line,
        )
        for s in document.shipping
    ]
    levied = [
        (line.taxes + group.taxes, p.net, p.taxes)
        for (group, line), p in zip(
            [(g, line) for g in document.groups for line in g.lines], lines, strict=True
        )
    ] + [(s.taxes, net, t) for s, (net, t) in zip(document.shipping, freight, strict=True)]
    taxes = _tax_totals(levied, round_)
    tax = sum((t.amount for t in taxes), ZERO)
    subtotal = round_(sum((p.extended for p in lines), ZERO))
    shipping = round_(sum((n for n, _ in freight), ZERO))
    if document.prices_include_tax:
        # what the customer pays is the shelf prices: totals follow from gross, nets from totals
        gross_goods = round_(sum((p.gross for p in lines), ZERO))
        gross_shipping = round_(sum((n + sum((a for _, a in t), ZERO) for n, t in freight), ZERO))
        total = gross_goods + gross_shipping
        net, discounts = total - shipping - tax, subtotal - gross_goods
    else:
        net = round_(sum((p.net for p in lines), ZERO))
        discounts, total = subtotal - net, net + shipping + tax
    breakdown = Breakdown(
        ENGINE_VERSION, policy, document.currency, tuple(lines), subtotal, discounts, net,
        shipping, taxes, total,
    )  # fmt: skip
    sizes = [(g.name, len(g.lines)) for g in document.groups]
    taxed_shipping = any(s.taxes for s in document.shipping)
    return replace(breakdown, groups=figures_by_group(breakdown, sizes, taxed_shipping))


def _tax_totals(
    levied: Sequence[tuple[tuple[Tax, ...], Decimal, tuple[tuple[str, Decimal], ...]]],
    round_: _Rounder,
) -> tuple[TaxTotal, ...]:
    """One total per (code, rate): the same code at two rates is two totals. `levied` holds each
    line's and shipping charge's taxes, net and tax amounts, in the same order."""
    sums: dict[tuple[str, Decimal], tuple[Decimal, Decimal, Decimal]] = {}
    for stated, net, amounts in levied:
        for tax, (_, value) in zip(stated, amounts, strict=True):
            key = (tax.code, tax.rate.normalize())
            _, base, amount = sums.get(key, (tax.rate, ZERO, ZERO))
            sums[key] = (tax.rate, base + net, amount + value)
    return tuple(
        TaxTotal(code, rate, round_(base), round_(amount))
        for (code, _), (rate, base, amount) in sorted(sums.items())
    )


def figures_by_group(
    breakdown: Breakdown, sizes: Sequence[tuple[str, int]], taxed_shipping: bool
) -> tuple[GroupFigures, ...]:
    """Each group's figures, from the breakdown's lines (`sizes`: each group's name and line
    count, in order), apportioned so that they add up to the document's figures exactly; the
    tax on shipping (if taxed) is what the groups' taxes leave of the document's."""
    unit = Decimal(1).scaleb(-minor_units(breakdown.currency))
    spans: list[tuple[PricedLine, ...]] = []
    at = 0
    for _, count in sizes:
        spans.append(breakdown.lines[at : at + count])
        at += count

    def exact(figure: str) -> list[Decimal]:
        return [sum((getattr(p, figure) for p in span), ZERO) for span in spans]

    taxes = [sum((a for p in span for _, a in p.taxes), ZERO) for span in spans]
    if taxed_shipping:
        taxes.append(breakdown.tax - sum(taxes, ZERO))
    shares = zip(
        _apportion(breakdown.subtotal, exact("extended"), unit),
        _apportion(breakdown.discounts, exact("discount"), unit),
        _apportion(breakdown.net, exact("net"), unit),
        _apportion(breakdown.tax, taxes, unit),
        strict=False,
    )
    return tuple(
        GroupFigures(name, subtotal, discount, net, tax)
        for (name, _), (subtotal, discount, net, tax) in zip(sizes, shares, strict=False)
    )


def _apportion(target: Decimal, exact: Sequence[Decimal], unit: Decimal) -> list[Decimal]:
    """`exact` rounded to `unit` so that the parts add up to `target`: each part floored, then
    the units left go one each to the parts the floor cut most (largest remainder). Parts that
    are already in the unit and add up to the target come back unchanged."""
    if not exact:
        return []
    parts = [
        ((e / unit).to_integral_value(rounding=ROUND_FLOOR) * unit).quantize(unit) for e in exact
    ]
    left = int((target - sum(parts, ZERO)) / unit)
    order = sorted(range(len(exact)), key=lambda i: exact[i] - parts[i], reverse=left >= 0)
    for n in range(abs(left)):
        parts[order[n % len(order)]] += unit if left > 0 else -unit
    return parts


def total_of(currency: str, lines: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    """The total of plain (quantity, unit price) lines -- no discounts, taxes or shipping -- as
    the engine computes it under the default policy; what a simple order or invoice comes to."""
    group = Group("Items", tuple(Line("", quantity, price) for quantity, price in lines))
    return price(Document(currency, (group,))).total


class BreakdownMismatch(ValueError):
    """A stored breakdown that the engine no longer agrees with."""

    def __init__(self, differences: Sequence[str]) -> None:
        super().__init__("; ".join(differences))
        self.differences = tuple(differences)


def differences(stored: Breakdown, recomputed: Breakdown) -> list[str]:
    """Each figure that differs, as "what: stored X, recomputed Y" (Decimals compare by value)."""
    found: list[str] = []

    def compare(what: str, was: object, now: object) -> None:
        if was != now:
            found.append(f"{what}: stored {was}, recomputed {now}")

    compare("policy", stored.policy, recomputed.policy)
    compare("currency", stored.currency, recomputed.currency)
    for name in ("subtotal", "discounts", "net", "shipping", "total"):
        compare(name, getattr(stored, name), getattr(recomputed, name))
    compare(
        "taxes",
        [(t.code, t.rate, t.base, t.amount) for t in stored.taxes],
        [(t.code, t.rate, t.base, t.amount) for t in recomputed.taxes],
    )
    compare("line count", len(stored.lines), len(recomputed.lines))
    for i, (was, now) in enumerate(zip(stored.lines, recomputed.lines, strict=False)):
        for name in ("extended", "discount", "net", "taxes"):
            compare(f"lines[{i}].{name}", getattr(was, name), getattr(now, name))
    return found


def check(document: Document, stored: Breakdown) -> Breakdown:
    """Recomputes `document` and proves it agrees with the breakdown stored with it; raises
    BreakdownMismatch naming every figure that does not."""
    recomputed = price(document)
    found = differences(stored, recomputed)
    if found:
        raise BreakdownMismatch(found)
    return recomputed
