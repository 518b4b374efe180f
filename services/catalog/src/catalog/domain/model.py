"""Products: what the catalog owns. Plain Python: validation and the events a change causes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import NewType

from oms.events.v1 import catalog_pb2 as events
from pricing.money import InvalidMoney, Money, parse_amount
from pricing.wire import money_to_proto
from servicekit.errors import FailedPrecondition, InvalidArgument, Violations

ProductId = NewType("ProductId", str)

SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


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


@dataclass(frozen=True)
class NewProduct:
    """A product as a client asks for it, before validation."""

    sku: str
    name: str
    description: str
    price_amount: str
    price_currency: str
    category_id: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)


def create_product(
    request: NewProduct, now: datetime, created_by: str
) -> tuple[Product, events.ProductCreated]:
    """Validates every field at once; returns the product and the event announcing it."""
    problems = Violations()
    if not SKU_PATTERN.match(request.sku):
        problems.add(
            "sku", "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    if not request.name.strip():
        problems.add("name", "must not be empty")
    elif len(request.name) > 200:
        problems.add("name", "at most 200 characters")
    price: Money | None = None
    try:
        price = Money.of(request.price_amount, request.price_currency)
        if price.amount < 0:
            problems.add("list_price.amount", "must not be negative")
    except InvalidMoney as error:
        problems.add("list_price", str(error))
    _check_attributes(request.attributes, "attributes", problems)
    problems.raise_if_any()
    assert price is not None
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
    )
    event = events.ProductCreated(
        product_id=product.id, sku=product.sku, name=product.name, list_price=money_to_proto(price)
    )
    return product, event


MAX_ATTRIBUTES = 50
WORD = re.compile(r"[\w]+", re.UNICODE)


def _check_attributes(attributes: Mapping[str, str], at: str, problems: Violations) -> None:
    if len(attributes) > MAX_ATTRIBUTES:
        problems.add(at, f"at most {MAX_ATTRIBUTES} attributes")
    for key, value in attributes.items():
        if not key.strip() or len(key) > 50:
            problems.add(f"{at}.{key}", "names are 1-50 characters")
        elif len(value) > 200:
            problems.add(f"{at}.{key}", "values are at most 200 characters")


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    parent_id: str | None
    path: str


def new_category(name: str, parent: Category | None) -> Category:
    """A category under `parent`; its path extends the parent's, so descendants share a prefix."""
    if not name.strip() or len(name) > 200:
        raise InvalidArgument.of("name", "1-200 characters")
    category_id = str(uuid.uuid4())
    prefix = parent.path if parent is not None else "/"
    return Category(
        category_id, name.strip(), parent.id if parent else None, f"{prefix}{category_id}/"
    )


@dataclass(frozen=True)
class Search:
    """What a product search asks for; every given criterion must hold."""

    text: str = ""
    sku: str = ""
    category_id: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    min_price: Decimal | None = None
    max_price: Decimal | None = None


def search_criteria(
    text: str, sku: str, category_id: str, attributes: Mapping[str, str], low: str, high: str
) -> Search:
    problems = Violations()
    bounds: list[Decimal | None] = []
    for name, value in (("min_price", low), ("max_price", high)):
        if not value:
            bounds.append(None)
            continue
        try:
            bounds.append(parse_amount(value))
        except InvalidMoney as error:
            problems.add(name, str(error))
            bounds.append(None)
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        problems.add("min_price", "must not exceed max_price")
    _check_attributes(attributes, "attributes", problems)
    if len(text) > 200:
        problems.add("text", "at most 200 characters")
    problems.raise_if_any()
    return Search(text, sku, category_id, dict(attributes), bounds[0], bounds[1])


def text_query(text: str) -> str:
    """A PostgreSQL tsquery: every word must appear; the last may be a prefix ("blu" finds
    "blue"). Only word characters reach the query, so no input can break its syntax."""
    words = [w.lower() for w in WORD.findall(text)]
    if not words:
        return ""
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


def change_details(
    product: Product, name: str, description: str
) -> tuple[Product, events.ProductChanged]:
    """A renamed or re-described product, and the event announcing it."""
    _selling(product)
    if not name.strip() or len(name) > 200:
        raise InvalidArgument.of("name", "1-200 characters")
    changed = replace(product, name=name.strip(), description=description)
    return changed, events.ProductChanged(
        product_id=product.id, sku=product.sku, name=changed.name, description=description
    )


def change_price(
    product: Product, amount: str, currency: str
) -> tuple[Product, events.ProductPriceChanged]:
    """A product at a new list price, and the event announcing old and new."""
    _selling(product)
    try:
        price = Money.of(amount, currency)
    except InvalidMoney as error:
        raise InvalidArgument.of("list_price", str(error)) from error
    if price.amount < 0:
        raise InvalidArgument.of("list_price.amount", "must not be negative")
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


def _selling(product: Product) -> None:
    if not product.active:
        raise FailedPrecondition(f"{product.sku} is discontinued")
