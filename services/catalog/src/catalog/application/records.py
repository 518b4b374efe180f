"""What the change log (servicekit.audit) keeps of the catalog's entities: every field a person
sets, amounts as text with their currency, never a picture's bytes. A change keeps only the
fields it changed (servicekit.changes.changed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from catalog.domain.categories import Category
from catalog.domain.price_lists import PriceList
from catalog.domain.products import Product, amount_text
from catalog.domain.tax_rules import TaxRule

# The entity types this service audits (the audit API's `entity_type`).
PRODUCT = "product"
CATEGORY = "category"
PRICE_LIST = "price_list"
TAX_RULE = "tax_rule"


def product_record(product: Product) -> dict[str, Any]:
    currency = product.list_price.currency
    return {
        "sku": product.sku,
        "name": product.name,
        "description": product.description,
        "list_price": str(product.list_price.trimmed()),
        "active": product.active,
        "category_id": product.category_id,
        "attributes": dict(product.attributes),
        "kind": product.kind,
        "unit_of_measure": product.unit_of_measure,
        "cost": None if product.cost is None else _money(product.cost, currency),
        "tax_category": product.tax_category,
        "parent_id": product.parent_id,
        "variant_options": dict(product.variant_options),
        "kit_pricing": product.kit_pricing,
        "components": [
            {"product_id": c.product_id, "quantity": c.quantity} for c in product.components
        ],
        "suppliers": [
            {
                "supplier_id": s.supplier_id,
                "supplier_sku": s.supplier_sku,
                "cost": _money(s.cost, s.currency),
                "minimum_order_quantity": s.minimum_order_quantity,
                "lead_time_days": s.lead_time_days,
            }
            for s in product.suppliers
        ],
        "pictures": [
            {"id": p.id, "url": p.url, "alt_text": p.alt_text, "stored": p.stored}
            for p in product.pictures
        ],
    }


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount_text(amount, currency)} {currency}"


def category_record(category: Category) -> dict[str, Any]:
    return {"name": category.name, "parent_id": category.parent_id}


def price_list_record(price_list: PriceList) -> dict[str, Any]:
    return {
        "name": price_list.name,
        "currency": price_list.currency,
        "customer_group": price_list.customer_group,
        "valid_from": price_list.valid_from,
        "valid_to": price_list.valid_to,
        "breaks": [
            {
                "product_id": b.product_id,
                "min_quantity": b.min_quantity,
                "unit_price": amount_text(b.unit_price, price_list.currency),
            }
            for b in price_list.breaks
        ],
    }


def tax_rule_record(rule: TaxRule) -> dict[str, Any]:
    return {
        "tax_category": rule.tax_category,
        "tax_zone": rule.tax_zone,
        "code": rule.code,
        "rate": format(rule.rate, "f"),
        "valid_from": rule.valid_from,
        "valid_to": rule.valid_to,
    }
