"""A directly placed order priced as a quote is: each line at the customer's price (its price list
and quantity break, else the list price) or the price the request names, with its discount and the
taxes the catalog's tax rules give its tax category in the customer's tax zone (none for an exempt
customer, whose reason the document carries); the order's discount over all lines; shipping
charges (taxed at the zone's standard rate unless they name their own taxes). The result is one
pricing.document, priced by the engine. Plain Python."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from pricing.document import (
    Discount,
    DocumentGroup,
    DocumentLine,
    InvalidDocument,
    KitPart,
    PricedDocument,
    PricingPolicy,
    ShippingCharge,
    TaxRate,
    figure_text,
    price_document,
)
from pricing.taxation import with_rule_taxes
from servicekit.errors import FieldViolation, InvalidArgument, Violations

# The one group a direct order's lines are in.
ITEMS = "Items"
# (product id, quantity): a price is resolved per quantity (quantity breaks).
PriceKey = tuple[str, int]
MAX_SHIPPING_CHARGES = 10
MAX_TAXES = 5
MAX_DESCRIPTION = 200
# A figure's text (a price, a rate, a discount, a tax code).
MAX_FIGURE = 40


@dataclass(frozen=True)
class LineTerms:
    """What a request says of one line's price: its own unit price ("": the customer's) and a
    discount (None: none)."""

    unit_price: str = ""
    discount: Discount | None = None


@dataclass(frozen=True)
class ResolvedPrice:
    unit_price: Decimal
    rule: str  # e.g. "price list 'Wholesale', from 10 units"


@dataclass(frozen=True)
class SaleTerms:
    """What the catalog and the customer say an order is priced under: the resolved prices (None:
    no price list prices it, so the list price), the taxes of each tax category in the customer's
    zone, and the customer's exemption."""

    prices: Mapping[PriceKey, ResolvedPrice | None] = field(default_factory=dict)
    taxes: Mapping[str, tuple[TaxRate, ...]] = field(default_factory=dict)
    tax_exemption: str = ""


@dataclass(frozen=True)
class Sold:
    """One line of the request with what the catalog says of its product."""

    line_id: str
    product_id: str
    sku: str
    name: str
    quantity: int
    list_price: Decimal
    tax_category: str
    kind: str
    kit_parts: tuple[KitPart, ...]
    terms: LineTerms


def price_order(
    currency: str,
    sold: Sequence[Sold],
    terms: SaleTerms,
    discount: Discount | None = None,
    shipping: Sequence[ShippingCharge] = (),
    policy: PricingPolicy | None = None,
) -> PricedDocument:
    """The priced document; InvalidArgument naming the request's field (`lines[1].discount`,
    `discount`, `shipping[0].amount`) the engine cannot use."""
    lines = tuple(_line(s, terms) for s in sold)
    group = DocumentGroup(ITEMS, lines, discount)
    untaxed = PricedDocument(currency, (group,), tuple(shipping), policy)
    categories = {s.line_id: s.tax_category for s in sold}
    document = with_rule_taxes(untaxed, categories, terms.taxes, terms.tax_exemption)
    try:
        return price_document(document)
    except InvalidDocument as error:
        at = request_field(error.field)
        raise InvalidArgument(
            f"{at}: {error.description}", (FieldViolation(at, error.description),)
        ) from error


def _line(sold: Sold, terms: SaleTerms) -> DocumentLine:
    if sold.terms.unit_price:
        unit_price, rule = sold.terms.unit_price, "entered"
    else:
        resolved = terms.prices.get((sold.product_id, sold.quantity))
        if resolved is None:
            unit_price, rule = figure_text(sold.list_price), "list price"
        else:
            unit_price, rule = figure_text(resolved.unit_price), resolved.rule
    return DocumentLine(
        line_id=sold.line_id,
        product_id=sold.product_id,
        sku=sold.sku,
        description=sold.name or sold.sku,
        quantity=str(sold.quantity),
        unit_price=unit_price,
        discount=sold.terms.discount,
        kit_parts=sold.kit_parts,
        price_rule=rule,
        kind="kit" if sold.kit_parts else sold.kind,
    )


def price_keys(sold: Sequence[Sold]) -> set[PriceKey]:
    """The prices the catalog is asked for: each line without a price of its own."""
    return {(s.product_id, s.quantity) for s in sold if not s.terms.unit_price}


def request_field(document_field: str) -> str:
    """A document's field as the request names it: the one group's lines are the request's."""
    found = re.fullmatch(r"groups\[0\]\.(lines\[\d+\].*|discount.*)", document_field)
    return found.group(1) if found else document_field


def requantified(document: PricedDocument, quantities: Mapping[str, int]) -> PricedDocument:
    """The document with new quantities for some lines (by line id; 0 drops the line), at the
    same prices, discounts and taxes, priced again (a group left without lines goes); a kit's
    part changes only with its kit."""
    lines = {line.line_id for line in document.lines}
    parts = [line_id for line_id in quantities if line_id not in lines]
    if parts:
        raise InvalidArgument.of(f"lines[{parts[0]}]", "a kit's part: cancel and order again")
    groups = tuple(
        replace(
            group,
            lines=tuple(
                replace(line, quantity=str(quantities.get(line.line_id, line.units)))
                for line in group.lines
                if quantities.get(line.line_id) != 0
            ),
        )
        for group in document.groups
    )
    groups = tuple(group for group in groups if group.lines)  # a group left empty goes
    try:
        return price_document(replace(document, groups=groups, breakdown=None))
    except InvalidDocument as error:
        raise _as_request(error) from error


def _as_request(error: InvalidDocument) -> InvalidArgument:
    at = request_field(error.field)
    return InvalidArgument(f"{at}: {error.description}", (FieldViolation(at, error.description),))


def check_terms(
    line_terms: Sequence[LineTerms],
    discount: Discount | None,
    shipping: Sequence[ShippingCharge],
    problems: Violations,
) -> None:
    """The sizes of what a request says of prices, each fault added to `problems` by the
    request's field; the engine reads the figures themselves."""
    texts = [("discount.percent", discount.percent if discount else "")]
    texts += [("discount.amount", discount.amount if discount else "")]
    for i, terms in enumerate(line_terms):
        texts.append((f"lines[{i}].unit_price", terms.unit_price))
        if terms.discount is not None:
            texts.append((f"lines[{i}].discount.percent", terms.discount.percent))
            texts.append((f"lines[{i}].discount.amount", terms.discount.amount))
    if len(shipping) > MAX_SHIPPING_CHARGES:
        problems.add("shipping", f"at most {MAX_SHIPPING_CHARGES} charges")
    for s, charge in enumerate(shipping[:MAX_SHIPPING_CHARGES]):
        texts.append((f"shipping[{s}].amount", charge.amount))
        if not charge.description.strip() or len(charge.description) > MAX_DESCRIPTION:
            problems.add(f"shipping[{s}].description", f"1-{MAX_DESCRIPTION} characters")
        if len(charge.taxes) > MAX_TAXES:
            problems.add(f"shipping[{s}].taxes", f"at most {MAX_TAXES} taxes")
        for t, tax in enumerate(charge.taxes[:MAX_TAXES]):
            texts += [(f"shipping[{s}].taxes[{t}].code", tax.code)]
            texts += [(f"shipping[{s}].taxes[{t}].rate", tax.rate)]
    for at, text in texts:
        if len(text) > MAX_FIGURE:
            problems.add(at, f"at most {MAX_FIGURE} characters")
