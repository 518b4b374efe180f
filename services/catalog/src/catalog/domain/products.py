"""A product, as the catalog keeps it, and a product as a client asks for it (before the checks of
product_rules.py). How one comes to be and changes: product_changes.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import NewType

from catalog.domain.pictures import Picture
from pricing.money import Money

ProductId = NewType("ProductId", str)

KINDS = ("stocked", "service", "kit")
TAX_CATEGORIES = ("standard", "reduced", "exempt")
KIT_PRICING = ("components", "kit")


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
class ListPrice:
    """What pricing reads of a product: a quote's worth of these is read without the rest of
    each product (its pictures, suppliers and components)."""

    sku: str
    list_price: Money


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


def amount_text(amount: Decimal, currency: str) -> str:
    """An amount as the list price reads: 4.5 EUR -> "4.50", 3.999 USD -> "3.999"."""
    return str(Money(amount, currency).trimmed().amount)
