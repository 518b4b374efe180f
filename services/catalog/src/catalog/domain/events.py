"""What happened to a product, as the catalog announces it (adapters/events.py puts each on the
wire as its oms.events.v1 message, keyed by the product's id)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pricing.money import Money


@dataclass(frozen=True)
class ProductCreated:
    product_id: str
    sku: str
    name: str
    list_price: Money


@dataclass(frozen=True)
class ProductChanged:
    """The name, description, cost, category or tax category changed; each as it is now."""

    product_id: str
    sku: str
    name: str
    description: str
    cost: Decimal | None = None
    category_id: str = ""
    tax_category: str = ""


@dataclass(frozen=True)
class ProductPriceChanged:
    product_id: str
    sku: str
    old_price: Money
    new_price: Money


@dataclass(frozen=True)
class ProductDiscontinued:
    product_id: str
    sku: str


ProductEvent = ProductCreated | ProductChanged | ProductPriceChanged | ProductDiscontinued
