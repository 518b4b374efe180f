"""An accepted quote becomes a sales order with the same document, once its figures are proven
to be the engine's, its lines carrying their products' costs and categories from the catalog;
credit control applies as to any order (an unregistered customer holds it at approval)."""

from __future__ import annotations

from dataclasses import dataclass

from orders.application.credit import exposure_of
from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import EventNotApplicable
from orders.application.recording import record_new
from orders.application.sale_terms import products_with_parts
from orders.domain.picking import picking_lines
from orders.domain.placing import from_quote
from pricing.document import InvalidDocument, PricedDocument, verify
from pricing.engine import BreakdownMismatch
from servicekit.context import current_principal

# What the customer accepted the quote as; an invoice is billing's.
SALES_ORDER = "sales_order"


@dataclass(frozen=True)
class AcceptedQuote:
    quote_id: str
    customer_id: str
    salesperson: str
    team: str
    # The id the new order takes, chosen by quoting.
    order_id: str
    document: PricedDocument


async def on_quote_accepted(deps: Deps, uow: UnitOfWork, quote: AcceptedQuote) -> None:
    try:
        verify(quote.document)
    except (BreakdownMismatch, InvalidDocument) as error:
        raise EventNotApplicable(not_as_stated(quote.quote_id, error)) from error
    if await uow.orders.get(quote.order_id) is not None:
        return
    now = deps.clock()
    picked = [line.product_id for line in picking_lines(quote.document)]
    products = await products_with_parts(deps.catalog, picked) if picked else {}
    order, events = from_quote(
        quote.order_id,
        quote.quote_id,
        quote.customer_id,
        quote.salesperson,
        quote.document,
        now,
        current_principal().subject,
        quote.team,
        products,
    )
    pipeline = await deps.pipelines.get(uow.pipelines, order.order_type)
    events += order.advance(pipeline, await exposure_of(uow, order, now.date()))
    await record_new(uow, order, events)


def not_as_stated(quote_id: str, error: Exception) -> str:
    return f"quote {quote_id} does not price as stated: {error}"
