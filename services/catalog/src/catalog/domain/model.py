"""Products: what the catalog owns. Plain Python: validation and the events a change causes."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import NewType

from oms.events.v1 import catalog_pb2 as events
from pricing.money import InvalidMoney, Money
from pricing.wire import money_to_proto
from servicekit.errors import Violations

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


@dataclass(frozen=True)
class NewProduct:
    """A product as a client asks for it, before validation."""

    sku: str
    name: str
    description: str
    price_amount: str
    price_currency: str


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
    )
    event = events.ProductCreated(
        product_id=product.id, sku=product.sku, name=product.name, list_price=money_to_proto(price)
    )
    return product, event
