"""What prices an order for its customer, asked of the catalog in a few calls whatever the
order's size: the products with their kits' parts (whose costs and categories the order lines
carry), the customer group's prices per quantity, and the taxes of the customer's tax zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from orders.application.ports import Catalog
from orders.domain.customer_input import Details
from orders.domain.order_pricing import SaleTerms, price_keys
from orders.domain.placing import CatalogProduct, OrderRequest, sold_lines
from pricing.taxation import categories_asked, taxed_by_rules


async def products_with_parts(catalog: Catalog, ids: Sequence[str]) -> dict[str, CatalogProduct]:
    """The products, and every part of the kits among them."""
    products = await catalog.products(list(dict.fromkeys(ids)))
    parts = {p for product in products.values() for p, _, _ in product.components}
    missing = sorted(parts - products.keys())
    return products | (await catalog.products(missing) if missing else {})


async def sale_terms(
    catalog: Catalog,
    customer: Details,
    request: OrderRequest,
    products: dict[str, CatalogProduct],
    on: date,
) -> SaleTerms:
    """The customer's prices and taxes for the request's lines (an exempt customer or one
    without a tax zone: no taxes)."""
    sold = sold_lines(request, products)
    keys = price_keys(sold)
    prices = (
        await catalog.prices(keys, customer.customer_group, request.currency, on) if keys else {}
    )
    if not taxed_by_rules(customer.tax_zone, customer.tax_exemption):
        return SaleTerms(prices, {}, customer.tax_exemption)
    categories = categories_asked((s.tax_category for s in sold), request.shipping)
    taxes = await catalog.taxes(customer.tax_zone, categories, on)
    return SaleTerms(prices, taxes)
