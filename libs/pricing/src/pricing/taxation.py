"""Which taxes a document carries when its author names none, one rule for direct orders and
quotes: each product line takes the taxes the catalog's tax rules give its product's tax category
in the customer's tax zone on the day of the sale; a shipping charge takes those of standard
goods. Taxes a line, its group or a charge names itself win. A customer without a zone is taxed
by no rule; an exempt one by none either, and its reason goes on the document for billing to
print. Plain Python: the caller asks the catalog (`categories_asked`, once per document) and
hands the answer to `with_rule_taxes`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from pricing.document import DocumentGroup, PricedDocument, ShippingCharge, TaxRate

# The tax category shipping is taxed as when a charge names no taxes of its own.
SHIPPING_TAX_CATEGORY = "standard"

# Each tax category's taxes in one zone on one day, as the catalog's rules answer them.
CategoryTaxes = Mapping[str, tuple[TaxRate, ...]]


def taxed_by_rules(tax_zone: str, tax_exemption: str) -> bool:
    """Whether the rules tax a customer's documents: it has a zone and no exemption."""
    return bool(tax_zone) and not tax_exemption


def categories_asked(
    line_categories: Iterable[str], shipping: Sequence[ShippingCharge]
) -> set[str]:
    """The tax categories to ask the rules for: the lines' (those taking the rules' taxes), and
    standard goods' when a shipping charge names no taxes."""
    asked = set(line_categories)
    if any(not charge.taxes for charge in shipping):
        asked.add(SHIPPING_TAX_CATEGORY)
    return asked


def with_rule_taxes(
    document: PricedDocument,
    categories: Mapping[str, str],
    taxes: CategoryTaxes,
    tax_exemption: str = "",
) -> PricedDocument:
    """`document` (not priced yet) with the rules' taxes on each line whose id `categories` maps
    to its product's tax category and on each shipping charge, where neither the line, its group
    nor the charge names taxes; an exempt customer's document carries its reason and takes no
    rule's taxes."""
    zone = {} if tax_exemption else taxes
    groups = tuple(_group(group, categories, zone) for group in document.groups)
    standard = zone.get(SHIPPING_TAX_CATEGORY, ())
    shipping = tuple(
        charge if charge.taxes else replace(charge, taxes=standard) for charge in document.shipping
    )
    return replace(
        document,
        groups=groups,
        shipping=shipping,
        breakdown=None,
        tax_exemption=tax_exemption or document.tax_exemption,
    )


def _group(
    group: DocumentGroup, categories: Mapping[str, str], zone: CategoryTaxes
) -> DocumentGroup:
    if group.taxes:  # entered for every line of the group
        return group
    lines = tuple(
        line
        if line.taxes or line.line_id not in categories
        else replace(line, taxes=zone.get(categories[line.line_id], ()))
        for line in group.lines
    )
    return replace(group, lines=lines)
