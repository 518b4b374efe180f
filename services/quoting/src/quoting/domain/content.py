"""What a quote says, and how it becomes a priced document. Plain Python.

Building happens in two steps so the catalog is asked once: `references` lists the products the
content names and `price_requests` the prices it needs; `build` then turns content plus the
catalog's answers into a priced document, or names every field at fault.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from pricing.documents import InvalidDocument, priced
from pricing.money import InvalidMoney, check_currency
from quoting.domain.limits import MAX_LINES, amount_within, check_sizes, check_totals
from servicekit.bounds import MAX_QUANTITY
from servicekit.errors import InvalidArgument, Violations

DEFAULT_VALIDITY = timedelta(days=30)


@dataclass(frozen=True)
class KitComponent:
    product_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class CatalogItem:
    """What the catalog says about a product when the quote is priced."""

    product_id: str
    sku: str
    name: str
    kind: str  # "stocked", "service" or "kit"
    active: bool
    components: tuple[KitComponent, ...] = ()
    kit_pricing: str = "kit"  # "kit": one line; "components": a line per component

    @property
    def explodes(self) -> bool:
        return self.kind == "kit" and self.kit_pricing == "components"


@dataclass(frozen=True)
class ResolvedPrice:
    unit_price: Decimal
    rule: str


# A price is resolved for a product at a quantity (quantity breaks).
PriceKey = tuple[str, int]


def _lines(content: pb.QuoteContent) -> Iterator[tuple[str, pb.LineInput]]:
    for g, group in enumerate(content.groups):
        for i, line in enumerate(group.lines):
            yield f"groups[{g}].lines[{i}]", line


def check(content: pb.QuoteContent, today: date) -> None:
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
    check_sizes(content, problems)
    for g, group in enumerate(content.groups):
        if not group.name.strip():
            problems.add(f"groups[{g}].name", "required")
    for at, line in list(_lines(content))[:MAX_LINES]:
        if not (line.sku or line.product_id):
            if not line.description.strip():
                problems.add(f"{at}.description", "required for a line without a product")
            if not line.HasField("unit_price"):
                problems.add(f"{at}.unit_price", "required for a line without a product")
        if line.HasField("unit_price"):
            _check_price(line.unit_price.amount, line.unit_price.currency, content, at, problems)
    problems.raise_if_any()


def _check_price(
    amount: str, currency: str, content: pb.QuoteContent, at: str, problems: Violations
) -> None:
    value = amount_within(problems, f"{at}.unit_price.amount", amount)
    if value is not None and value < 0:
        problems.add(f"{at}.unit_price.amount", "must not be negative")
    if currency != content.currency:
        problems.add(
            f"{at}.unit_price.currency", f"must be the quote's currency, {content.currency}"
        )


def references(content: pb.QuoteContent) -> tuple[set[str], set[str]]:
    """(SKUs, product ids) the content names."""
    skus = {line.sku for _, line in _lines(content) if line.sku}
    ids = {line.product_id for _, line in _lines(content) if line.product_id and not line.sku}
    return skus, ids


def _item(line: pb.LineInput, catalog: Mapping[str, CatalogItem]) -> CatalogItem | None:
    return catalog.get(line.sku) if line.sku else catalog.get(line.product_id)


def price_requests(content: pb.QuoteContent, catalog: Mapping[str, CatalogItem]) -> set[PriceKey]:
    """The prices `build` needs: each product line's, or each component's of a kit it explodes.

    `catalog` maps SKUs and product ids to items."""
    wanted: set[PriceKey] = set()
    for _, line in _lines(content):
        item = _item(line, catalog)
        if item is None or line.quantity <= 0:
            continue
        if item.explodes:
            wanted |= {
                (c.product_id, c.quantity * line.quantity)
                for c in item.components
                if c.quantity * line.quantity <= MAX_QUANTITY
            }
        elif not line.HasField("unit_price"):
            wanted.add((item.product_id, line.quantity))
    return wanted


def build(
    content: pb.QuoteContent,
    catalog: Mapping[str, CatalogItem],
    prices: Mapping[PriceKey, ResolvedPrice | None],
) -> pricing.PricedDocument:
    """The priced document, or InvalidArgument naming every line the catalog cannot price."""
    problems = Violations()
    groups = []
    for g, group in enumerate(content.groups):
        lines: list[pricing.DocumentLine] = []
        for i, line in enumerate(group.lines):
            at = f"groups[{g}].lines[{i}]"
            lines += _document_lines(line, at, content.currency, catalog, prices, problems)
        groups.append(
            pricing.DocumentGroup(
                name=group.name.strip(), lines=lines, discount=group.discount, taxes=group.taxes
            )
        )
    problems.raise_if_any()
    document = pricing.PricedDocument(
        currency=content.currency, groups=groups, shipping=content.shipping, policy=content.policy
    )
    try:
        result = priced(document)
    except InvalidDocument as error:
        raise InvalidArgument.of(error.field, error.message) from error
    check_totals(result)
    return result


def _document_lines(
    line: pb.LineInput,
    at: str,
    currency: str,
    catalog: Mapping[str, CatalogItem],
    prices: Mapping[PriceKey, ResolvedPrice | None],
    problems: Violations,
) -> list[pricing.DocumentLine]:
    if not (line.sku or line.product_id):
        return [
            pricing.DocumentLine(
                line_id=str(uuid.uuid4()),
                description=line.description.strip(),
                quantity=str(line.quantity),
                unit_price=line.unit_price.amount,
                price_rule="entered",
                discount=line.discount,
                taxes=line.taxes,
            )
        ]
    item = _item(line, catalog)
    ref = "sku" if line.sku else "product_id"
    if item is None:
        problems.add(f"{at}.{ref}", f"no product {line.sku or line.product_id} in the catalog")
        return []
    if not item.active:
        problems.add(f"{at}.{ref}", f"{item.sku} is discontinued")
        return []
    if item.explodes:
        parts = []
        for c in item.components:
            if c.quantity * line.quantity > MAX_QUANTITY:
                problems.add(f"{at}.quantity", f"{c.sku} would be over {MAX_QUANTITY:,} units")
                continue
            price = prices.get((c.product_id, c.quantity * line.quantity))
            if price is None:
                problems.add(f"{at}.{ref}", f"kit component {c.sku} has no price in {currency}")
                continue
            parts.append(
                pricing.DocumentLine(
                    line_id=str(uuid.uuid4()),
                    product_id=c.product_id,
                    sku=c.sku,
                    description=f"{item.name}: {c.sku}",
                    quantity=str(c.quantity * line.quantity),
                    unit_price=str(price.unit_price),
                    price_rule=price.rule,
                    kind="stocked",
                    discount=line.discount,
                    taxes=line.taxes,
                )
            )
        return parts
    if line.HasField("unit_price"):
        unit_price, rule = line.unit_price.amount, "entered"
    else:
        resolved = prices.get((item.product_id, line.quantity))
        if resolved is None:
            problems.add(f"{at}.{ref}", f"{item.sku} has no price in {currency}")
            return []
        unit_price, rule = str(resolved.unit_price), resolved.rule
    return [
        pricing.DocumentLine(
            line_id=str(uuid.uuid4()),
            product_id=item.product_id,
            sku=item.sku,
            description=line.description.strip() or item.name,
            quantity=str(line.quantity),
            unit_price=unit_price,
            price_rule=rule,
            kind=item.kind,
            kit_parts=[
                pricing.KitPart(product_id=c.product_id, sku=c.sku, quantity=c.quantity)
                for c in item.components
            ],
            discount=line.discount,
            taxes=line.taxes,
        )
    ]


def with_defaults(content: pb.QuoteContent, today: date) -> pb.QuoteContent:
    """The content as stored: trimmed names and a validity date."""
    result = pb.QuoteContent()
    result.CopyFrom(content)
    result.customer_id = content.customer_id.strip()
    result.salesperson = content.salesperson.strip()
    if not result.valid_until:
        result.valid_until = (today + DEFAULT_VALIDITY).isoformat()
    result.template_id = ""
    return result


def from_first_version(request: pb.CreateQuoteRequest) -> pb.QuoteContent:
    """The first API's flat free-text lines as one group."""
    return pb.QuoteContent(
        customer_id=request.customer_id,
        salesperson=request.salesperson,
        currency=request.currency,
        groups=[
            pb.GroupInput(
                name="Items",
                lines=[
                    pb.LineInput(
                        description=x.description, quantity=x.quantity, unit_price=x.unit_price
                    )
                    for x in request.lines
                ],
            )
        ]
        if request.lines
        else [],
    )
