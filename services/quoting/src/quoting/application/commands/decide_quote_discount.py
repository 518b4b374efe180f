"""A sales manager approves or rejects a quote's discounts that need approval: within their reach
(their team's quotes), never their own."""

from __future__ import annotations

from dataclasses import dataclass

from quoting.application.changes import audited, reachable_quote, save_change
from quoting.application.ports import Ports
from quoting.domain.model import Quote
from servicekit.context import current_principal
from servicekit.errors import PermissionDenied
from servicekit.sales_reach import SALES_MANAGER


@dataclass(frozen=True)
class DecideQuoteDiscount:
    quote_id: str
    decision: str  # "approve" or "reject"
    note: str = ""


async def decide_quote_discount(ports: Ports, command: DecideQuoteDiscount) -> Quote:
    caller = current_principal()
    if not caller.has_any(SALES_MANAGER):
        raise PermissionDenied("only a sales manager decides on a quote's discounts")
    async with ports.uow() as uow:
        quote = await reachable_quote(uow, command.quote_id, for_update=True)
        before = audited(quote)
        now = ports.clock.now()
        events = quote.decide(command.decision, command.note, caller.subject, now)
        action = f"discount {quote.approval.status.value}"
        await save_change(uow, quote, action, before, events, now)
    return quote
