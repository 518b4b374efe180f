"""Pricing a quote's content, shared by creating, updating and revising one: the content as it
will be stored and its priced document. The catalog is asked outside any transaction."""

from __future__ import annotations

from dataclasses import replace

from pricing.document import PricedDocument
from quoting.application.ports import Ports
from quoting.domain.build import build, price_requests
from quoting.domain.content import QuoteContent, check, references, stored_form
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
    return content, build(content, catalog, prices)


async def _with_template(ports: Ports, content: QuoteContent) -> QuoteContent:
    if not content.template_id:
        return content
    async with ports.uow() as uow:
        template = await uow.templates.get(content.template_id)
    if template is None:
        raise InvalidArgument.of("template_id", f"no template {content.template_id}")
    return content.after(template.groups)
