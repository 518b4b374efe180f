"""How a purchase order's content is priced: the supplier's defaults, every field checked, and
the prices the supplier's contracts agree for the day applied before the engine totals it."""

from __future__ import annotations

from datetime import date

from pricing.document import PricedDocument
from procurement.application.ports import UnitOfWork
from procurement.domain.contracts import AgreedPrice, agreed_prices
from procurement.domain.order_content import OrderContent, build, check, with_defaults


async def prices_agreed(
    uow: UnitOfWork, supplier_id: str, currency: str, day: date
) -> dict[str, AgreedPrice]:
    """The supplier's contract prices in `currency` on `day`, by product id."""
    contracts = await uow.contracts.covering(supplier_id, day)
    return dict(agreed_prices(contracts, currency, day))


async def priced_content(
    uow: UnitOfWork, content: OrderContent, today: date
) -> tuple[OrderContent, PricedDocument]:
    """The content as stored and its priced document, contract prices applied."""
    supplier = await uow.suppliers.get(content.supplier_id.strip())
    content = with_defaults(content, supplier, today)
    check(content, supplier, today)
    agreed = await prices_agreed(uow, content.supplier_id, content.currency, today)
    return content, build(content, agreed)
