"""What a quote says, as a salesperson enters it: groups of catalog or free-text lines, the
terms they are priced under, and the customer's particulars. Plain Python.

Content is kept as entered; `check` names every field at fault before the catalog is asked,
and `stored_form` is what is kept once it passes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from pricing.document import Discount, PricingPolicy, ShippingCharge, TaxRate
from pricing.money import InvalidMoney, check_currency
from quoting.domain.limits import (
    CONTENT_TEXTS,
    GROUP_NAME,
    LINE_DESCRIPTION,
    MAX_GROUPS,
    MAX_LINES,
    MAX_SHIPPING_CHARGES,
    MAX_TAXES,
    SHIPPING_DESCRIPTION,
    SKU,
    TAX_CODE,
    amount_within,
    quantity_within,
    text_within,
)
from servicekit.errors import Violations

DEFAULT_VALIDITY = timedelta(days=30)


@dataclass(frozen=True)
class UnitPrice:
    """A price as entered: a decimal text in a currency."""

    amount: str
    currency: str


@dataclass(frozen=True)
class LineInput:
    """A catalog product (by SKU or id), or free text with a price."""

    sku: str = ""
    product_id: str = ""
    # Required for free text; for a product, empty means the product's name.
    description: str = ""
    quantity: int = 0
    # Required for free text; for a product it overrides the resolved price.
    unit_price: UnitPrice | None = None
    discount: Discount = field(default_factory=Discount)
    taxes: tuple[TaxRate, ...] = ()

    @property
    def is_free_text(self) -> bool:
        return not (self.sku or self.product_id)


@dataclass(frozen=True)
class GroupInput:
    name: str
    lines: tuple[LineInput, ...] = ()
    discount: Discount = field(default_factory=Discount)
    taxes: tuple[TaxRate, ...] = ()


@dataclass(frozen=True)
class QuoteContent:
    customer_id: str = ""
    customer_group: str = ""  # whose price list prices catalog lines; empty: list prices
    salesperson: str = ""
    currency: str = ""
    valid_until: str = ""  # an ISO date
    payment_terms: str = ""
    terms_and_conditions: str = ""
    notes: str = ""
    groups: tuple[GroupInput, ...] = ()
    shipping: tuple[ShippingCharge, ...] = ()
    policy: PricingPolicy = field(default_factory=PricingPolicy)
    # Starts from a template's groups (before `groups`).
    template_id: str = ""

    def lines(self) -> Iterator[tuple[str, LineInput]]:
        """Every line with its field path."""
        for g, group in enumerate(self.groups):
            for i, line in enumerate(group.lines):
                yield f"groups[{g}].lines[{i}]", line

    def after(self, groups: tuple[GroupInput, ...]) -> QuoteContent:
        """This content with `groups` (a template's) before its own."""
        return replace(self, groups=(*groups, *self.groups))


def check(content: QuoteContent, today: date) -> None:
    """Faults visible without the catalog, all at once."""
    problems = Violations()
    for name in ("customer_id", "salesperson"):
        if not getattr(content, name).strip():
            problems.add(name, "required")
    try:
        check_currency(content.currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    if content.valid_until:
        try:
            if date.fromisoformat(content.valid_until) < today:
                problems.add("valid_until", "must be today or later")
        except ValueError:
            problems.add("valid_until", "an ISO date, YYYY-MM-DD")
    count = sum(len(group.lines) for group in content.groups)
    if not 1 <= count <= MAX_LINES:
        problems.add("groups", f"between 1 and {MAX_LINES} lines in all, not {count}")
    _check_sizes(content, problems)
    for g, group in enumerate(content.groups):
        if not group.name.strip():
            problems.add(f"groups[{g}].name", "required")
    for at, line in list(content.lines())[:MAX_LINES]:
        if line.is_free_text:
            if not line.description.strip():
                problems.add(f"{at}.description", "required for a line without a product")
            if line.unit_price is None:
                problems.add(f"{at}.unit_price", "required for a line without a product")
        if line.unit_price is not None:
            _check_price(line.unit_price, content.currency, at, problems)
    problems.raise_if_any()


def _check_price(price: UnitPrice, currency: str, at: str, problems: Violations) -> None:
    value = amount_within(problems, f"{at}.unit_price.amount", price.amount)
    if value is not None and value < 0:
        problems.add(f"{at}.unit_price.amount", "must not be negative")
    if price.currency != currency:
        problems.add(f"{at}.unit_price.currency", f"must be the quote's currency, {currency}")


def _check_sizes(content: QuoteContent, problems: Violations) -> None:
    """Every text, count and amount of `content` that exceeds its limit, by field."""
    for name, limit in CONTENT_TEXTS.items():
        text_within(problems, name, getattr(content, name), limit)
    if len(content.groups) > MAX_GROUPS:
        problems.add("groups", f"at most {MAX_GROUPS} groups")
    for g, group in enumerate(content.groups[:MAX_GROUPS]):
        at = f"groups[{g}]"
        text_within(problems, f"{at}.name", group.name, GROUP_NAME)
        _check_discount(problems, f"{at}.discount", group.discount)
        _check_taxes(problems, f"{at}.taxes", group.taxes)
        for i, line in enumerate(group.lines[:MAX_LINES]):
            _check_line(problems, f"{at}.lines[{i}]", line)
    if len(content.shipping) > MAX_SHIPPING_CHARGES:
        problems.add("shipping", f"at most {MAX_SHIPPING_CHARGES} charges")
    for s, charge in enumerate(content.shipping[:MAX_SHIPPING_CHARGES]):
        at = f"shipping[{s}]"
        text_within(problems, f"{at}.description", charge.description, SHIPPING_DESCRIPTION)
        amount_within(problems, f"{at}.amount", charge.amount)
        _check_taxes(problems, f"{at}.taxes", charge.taxes)


def _check_line(problems: Violations, at: str, line: LineInput) -> None:
    quantity_within(problems, f"{at}.quantity", line.quantity)
    text_within(problems, f"{at}.sku", line.sku, SKU)
    text_within(problems, f"{at}.description", line.description, LINE_DESCRIPTION)
    _check_discount(problems, f"{at}.discount", line.discount)
    _check_taxes(problems, f"{at}.taxes", line.taxes)


def _check_discount(problems: Violations, at: str, discount: Discount) -> None:
    if discount.amount:
        amount_within(problems, f"{at}.amount", discount.amount)


def _check_taxes(problems: Violations, at: str, taxes: tuple[TaxRate, ...]) -> None:
    if len(taxes) > MAX_TAXES:
        problems.add(at, f"at most {MAX_TAXES} taxes")
    for i, tax in enumerate(taxes[:MAX_TAXES]):
        text_within(problems, f"{at}[{i}].code", tax.code, TAX_CODE)


def references(content: QuoteContent) -> tuple[set[str], set[str]]:
    """(SKUs, product ids) the content names."""
    skus = {line.sku for _, line in content.lines() if line.sku}
    ids = {line.product_id for _, line in content.lines() if line.product_id and not line.sku}
    return skus, ids


def stored_form(content: QuoteContent, today: date) -> QuoteContent:
    """The checked content as kept: trimmed names, a validity date (ISO), no template."""
    valid_until = (
        date.fromisoformat(content.valid_until) if content.valid_until else today + DEFAULT_VALIDITY
    )
    return replace(
        content,
        customer_id=content.customer_id.strip(),
        salesperson=content.salesperson.strip(),
        valid_until=valid_until.isoformat(),
        template_id="",
    )
