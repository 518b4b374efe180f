"""A purchase order's content as entered: trimmed and completed with the supplier's defaults,
checked field by field against what its columns keep, and priced by the shared engine with the
prices contracts agree. Plain Python."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

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
from pricing.money import InvalidMoney, Money, check_currency
from procurement.domain import limits
from procurement.domain.contracts import AgreedPrice
from procurement.domain.limits import EnteredMoney
from procurement.domain.suppliers import Supplier
from servicekit.errors import Violations

MAX_LINES = 1000
DEFAULT_LEAD_TIME_DAYS = 14
REPLENISHMENT = "Replenishment"


@dataclass(frozen=True)
class LineInput:
    """A line as entered: `unit_price` may be left out where a contract prices the product."""

    product_id: str
    sku: str = ""
    description: str = ""
    quantity: int = 0
    unit_price: EnteredMoney | None = None
    discount: Discount = field(default_factory=Discount)
    taxes: tuple[TaxRate, ...] = ()


@dataclass(frozen=True)
class GroupInput:
    name: str = ""
    lines: tuple[LineInput, ...] = ()
    discount: Discount = field(default_factory=Discount)
    taxes: tuple[TaxRate, ...] = ()


@dataclass(frozen=True)
class OrderContent:
    """What a purchase order says, as entered; empty fields take defaults (`with_defaults`)."""

    supplier_id: str
    warehouse_id: str
    currency: str = ""
    expected_on: str = ""
    payment_terms: str = ""
    notes: str = ""
    groups: tuple[GroupInput, ...] = ()
    shipping: tuple[ShippingCharge, ...] = ()
    policy: PricingPolicy = field(default_factory=PricingPolicy)


def amount_text(amount: Decimal, currency: str) -> str:
    """A unit price as stored for a line: no trailing zeros beyond the currency's minor unit."""
    return str(Money(amount, currency).trimmed().amount)


def _lines(content: OrderContent) -> Iterator[tuple[str, LineInput]]:
    for g, group in enumerate(content.groups):
        for i, line in enumerate(group.lines):
            yield f"groups[{g}].lines[{i}]", line


def with_defaults(content: OrderContent, supplier: Supplier | None, today: date) -> OrderContent:
    """The content as stored: trimmed, with the supplier's currency and terms and an expected
    date when it names none."""
    currency, terms = content.currency, content.payment_terms.strip()
    if supplier is not None:
        currency = currency or supplier.currency
        terms = terms or supplier.payment_terms
    expected_on = content.expected_on
    if not expected_on:
        expected_on = (today + timedelta(days=DEFAULT_LEAD_TIME_DAYS)).isoformat()
    groups = tuple(
        replace(
            group,
            name=group.name.strip() or "Items",
            lines=tuple(
                replace(
                    line,
                    product_id=line.product_id.strip(),
                    sku=line.sku.strip(),
                    description=line.description.strip(),
                )
                for line in group.lines
            ),
        )
        for group in content.groups
    )
    return replace(
        content,
        supplier_id=content.supplier_id.strip(),
        warehouse_id=content.warehouse_id.strip(),
        currency=currency,
        expected_on=expected_on,
        payment_terms=terms,
        notes=content.notes.strip(),
        groups=groups,
    )


def check(content: OrderContent, supplier: Supplier | None, today: date) -> None:
    """Faults visible in the content itself, all at once."""
    problems = Violations()
    if not content.supplier_id:
        problems.add("supplier_id", "required")
    elif supplier is None:
        problems.add("supplier_id", f"no supplier {content.supplier_id}")
    limits.text(content.warehouse_id, "warehouse_id", limits.MAX_CODE, problems, required=True)
    try:
        if content.currency or supplier is not None:  # else the supplier_id is at fault
            check_currency(content.currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    try:
        if date.fromisoformat(content.expected_on) < today:
            problems.add("expected_on", "must be today or later")
    except ValueError:
        problems.add("expected_on", "an ISO date, YYYY-MM-DD")
    limits.text(content.payment_terms, "payment_terms", limits.MAX_TERMS, problems)
    limits.text(content.notes, "notes", limits.MAX_NOTES, problems)
    count = sum(len(group.lines) for group in content.groups)
    if not 1 <= count <= MAX_LINES:
        problems.add("groups", f"between 1 and {MAX_LINES} lines in all, not {count}")
    for g, group in enumerate(content.groups):
        limits.text(group.name, f"groups[{g}].name", limits.MAX_NAME, problems)
        limits.discount(group.discount, f"groups[{g}].discount", problems)
    for s, charge in enumerate(content.shipping):
        limits.amount(charge.amount, f"shipping[{s}].amount", problems)
    seen: set[str] = set()
    for at, line in list(_lines(content))[:MAX_LINES]:
        if line.product_id and line.product_id in seen:
            problems.add(f"{at}.product_id", f"{line.product_id} has a line already")
        seen.add(line.product_id)
        _check_line(at, line, content.currency, problems)
    problems.raise_if_any()


def _check_line(at: str, line: LineInput, currency: str, problems: Violations) -> None:
    limits.text(line.product_id, f"{at}.product_id", limits.MAX_CODE, problems, required=True)
    limits.text(line.sku, f"{at}.sku", limits.MAX_CODE, problems)
    limits.text(line.description, f"{at}.description", limits.MAX_DESCRIPTION, problems)
    limits.quantity(line.quantity, f"{at}.quantity", problems)
    limits.discount(line.discount, f"{at}.discount", problems)
    if line.unit_price is not None:
        limits.amount(line.unit_price.amount, f"{at}.unit_price.amount", problems)
        if line.unit_price.currency != currency:
            problems.add(f"{at}.unit_price.currency", f"must be the order's currency, {currency}")


def build(content: OrderContent, agreed: Mapping[str, AgreedPrice]) -> PricedDocument:
    """The priced document. A product under contract (`agreed`, by product id) takes the
    contract's price; any other line needs an entered unit price."""
    problems = Violations()
    groups = []
    for g, group in enumerate(content.groups):
        lines = []
        for i, line in enumerate(group.lines):
            contract = agreed.get(line.product_id)
            if contract is not None:
                unit_price = amount_text(contract.unit_price, content.currency)
                rule = contract.rule
            elif line.unit_price is not None:
                unit_price, rule = line.unit_price.amount, "entered"
            else:
                problems.add(
                    f"groups[{g}].lines[{i}].unit_price",
                    "required: no contract with the supplier prices this product",
                )
                continue
            lines.append(_document_line(line, unit_price, rule))
        groups.append(DocumentGroup(group.name, tuple(lines), group.discount, group.taxes))
    problems.raise_if_any()
    document = price_document(
        PricedDocument(content.currency, tuple(groups), content.shipping, content.policy)
    )
    limits.storable_total(document, "groups")
    return document


def _document_line(line: LineInput, unit_price: str, rule: str) -> DocumentLine:
    return DocumentLine(
        line_id=str(uuid.uuid4()),
        product_id=line.product_id,
        sku=line.sku,
        description=line.description or line.sku or line.product_id,
        quantity=str(line.quantity),
        unit_price=unit_price,
        discount=line.discount,
        taxes=line.taxes,
        price_rule=rule,
        kind="stocked",
    )


def replenishment_line(
    product_id: str, sku: str, quantity: int, price: AgreedPrice, currency: str
) -> DocumentLine:
    return DocumentLine(
        line_id=str(uuid.uuid4()),
        product_id=product_id,
        sku=sku,
        description=sku or product_id,
        quantity=str(quantity),
        unit_price=amount_text(price.unit_price, currency),
        price_rule=price.rule,
        kind="stocked",
    )


def replenishment_document(
    currency: str, product_id: str, sku: str, quantity: int, price: AgreedPrice
) -> PricedDocument:
    """A reorder's document: one group with the product's line."""
    line = replenishment_line(product_id, sku, quantity, price, currency)
    return price_document(PricedDocument(currency, (DocumentGroup(REPLENISHMENT, (line,)),)))
