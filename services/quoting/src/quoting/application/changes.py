"""How every use case changes a quote: it takes the quote locked, if the caller may work it,
applies one transition, and saves the quote with the events it caused and a change-log entry,
all in the caller's unit of work. Which quotes a person reaches is servicekit.sales_reach."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from quoting.application.ports import UnitOfWork
from quoting.domain.events import QuoteEvent
from quoting.domain.model import Quote
from servicekit.changes import changed
from servicekit.context import current_principal
from servicekit.errors import NotFound
from servicekit.sales_reach import check_reach

# The change log's names for a quote and a template.
QUOTE = "quote"
TEMPLATE = "quote_template"


def audited(quote: Quote) -> dict[str, Any]:
    """What the change log keeps of a quote: its headline, not every line (versions keep those)."""
    return {
        "status": quote.status.value,
        "version": quote.version,
        "customer_id": quote.content.customer_id,
        "salesperson": quote.salesperson,
        "team": quote.team,
        "currency": quote.document.currency,
        "total": format(quote.total.amount, "f"),
        "valid_until": quote.content.valid_until,
        "payment_terms": quote.content.payment_terms,
        "lines": sum(len(group.lines) for group in quote.document.groups),
        "converted_to": quote.converted_to,
        "converted_id": quote.converted_id,
        "rejection_reason": quote.rejection_reason,
        "approval": quote.approval.status.value,
        "approval_reason": quote.approval.reason,
        "approval_decided_by": quote.approval.decided_by,
        "approval_note": quote.approval.note,
    }


async def reachable_quote(uow: UnitOfWork, quote_id: str, *, for_update: bool = False) -> Quote:
    """The quote's latest version, if it exists and the caller may see and work it."""
    quote = await uow.quotes.get(quote_id, for_update=for_update)
    if quote is None:
        raise NotFound(f"quote {quote_id} not found")
    check_reach(current_principal(), f"quote {quote.id}", quote.salesperson, quote.team)
    return quote


async def save_change(
    uow: UnitOfWork,
    quote: Quote,
    action: str,
    before: dict[str, Any],
    events: Sequence[QuoteEvent],
    now: datetime,
) -> None:
    """Saves `quote` as changed by `action` since `before` (an `audited` snapshot), publishes
    `events` and logs what changed."""
    quote.updated_at = now
    await uow.quotes.save(quote, current_principal().subject)
    await uow.publish(events)
    was, becomes = changed(before, audited(quote))
    await uow.record(QUOTE, quote.id, action, before=was, after=becomes)
