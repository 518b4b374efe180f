"""The document pricing engine: groups of lines, discounts, taxes, shipping -> a breakdown.

Pure and deterministic. Amounts are Decimals in the document's currency; rounding happens only
where the policy says: per line (each line's net and each of its taxes), or per document (sums
of unrounded figures, tax computed once per rate on its summed base). Every breakdown names the
engine version and the policy that produced it, so a copy (quote -> order -> invoice) can be
recomputed and compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
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
    """A percentage (10 = 10 %) or an amount; never takes a line below zero."""

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

    @property
    def tax(self) -> Decimal:
        return sum((t.amount for t in self.taxes), ZERO)


def _cut(base: Decimal, discount: Discount) -> Decimal:
    """What a discount takes off `base`: never more than the base, never negative."""
    taken = base * discount.percent / HUNDRED + discount.amount
    return min(max(taken, ZERO), max(base, ZERO))


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


def _price_group(document: Document, group: Group, round_: _Rounder | None) -> list[PricedLine]:
    extended = [line.quantity * line.unit_price for line in group.lines]
    if round_ is not None:
        extended = [round_(x) for x in extended]
    line_cuts = [_cut(x, line.discount) for x, line in zip(extended, group.lines, strict=True)]
    if round_ is not None:
        line_cuts = [round_(c) for c in line_cuts]
    remaining = [x - c for x, c in zip(extended, line_cuts, strict=True)]
    group_cut = _cut(sum(remaining, ZERO), group.discount)
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
    """The document's breakdown under its own rounding policy."""
    policy = document.policy
    round_ = _Rounder(document.currency, policy.rounding)
    per_line = round_ if policy.mode is RoundingMode.PER_LINE else None
    lines = [p for g in document.groups for p in _price_group(document, g, per_line)]
    freight = [
        _split_taxes(
            s.amount if per_line is None else round_(s.amount),
            s.taxes,
            document.prices_include_tax,
            per_line,
        )
        for s in document.shipping
    ]
    rates = {t.code: t.rate for g in document.groups for t in g.taxes}
    rates |= {t.code: t.rate for g in document.groups for line in g.lines for t in line.taxes}
    rates |= {t.code: t.rate for s in document.shipping for t in s.taxes}
    base: dict[str, Decimal] = dict.fromkeys(rates, ZERO)
    amount: dict[str, Decimal] = dict.fromkeys(rates, ZERO)
    for line_net, line_taxes in [(p.net, p.taxes) for p in lines] + freight:
        for code, value in line_taxes:
            base[code] += line_net
            amount[code] += value
    taxes = tuple(
        TaxTotal(code, rates[code], round_(base[code]), round_(amount[code]))
        for code in sorted(rates)
    )
    tax = sum((t.amount for t in taxes), ZERO)
    subtotal = round_(sum((p.extended for p in lines), ZERO))
    if document.prices_include_tax:
        # what the customer pays is the shelf prices: totals follow from gross, nets from totals
        gross_goods = round_(sum((p.net + sum((a for _, a in p.taxes), ZERO) for p in lines), ZERO))
        gross_shipping = round_(sum((n + sum((a for _, a in t), ZERO) for n, t in freight), ZERO))
        total = gross_goods + gross_shipping
        shipping = round_(sum((n for n, _ in freight), ZERO))
        net = total - shipping - tax
        discounts = subtotal - gross_goods
    else:
        net = round_(sum((p.net for p in lines), ZERO))
        shipping = round_(sum((n for n, _ in freight), ZERO))
        discounts = subtotal - net
        total = net + shipping + tax
    return Breakdown(
        engine_version=ENGINE_VERSION,
        policy=policy,
        currency=document.currency,
        lines=tuple(lines),
        subtotal=subtotal,
        discounts=discounts,
        net=net,
        shipping=shipping,
        taxes=taxes,
        total=total,
    )


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
