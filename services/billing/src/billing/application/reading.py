"""The aggregates as they stand in a unit of work, or NOT_FOUND: what commands return after their
changes and what queries read."""

from __future__ import annotations

from billing.application.ports import UnitOfWork
from billing.domain.bills import Bill
from billing.domain.credit_notes import CreditNote
from billing.domain.invoices import Invoice
from billing.domain.payments import Payment
from billing.domain.supplier_payments import SupplierPayment
from servicekit.errors import NotFound


async def invoice_of(uow: UnitOfWork, invoice_id: str) -> Invoice:
    found = await uow.invoices.get(invoice_id)
    if found is None:
        raise NotFound(f"invoice {invoice_id} not found")
    return found


async def payment_of(uow: UnitOfWork, payment_id: str) -> Payment:
    found = await uow.payments.get(payment_id)
    if found is None:
        raise NotFound(f"payment {payment_id} not found")
    return found


async def credit_note_of(uow: UnitOfWork, credit_note_id: str) -> CreditNote:
    found = await uow.credit_notes.get(credit_note_id)
    if found is None:
        raise NotFound(f"credit note {credit_note_id} not found")
    return found


async def bill_of(uow: UnitOfWork, bill_id: str) -> Bill:
    found = await uow.bills.get(bill_id)
    if found is None:
        raise NotFound(f"bill {bill_id} not found")
    return found


async def payment_sent_of(uow: UnitOfWork, payment_id: str) -> SupplierPayment:
    found = await uow.supplier_payments.get(payment_id)
    if found is None:
        raise NotFound(f"payment sent {payment_id} not found")
    return found
