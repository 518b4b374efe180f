"""Products: what the catalog owns. Plain Python: validation and the events a change causes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import NewType

from catalog.domain.pictures import (
    MAX_PICTURES,
    Picture,
    PictureContent,
    check_alt_text,
    check_link,
    new_picture,
)
from oms.events.v1 import catalog_pb2 as events
from pricing.money import InvalidMoney, Money, check_currency, parse_input_amount
from pricing.wire import money_to_proto
from servicekit.bounds import MAX_QUANTITY
from servicekit.errors import FailedPrecondition, InvalidArgument, Violations

ProductId = NewType("ProductId", str)

SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
KINDS = ("stocked", "service", "kit")
TAX_CATEGORIES = ("standard", "reduced", "exempt")
KIT_PRICING = ("components", "kit")
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
class ProductSupplier:
    supplier_id: str
    supplier_sku: str
    cost: Decimal
    currency: str
    minimum_order_quantity: int
    lead_time_days: int


@dataclass(frozen=True)
class KitComponent:
    product_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class Product:
    id: ProductId
    sku: str
    name: str
    description: str
    list_price: Money
    active: bool
    created_at: datetime
    created_by: str
    category_id: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    kind: str = "stocked"
    unit_of_measure: str = "pc"
    # per unit, in the list price's currency; None when unknown
    cost: Decimal | None = None
    tax_category: str = "standard"
    parent_id: str | None = None
    variant_options: Mapping[str, str] = field(default_factory=dict)
    pictures: tuple[Picture, ...] = ()
    suppliers: tuple[ProductSupplier, ...] = ()
    components: tuple[KitComponent, ...] = ()
    # "components" or "kit" for a kit; "" otherwise
    kit_pricing: str = ""


@dataclass(frozen=True)
class NewSupplier:
    """A product supplier as a client sends it, before validation."""

    supplier_id: str
    supplier_sku: str = ""
    cost: str = ""
    currency: str = ""
    minimum_order_quantity: int = 1
    lead_time_days: int = 0


@dataclass(frozen=True)
class NewProduct:
    """A product as a client asks for it, before validation. Empty strings mean "not given"."""

    sku: str
    name: str
    description: str
    price_amount: str
    price_currency: str
    category_id: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    kind: str = ""
    unit_of_measure: str = ""
    cost: str = ""
    tax_category: str = ""
    parent_id: str = ""
    variant_options: Mapping[str, str] = field(default_factory=dict)
    # linked pictures: (url, alt text)
    pictures: Sequence[tuple[str, str]] = ()
    suppliers: Sequence[NewSupplier] = ()
    # (product id, quantity)
    components: Sequence[tuple[str, int]] = ()
    kit_pricing: str = ""


@dataclass(frozen=True)
class Related:
    """The existing products a new one refers to, as the catalog found them."""

    parent: Product | None = None
    # the parent's variants
    siblings: Sequence[Product] = ()
    # component products by id
    components: Mapping[str, Product] = field(default_factory=dict)


def create_product(
    request: NewProduct, now: datetime, created_by: str, related: Related | None = None
) -> tuple[Product, events.ProductCreated]:
    """Validates every field at once; returns the product and the event announcing it."""
    related = related or Related()
    problems = Violations()
    if not SKU_PATTERN.match(request.sku):
        problems.add(
            "sku", "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    _check_text(request.name, request.description, problems)
    price = _list_price(request.price_amount, request.price_currency, problems)
    check_attributes(request.attributes, "attributes", problems)
    kind = _one_of(request.kind or "stocked", KINDS, "kind", problems)
    unit = request.unit_of_measure.strip() or "pc"
    if len(unit) > MAX_UNIT:
        problems.add("unit_of_measure", f"at most {MAX_UNIT} characters")
    cost = _amount(request.cost, "cost", problems) if request.cost else None
    tax = _one_of(request.tax_category or "standard", TAX_CATEGORIES, "tax_category", problems)
    _check_variant(request, related, problems)
    _check_kit(request, related, problems)
    _check_links(request.pictures, problems)
    suppliers = _suppliers(request.suppliers, problems)
    problems.raise_if_any()
    product = Product(
        id=ProductId(str(uuid.uuid4())),
        sku=request.sku,
        name=request.name.strip(),
        description=request.description,
        list_price=price,
        active=True,
        created_at=now,
        created_by=created_by,
        category_id=request.category_id or None,
        attributes=dict(request.attributes),
        kind=kind,
        unit_of_measure=unit,
        cost=cost,
        tax_category=tax,
        parent_id=request.parent_id or None,
        variant_options=dict(request.variant_options),
        pictures=tuple(
            Picture(str(uuid.uuid4()), url, alt, position, stored=False)
            for position, (url, alt) in enumerate(request.pictures)
        ),
        suppliers=suppliers,
        components=tuple(
            KitComponent(i, related.components[i].sku, quantity)
            for i, quantity in request.components
        ),
        kit_pricing=(request.kit_pricing or "kit") if kind == "kit" else "",
    )
    event = events.ProductCreated(
        product_id=product.id, sku=product.sku, name=product.name, list_price=money_to_proto(price)
    )
    return product, event


def _check_text(name: str, description: str, problems: Violations) -> None:
    if not name.strip() or len(name) > MAX_NAME:
        problems.add("name", f"1-{MAX_NAME} characters")
    if len(description) > MAX_DESCRIPTION:
        problems.add("description", f"at most {MAX_DESCRIPTION} characters")


def _one_of(value: str, allowed: Sequence[str], at: str, problems: Violations) -> str:
    if value not in allowed:
        problems.add(at, f"one of {', '.join(allowed)}")
    return value


def _amount(text: str, at: str, problems: Violations) -> Decimal:
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


def _list_price(amount: str, currency: str, problems: Violations) -> Money:
    """The list price asked for (an unusable one adds a violation)."""
    value = _amount(amount, "list_price.amount", problems)
    try:
        return Money(value, check_currency(currency))
    except InvalidMoney as error:
        problems.add("list_price.currency", str(error))
        return Money(value, currency)


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
        _one_of(request.kit_pricing, KIT_PRICING, "kit_pricing", problems)
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


def _suppliers(
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
        cost = _amount(s.cost, f"{at}.cost", problems)
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


def set_suppliers(product: Product, requested: Sequence[NewSupplier]) -> Product:
    """The product with these suppliers instead of its old ones."""
    problems = Violations()
    suppliers = _suppliers(requested, problems)
    problems.raise_if_any()
    return replace(product, suppliers=suppliers)


def add_picture(
    product: Product, url: str, content: bytes, content_type: str, alt_text: str
) -> tuple[Product, Picture, PictureContent | None]:
    """The product with one more picture (pictures.new_picture); returns the new picture, and
    the bytes to store for it (None for a linked one)."""
    picture, stored = new_picture(
        product.id, len(product.pictures), url, content, content_type, alt_text
    )
    return replace(product, pictures=(*product.pictures, picture)), picture, stored


def check_attributes(attributes: Mapping[str, str], at: str, problems: Violations) -> None:
    if len(attributes) > MAX_ATTRIBUTES:
        problems.add(at, f"at most {MAX_ATTRIBUTES} attributes")
    for key, value in attributes.items():
        if not key.strip() or len(key) > 50:
            problems.add(f"{at}.{key}", "names are 1-50 characters")
        elif len(value) > 200:
            problems.add(f"{at}.{key}", "values are at most 200 characters")


def change_details(
    product: Product, name: str, description: str
) -> tuple[Product, events.ProductChanged]:
    """A renamed or re-described product, and the event announcing it."""
    _selling(product)
    problems = Violations()
    _check_text(name, description, problems)
    problems.raise_if_any()
    changed = replace(product, name=name.strip(), description=description)
    return changed, events.ProductChanged(
        product_id=product.id, sku=product.sku, name=changed.name, description=description
    )


def change_price(
    product: Product, amount: str, currency: str
) -> tuple[Product, events.ProductPriceChanged]:
    """A product at a new list price, and the event announcing old and new."""
    _selling(product)
    problems = Violations()
    price = _list_price(amount, currency, problems)
    problems.raise_if_any()
    if price.currency != product.list_price.currency:
        raise InvalidArgument.of(
            "list_price.currency", f"{product.sku} is priced in {product.list_price.currency}"
        )
    changed = replace(product, list_price=price)
    return changed, events.ProductPriceChanged(
        product_id=product.id,
        sku=product.sku,
        old_price=money_to_proto(product.list_price),
        new_price=money_to_proto(price),
    )


def discontinue(product: Product) -> tuple[Product, events.ProductDiscontinued]:
    _selling(product)
    return replace(product, active=False), events.ProductDiscontinued(
        product_id=product.id, sku=product.sku
    )


def amount_text(amount: Decimal, currency: str) -> str:
    """An amount as the list price reads: 4.5 EUR -> "4.50", 3.999 USD -> "3.999"."""
    return str(Money(amount, currency).trimmed().amount)


def _selling(product: Product) -> None:
    if not product.active:
        raise FailedPrecondition(f"{product.sku} is discontinued")
