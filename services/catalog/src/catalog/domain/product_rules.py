"""What each field of a product must be. Every check adds to one Violations, so a client hears of
every field at fault at once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from catalog.domain.pictures import MAX_PICTURES, check_alt_text, check_link
from catalog.domain.products import (
    KINDS,
    KIT_PRICING,
    TAX_CATEGORIES,
    NewProduct,
    NewSupplier,
    ProductSupplier,
    Related,
)
from pricing.money import InvalidMoney, Money, check_currency, parse_input_amount
from servicekit.bounds import MAX_QUANTITY
from servicekit.errors import Violations

SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_SUPPLIERS = 50
MAX_COMPONENTS = 100
MAX_ATTRIBUTES = 50
# Text bounds: the columns' sizes (name, unit, supplier codes) or, for text columns, what a
# description reasonably needs.
MAX_NAME = 200
MAX_DESCRIPTION = 5000
MAX_UNIT = 16
MAX_SUPPLIER_CODE = 64


@dataclass(frozen=True)
class CheckedProduct:
    """The fields of a new product that checking turned into values."""

    list_price: Money
    kind: str
    unit_of_measure: str
    cost: Decimal | None
    tax_category: str
    suppliers: tuple[ProductSupplier, ...]


def check_new_product(request: NewProduct, related: Related) -> CheckedProduct:
    """Every field at once; raises InvalidArgument naming each one at fault."""
    problems = Violations()
    if not SKU_PATTERN.match(request.sku):
        problems.add(
            "sku", "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    check_text(request.name, request.description, problems)
    price = list_price(request.price_amount, request.price_currency, problems)
    check_attributes(request.attributes, "attributes", problems)
    kind = one_of(request.kind or "stocked", KINDS, "kind", problems)
    unit = request.unit_of_measure.strip() or "pc"
    if len(unit) > MAX_UNIT:
        problems.add("unit_of_measure", f"at most {MAX_UNIT} characters")
    cost = amount(request.cost, "cost", problems) if request.cost else None
    tax = one_of(request.tax_category or "standard", TAX_CATEGORIES, "tax_category", problems)
    _check_variant(request, related, problems)
    _check_kit(request, related, problems)
    _check_links(request.pictures, problems)
    suppliers = check_suppliers(request.suppliers, problems)
    problems.raise_if_any()
    return CheckedProduct(price, kind, unit, cost, tax, suppliers)


def check_text(name: str, description: str, problems: Violations) -> None:
    if not name.strip() or len(name) > MAX_NAME:
        problems.add("name", f"1-{MAX_NAME} characters")
    if len(description) > MAX_DESCRIPTION:
        problems.add("description", f"at most {MAX_DESCRIPTION} characters")


def one_of(value: str, allowed: Sequence[str], at: str, problems: Violations) -> str:
    if value not in allowed:
        problems.add(at, f"one of {', '.join(allowed)}")
    return value


def amount(text: str, at: str, problems: Violations) -> Decimal:
    """A non-negative amount the money columns can keep; 0 (with a violation added) when it is
    not one."""
    try:
        value = parse_input_amount(text)
    except InvalidMoney as error:
        problems.add(at, str(error))
        return Decimal(0)
    if value < 0:
        problems.add(at, "must not be negative")
    return value


def list_price(amount_text: str, currency: str, problems: Violations) -> Money:
    """The list price asked for (an unusable one adds a violation)."""
    value = amount(amount_text, "list_price.amount", problems)
    try:
        return Money(value, check_currency(currency))
    except InvalidMoney as error:
        problems.add("list_price.currency", str(error))
        return Money(value, currency)


def check_attributes(attributes: Mapping[str, str], at: str, problems: Violations) -> None:
    if len(attributes) > MAX_ATTRIBUTES:
        problems.add(at, f"at most {MAX_ATTRIBUTES} attributes")
    for key, value in attributes.items():
        if not key.strip() or len(key) > 50:
            problems.add(f"{at}.{key}", "names are 1-50 characters")
        elif len(value) > 200:
            problems.add(f"{at}.{key}", "values are at most 200 characters")


def _check_variant(request: NewProduct, related: Related, problems: Violations) -> None:
    """A variant names an existing, non-variant parent and options no sibling has."""
    if not request.parent_id:
        if request.variant_options:
            problems.add("variant_options", "only for a variant (one with a parent_id)")
        return
    parent = related.parent
    if parent is None:
        problems.add("parent_id", "unknown product")
    elif parent.parent_id:
        problems.add("parent_id", f"{parent.sku} is itself a variant")
    if not request.variant_options:
        problems.add("variant_options", "required for a variant")
        return
    check_attributes(request.variant_options, "variant_options", problems)
    for sibling in related.siblings:
        if dict(sibling.variant_options) == dict(request.variant_options):
            problems.add("variant_options", f"the same as variant {sibling.sku}")


def _check_kit(request: NewProduct, related: Related, problems: Violations) -> None:
    """A kit, and only a kit, is made of existing products that are not kits themselves."""
    if request.kind != "kit":
        if request.components:
            problems.add("components", "only for a kit")
        if request.kit_pricing:
            problems.add("kit_pricing", "only for a kit")
        return
    if request.kit_pricing:
        one_of(request.kit_pricing, KIT_PRICING, "kit_pricing", problems)
    if not request.components:
        problems.add("components", "a kit needs at least one")
    elif len(request.components) > MAX_COMPONENTS:
        problems.add("components", f"at most {MAX_COMPONENTS}")
    seen: set[str] = set()
    for i, (product_id, quantity) in enumerate(request.components):
        component = related.components.get(product_id)
        if component is None:
            problems.add(f"components[{i}].product_id", "unknown product")
        elif component.kind == "kit":
            problems.add(f"components[{i}].product_id", f"{component.sku} is a kit")
        elif product_id in seen:
            problems.add(f"components[{i}].product_id", "listed twice")
        seen.add(product_id)
        if not 1 <= quantity <= MAX_QUANTITY:
            problems.add(f"components[{i}].quantity", f"between 1 and {MAX_QUANTITY:,}")


def _check_links(pictures: Sequence[tuple[str, str]], problems: Violations) -> None:
    for i, (url, alt_text) in enumerate(pictures):
        check_link(url, f"pictures[{i}].url", problems)
        check_alt_text(alt_text, f"pictures[{i}].alt_text", problems)
    if len(pictures) > MAX_PICTURES:
        problems.add("pictures", f"at most {MAX_PICTURES}")


def check_suppliers(
    requested: Sequence[NewSupplier], problems: Violations
) -> tuple[ProductSupplier, ...]:
    if len(requested) > MAX_SUPPLIERS:
        problems.add("suppliers", f"at most {MAX_SUPPLIERS}")
    found: list[ProductSupplier] = []
    for i, s in enumerate(requested):
        at = f"suppliers[{i}]"
        if not s.supplier_id.strip() or len(s.supplier_id) > MAX_SUPPLIER_CODE:
            problems.add(f"{at}.supplier_id", f"1-{MAX_SUPPLIER_CODE} characters")
        elif s.supplier_id in {f.supplier_id for f in found}:
            problems.add(f"{at}.supplier_id", "listed twice")
        if len(s.supplier_sku) > MAX_SUPPLIER_CODE:
            problems.add(f"{at}.supplier_sku", f"at most {MAX_SUPPLIER_CODE} characters")
        cost = amount(s.cost, f"{at}.cost", problems)
        try:
            check_currency(s.currency)
        except InvalidMoney as error:
            problems.add(f"{at}.currency", str(error))
        if not 1 <= s.minimum_order_quantity <= 1_000_000_000:
            problems.add(f"{at}.minimum_order_quantity", "between 1 and 1,000,000,000")
        if not 0 <= s.lead_time_days <= 3650:
            problems.add(f"{at}.lead_time_days", "between 0 and 3650")
        found.append(
            ProductSupplier(
                s.supplier_id,
                s.supplier_sku,
                cost,
                s.currency,
                s.minimum_order_quantity,
                s.lead_time_days,
            )
        )
    return tuple(found)
