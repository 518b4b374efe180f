"""Invoices and credit notes as printable PDFs: every figure as billing stored it."""

from __future__ import annotations

from billing.application.ports import Printer, UnitOfWork
from billing.application.reading import credit_note_of, invoice_of


async def render_invoice(uow: UnitOfWork, printer: Printer, invoice_id: str) -> tuple[bytes, str]:
    """The PDF and its file name."""
    async with uow:
        invoice = await invoice_of(uow, invoice_id)
        customer = await uow.customers.get(invoice.customer_id)
    name = customer.name if customer is not None else ""
    return printer.invoice(invoice, name), f"invoice-{invoice.number}.pdf"


async def render_credit_note(
    uow: UnitOfWork, printer: Printer, credit_note_id: str
) -> tuple[bytes, str]:
    """The PDF and its file name."""
    async with uow:
        note = await credit_note_of(uow, credit_note_id)
        customer = await uow.customers.get(note.customer_id)
    name = customer.name if customer is not None else ""
    return printer.credit_note(note, name), f"credit-note-{note.number}.pdf"
