"""QuoteAccepted for invoicing straight away: an invoice with the quote's own figures, under the
id the quote named for it (once)."""

from __future__ import annotations

from dataclasses import dataclass

from billing.application.invoicing import issue_invoice
from billing.application.ports import UnitOfWork
from billing.domain.orders import QuotedDocument


@dataclass(frozen=True)
class QuoteAccepted:
    quote_id: str
    customer_id: str
    # The id the invoice is to have.
    invoice_id: str
    # Its figures proven the engine's.
    document: QuotedDocument


async def on_quote_accepted(uow: UnitOfWork, event: QuoteAccepted) -> None:
    if await uow.invoices.get(event.invoice_id) is not None:
        return
    whole = event.document.whole()
    await issue_invoice(
        uow,
        whole.lines,
        whole.total,
        customer_id=event.customer_id,
        document=event.document.content,
        quote_id=event.quote_id,
        invoice_id=event.invoice_id,
        taxes=whole.taxes,
        exemption=event.document.tax_exemption,
    )
