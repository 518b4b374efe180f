"""An order a sales channel priced itself (channel "woocommerce": the store's figures are the
truth): its document is kept as the channel stated it, once the engine has verified it.

Verification: the engine recomputes the document and must agree figure by figure. A document the
channel flags `needs_review` (its figures are the store's, which the engine could not reproduce
from the store's rates and rounding) is kept as stated all the same, the engine's disagreement
added to the channel's review note, so the order's figures stay the store's to the cent and a
person sees why. Plain Python."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from orders.domain.bounds import check_total
from orders.domain.events import SalesOrderEvent
from orders.domain.picking import picking_lines
from orders.domain.placing import CatalogProduct, OrderRequest, Placer, picked, placed
from orders.domain.sales_order import SalesOrder
from pricing.document import InvalidDocument, PricedDocument, verify
from pricing.engine import BreakdownMismatch
from servicekit.errors import InvalidArgument

# The channels whose orders arrive priced (their figures are the channel's own).
PRICED_CHANNELS = ("woocommerce",)
MAX_REVIEW_NOTE = 4000


def review_note_of(request: OrderRequest, document: PricedDocument) -> str:
    """The order's review note ("" for an order the engine reproduces); INVALID_ARGUMENT on
    `document` for a channel that does not price its orders, a document without a breakdown or
    in another currency, and figures the engine disputes on an order not flagged for review."""
    if request.channel not in PRICED_CHANNELS:
        raise InvalidArgument.of(
            "document", f"only channels {', '.join(PRICED_CHANNELS)} send priced documents"
        )
    if document.breakdown is None:
        raise InvalidArgument.of("document", "the breakdown is required")
    if document.currency != request.currency:
        raise InvalidArgument.of("document", f"priced in {document.currency}, not the currency")
    note = request.review_note.strip() or ("the channel's figures" if request.needs_review else "")
    try:
        verify(document)
    except (BreakdownMismatch, InvalidDocument) as error:
        if not request.needs_review:
            raise InvalidArgument.of("document", f"does not price as stated: {error}") from error
        note = f"{note}; engine: {error}"
    return note[:MAX_REVIEW_NOTE]


def from_channel(
    request: OrderRequest,
    document: PricedDocument,
    review_note: str,
    catalog: Mapping[str, CatalogProduct],
    now: datetime,
    placer: Placer,
) -> tuple[SalesOrder, list[SalesOrderEvent]]:
    """The order with the channel's document as is, picked line by line (each line with its
    product's cost and category from `catalog`)."""
    check_total(document.figures.total)
    order = SalesOrder(
        id=str(uuid.uuid4()),
        customer_id=request.customer_id.strip(),
        currency=document.currency,
        channel=request.channel,
        lines=[picked(line, catalog) for line in picking_lines(document)],
        created_at=now,
        created_by=placer.actor,
        order_type=request.order_type,
        salesperson=placer.salesperson,
        team=placer.team,
        shipping_address=request.shipping_address,
        document=document,
        external_reference=request.external_reference,
        review_note=review_note,
    )
    return order, [placed(order)]
