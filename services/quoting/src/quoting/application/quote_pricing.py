"""Pricing a quote's content, shared by creating, updating and revising one: the content as it
will be stored and its priced document, taxed by the catalog's tax rules for a known customer in
a tax zone as a direct order is. The catalog is asked outside any transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from pricing.document import PricedDocument
from pricing.taxation import CategoryTaxes, taxed_by_rules
from quoting.application.ports import Ports
from quoting.domain.build import build, components_unknown, price_requests, tax_categories
from quoting.domain.catalog import CatalogItem
from quoting.domain.content import QuoteContent, check, references, stored_form
from quoting.domain.customer import Customer
from servicekit.context import current_principal
from servicekit.errors import InvalidArgument
from servicekit.sales_reach import salesperson_for


async def price_content(
    ports: Ports, content: QuoteContent, salesperson: str = ""
) -> tuple[QuoteContent, PricedDocument]:
    """The content as stored (a template's groups first, the responsible salesperson given the
    caller and the current `salesperson`, the known customer's defaults) and its document."""
    content = await _with_template(ports, content)
    named = salesperson_for(current_principal(), content.salesperson, salesperson)
    content = replace(content, salesperson=named)
    async with ports.uow() as uow:
        customer = await uow.customers.get(content.customer_id.strip())
    if customer is not None:
        content = customer.defaults_for(content)
    today = ports.clock.today()
    check(content, today)
    content = stored_form(content, today)
    skus, ids = references(content)
    catalog = await ports.catalog.items(skus, ids)
    prices = await ports.catalog.prices(
        price_requests(content, catalog), content.customer_group, content.currency, today
    )
    if customer is None:  # taxed as entered only
        return content, build(content, catalog, prices)
    known, taxes = await _zone_taxes(ports, customer, content, catalog, today)
    return content, build(content, known, prices, taxes, customer.tax_exemption)


async def _zone_taxes(
    ports: Ports,
    customer: Customer,
    content: QuoteContent,
    catalog: Mapping[str, CatalogItem],
    on: date,
) -> tuple[Mapping[str, CatalogItem], CategoryTaxes]:
    """The catalog with the components of exploded kits, and the taxes the customer's tax zone
    gives the content's tax categories on `on` (none without a zone or with an exemption): one
    call for them all."""
    if not taxed_by_rules(customer.tax_zone, customer.tax_exemption):
        return catalog, {}
    unknown = components_unknown(content, catalog)
    if unknown:
        catalog = {**catalog, **await ports.catalog.items(set(), unknown)}
    categories = tax_categories(content, catalog)
    if not categories:
        return catalog, {}
    return catalog, await ports.catalog.taxes(customer.tax_zone, categories, on)


async def _with_template(ports: Ports, content: QuoteContent) -> QuoteContent:
    if not content.template_id:
        return content
    async with ports.uow() as uow:
        template = await uow.templates.get(content.template_id)
    if template is None:
        raise InvalidArgument.of("template_id", f"no template {content.template_id}")
    return content.after(template.groups)
