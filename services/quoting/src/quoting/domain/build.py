"""How checked content becomes a priced document, in steps so the catalog is asked once for each
thing: `price_requests` names the prices the content needs once the catalog has said what its
products are, and `tax_categories` the tax categories whose rules tax it (a customer in a tax
zone); `build` then prices the content from those answers, or names every field at fault.
Plain Python."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from pricing.document import (
    DocumentGroup,
    DocumentLine,
    KitPart,
    PricedDocument,
    decimal_at,
    figure_text,
    price_document,
)
from pricing.taxation import CategoryTaxes, categories_asked, with_rule_taxes
from quoting.domain.catalog import CatalogItem, PriceKey, ResolvedPrice
from quoting.domain.content import LineInput, QuoteContent
from quoting.domain.limits import MAX_QUANTITY, check_totals
from servicekit.errors import Violations

Prices = Mapping[PriceKey, ResolvedPrice | None]


def _item(line: LineInput, catalog: Mapping[str, CatalogItem]) -> CatalogItem | None:
    return catalog.get(line.sku) if line.sku else catalog.get(line.product_id)


def price_requests(content: QuoteContent, catalog: Mapping[str, CatalogItem]) -> set[PriceKey]:
    """The prices `build` needs: each product line's, or each component's of a kit it explodes.

    `catalog` maps SKUs and product ids to items."""
    wanted: set[PriceKey] = set()
    for _, line in content.lines():
        item = _item(line, catalog)
        if item is None or line.quantity <= 0:
            continue
        if item.explodes:
            wanted |= {
                (c.product_id, c.quantity * line.quantity)
                for c in item.components
                if c.quantity * line.quantity <= MAX_QUANTITY
            }
        elif line.unit_price is None:
            wanted.add((item.product_id, line.quantity))
    return wanted


def components_unknown(content: QuoteContent, catalog: Mapping[str, CatalogItem]) -> set[str]:
    """The ids of the components of kits the content explodes that `catalog` does not hold yet
    (their own tax categories tax their lines)."""
    items = (_item(line, catalog) for _, line in content.lines())
    return {
        c.product_id
        for item in items
        if item is not None and item.explodes
        for c in item.components
        if c.product_id not in catalog
    }


def tax_categories(content: QuoteContent, catalog: Mapping[str, CatalogItem]) -> set[str]:
    """The tax categories whose rules `build` reads: each catalog line's (each component's, for
    a kit it explodes) where neither the line nor its group names taxes, and standard goods'
    for a shipping charge naming none."""
    wanted: set[str] = set()
    for group in content.groups:
        for line in group.lines:
            item = _item(line, catalog)
            if group.taxes or line.taxes or item is None:
                continue
            if item.explodes:
                parts = (catalog.get(c.product_id) for c in item.components)
                wanted |= {part.tax_category for part in parts if part is not None}
            else:
                wanted.add(item.tax_category)
    return categories_asked(wanted, content.shipping)


def build(
    content: QuoteContent,
    catalog: Mapping[str, CatalogItem],
    prices: Prices,
    taxes: CategoryTaxes | None = None,
    tax_exemption: str = "",
) -> PricedDocument:
    """The priced document of checked content, or InvalidArgument naming every line the
    catalog cannot price (or the figure too large to keep). Catalog lines and shipping charges
    that name no taxes (nor their group) take the `taxes` of their tax category in the
    customer's zone (pricing.taxation); an exempt customer's quote carries its reason."""
    problems = Violations()
    groups = []
    for g, group in enumerate(content.groups):
        lines: list[DocumentLine] = []
        for i, line in enumerate(group.lines):
            at = f"groups[{g}].lines[{i}]"
            lines += _document_lines(line, at, content.currency, catalog, prices, problems)
        groups.append(DocumentGroup(group.name.strip(), tuple(lines), group.discount, group.taxes))
    problems.raise_if_any()
    untaxed = PricedDocument(content.currency, tuple(groups), content.shipping, content.policy)
    categories = {
        line.line_id: catalog[line.product_id].tax_category
        for line in untaxed.lines
        if line.product_id in catalog
    }
    document = price_document(with_rule_taxes(untaxed, categories, taxes or {}, tax_exemption))
    check_totals(document.figures)
    return document


def _document_lines(
    line: LineInput,
    at: str,
    currency: str,
    catalog: Mapping[str, CatalogItem],
    prices: Prices,
    problems: Violations,
) -> list[DocumentLine]:
    if line.is_free_text:
        return [_free_text(line, at)]
    item = _item(line, catalog)
    ref = "sku" if line.sku else "product_id"
    if item is None:
        problems.add(f"{at}.{ref}", f"no product {line.sku or line.product_id} in the catalog")
        return []
    if not item.active:
        problems.add(f"{at}.{ref}", f"{item.sku} is discontinued")
        return []
    if item.explodes:
        return _components(line, item, f"{at}.{ref}", at, currency, prices, problems)
    return _product_line(line, item, at, currency, prices, problems)


def _product_line(
    line: LineInput,
    item: CatalogItem,
    at: str,
    currency: str,
    prices: Prices,
    problems: Violations,
) -> list[DocumentLine]:
    """A product's line (a kit's with its parts), at the entered price or the catalog's."""
    if line.unit_price is not None:
        unit_price = decimal_at(f"{at}.unit_price.amount", line.unit_price.amount)
        rule = "entered"
    else:
        resolved = prices.get((item.product_id, line.quantity))
        if resolved is None:
            ref = "sku" if line.sku else "product_id"
            problems.add(f"{at}.{ref}", f"{item.sku} has no price in {currency}")
            return []
        unit_price, rule = resolved.unit_price, resolved.rule
    parts = tuple(KitPart(c.product_id, c.sku, c.quantity) for c in item.components)
    return [
        DocumentLine(
            line_id=_new_line_id(),
            product_id=item.product_id,
            sku=item.sku,
            description=line.description.strip() or item.name,
            quantity=str(line.quantity),
            unit_price=figure_text(unit_price),
            discount=line.discount,
            taxes=line.taxes,
            kit_parts=parts,
            price_rule=rule,
            kind=item.kind,
        )
    ]


def _free_text(line: LineInput, at: str) -> DocumentLine:
    entered = line.unit_price.amount if line.unit_price else ""  # `check` requires one
    return DocumentLine(
        line_id=_new_line_id(),
        product_id="",
        sku="",
        description=line.description.strip(),
        quantity=str(line.quantity),
        unit_price=figure_text(decimal_at(f"{at}.unit_price.amount", entered)),
        discount=line.discount,
        taxes=line.taxes,
        price_rule="entered",
    )


def _components(
    line: LineInput,
    kit: CatalogItem,
    ref: str,
    at: str,
    currency: str,
    prices: Prices,
    problems: Violations,
) -> list[DocumentLine]:
    """A line per component of a kit priced by its components."""
    parts = []
    for c in kit.components:
        quantity = c.quantity * line.quantity
        if quantity > MAX_QUANTITY:
            problems.add(f"{at}.quantity", f"{c.sku} would be over {MAX_QUANTITY:,} units")
            continue
        price = prices.get((c.product_id, quantity))
        if price is None:
            problems.add(ref, f"kit component {c.sku} has no price in {currency}")
            continue
        parts.append(
            DocumentLine(
                line_id=_new_line_id(),
                product_id=c.product_id,
                sku=c.sku,
                description=f"{kit.name}: {c.sku}",
                quantity=str(quantity),
                unit_price=figure_text(price.unit_price),
                discount=line.discount,
                taxes=line.taxes,
                price_rule=price.rule,
                kind="stocked",
            )
        )
    return parts


def _new_line_id() -> str:
    return str(uuid.uuid4())
