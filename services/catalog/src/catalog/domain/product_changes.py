"""How a product comes to be and changes. Each transition checks what it is given, and returns the
product after it and the event it causes (if others are told of it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from catalog.domain.events import (
    ProductChanged,
    ProductCreated,
    ProductDiscontinued,
    ProductPriceChanged,
)
from catalog.domain.pictures import Picture, PictureContent, new_picture
from catalog.domain.product_rules import (
    amount,
    check_new_product,
    check_suppliers,
    check_text,
    list_price,
    one_of,
)
from catalog.domain.products import (
    TAX_CATEGORIES,
    KitComponent,
    NewProduct,
    NewSupplier,
    Product,
    ProductId,
    Related,
)
from servicekit.errors import FailedPrecondition, InvalidArgument, Violations


def create_product(
    request: NewProduct, now: datetime, created_by: str, related: Related | None = None
) -> tuple[Product, ProductCreated]:
    """Validates every field at once; returns the product and the event announcing it."""
    related = related or Related()
    checked = check_new_product(request, related)
    product = Product(
        id=ProductId(str(uuid.uuid4())),
        sku=request.sku,
        name=request.name.strip(),
        description=request.description,
        list_price=checked.list_price,
        active=True,
        created_at=now,
        created_by=created_by,
        category_id=request.category_id or None,
        attributes=dict(request.attributes),
        kind=checked.kind,
        unit_of_measure=checked.unit_of_measure,
        cost=checked.cost,
        tax_category=checked.tax_category,
        parent_id=request.parent_id or None,
        variant_options=dict(request.variant_options),
        pictures=tuple(
            Picture(str(uuid.uuid4()), url, alt, position, stored=False)
            for position, (url, alt) in enumerate(request.pictures)
        ),
        suppliers=checked.suppliers,
        components=tuple(
            KitComponent(i, related.components[i].sku, quantity)
            for i, quantity in request.components
        ),
        kit_pricing=(request.kit_pricing or "kit") if checked.kind == "kit" else "",
    )
    return product, ProductCreated(product.id, product.sku, product.name, product.list_price)


@dataclass(frozen=True)
class ProductEdit:
    """What a change of a product sets; None leaves the field as it is."""

    name: str | None = None
    description: str | None = None
    cost: str | None = None  # "": unknown
    category_id: str | None = None  # "": none
    tax_category: str | None = None


def change_details(
    product: Product, edit: ProductEdit, category_known: bool = True
) -> tuple[Product, ProductChanged]:
    """The product renamed, re-described, at another cost, in another category or tax category
    (`category_known`: the catalog has the category it is moved to), and the event announcing it
    as it is now."""
    _selling(product)
    problems = Violations()
    name = product.name if edit.name is None else edit.name
    description = product.description if edit.description is None else edit.description
    check_text(name, description, problems)
    cost = product.cost
    if edit.cost is not None:
        cost = amount(edit.cost, "cost", problems) if edit.cost else None
    tax_category = product.tax_category
    if edit.tax_category is not None:
        tax_category = one_of(edit.tax_category, TAX_CATEGORIES, "tax_category", problems)
    if edit.category_id and not category_known:
        problems.add("category_id", f"no category {edit.category_id}")
    problems.raise_if_any()
    category_id = product.category_id if edit.category_id is None else edit.category_id or None
    changed = replace(
        product,
        name=name.strip(),
        description=description,
        cost=cost,
        category_id=category_id,
        tax_category=tax_category,
    )
    return changed, ProductChanged(
        product.id, product.sku, changed.name, description, cost, category_id or "", tax_category
    )


def change_price(
    product: Product, amount: str, currency: str
) -> tuple[Product, ProductPriceChanged]:
    """A product at a new list price, and the event announcing old and new."""
    _selling(product)
    problems = Violations()
    price = list_price(amount, currency, problems)
    problems.raise_if_any()
    if price.currency != product.list_price.currency:
        raise InvalidArgument.of(
            "list_price.currency", f"{product.sku} is priced in {product.list_price.currency}"
        )
    changed = replace(product, list_price=price)
    return changed, ProductPriceChanged(product.id, product.sku, product.list_price, price)


def discontinue(product: Product) -> tuple[Product, ProductDiscontinued]:
    _selling(product)
    return replace(product, active=False), ProductDiscontinued(product.id, product.sku)


def set_suppliers(product: Product, requested: Sequence[NewSupplier]) -> Product:
    """The product with these suppliers instead of its old ones (nobody else is told)."""
    problems = Violations()
    suppliers = check_suppliers(requested, problems)
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


def _selling(product: Product) -> None:
    if not product.active:
        raise FailedPrecondition(f"{product.sku} is discontinued")
