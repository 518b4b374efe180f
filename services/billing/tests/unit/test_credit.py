"""A customer's credit and credit notes, on the fakes: credit applied to an invoice, payments taken
back, credit notes issued by hand, for a cancelled order, for returned goods."""

from __future__ import annotations

from dataclasses import replace

import pytest

from billing.adapters.documents import quoted
from billing.application.commands.apply_customer_credit import (
    ApplyCustomerCredit,
    apply_customer_credit,
)
from billing.application.commands.issue_credit_note import IssueCreditNote, issue_adjustment
from billing.application.commands.record_customer_payment import (
    AllocationAsked,
    RecordCustomerPayment,
    record_customer_payment,
)
from billing.application.commands.record_payment import RecordPayment, record_payment
from billing.application.commands.unallocate_payment import UnallocatePayment, unallocate_payment
from billing.application.queries.credit_notes import get_credit_note, list_credit_notes
from billing.application.queries.customer_balance import customer_balance
from billing.application.reactions.on_return_received import on_return_received
from billing.application.reactions.on_sales_order_cancelled import on_sales_order_cancelled
from billing.application.retries import Retry
from billing.domain.events import CreditNoteIssued, InvoiceIssued
from billing.domain.orders import OrderLine, Shipment
from billing.domain.returns import CannotCredit, Return, billed_line, unit_net
from pricing.document import kit_part_line_id
from servicekit.errors import FailedPrecondition, InvalidArgument
from services.billing.tests.unit.builders import (
    a_shipment,
    amount,
    an_id,
    an_order,
    as_user,
    eur,
    invoiced,
    of_kind,
    placed,
    shipped,
)
from services.billing.tests.unit.fakes import FakeBilling
from testkit.documents import a_priced_document


def fields(error: InvalidArgument) -> dict[str, str]:
    return {v.field: v.description for v in error.violations}


async def returned(billing: FakeBilling, order_id: str, *lines: tuple[str, int]) -> Return:
    back = Return(an_id(), order_id, lines)
    async with billing() as uow:
        await on_return_received(uow, back)
    return back


async def cancelled(billing: FakeBilling, order_id: str) -> None:
    async with billing() as uow:
        await on_sales_order_cancelled(uow, order_id)


async def test_credit_from_a_payment_pays_another_invoice_and_can_be_taken_back() -> None:
    billing = FakeBilling()
    first, second = await invoiced(billing), await invoiced(billing)
    with as_user():
        only_first = (AllocationAsked(first.id, amount("37.50")),)
        payment = await record_customer_payment(
            billing(), RecordCustomerPayment("C-1", amount("50.00"), allocations=only_first)
        )
        applied = await apply_customer_credit(
            billing(), ApplyCustomerCredit("C-1", second.id, retry=Retry("apply-1", "p"))
        )
        again = await apply_customer_credit(
            billing(), ApplyCustomerCredit("C-1", second.id, retry=Retry("apply-1", "p"))
        )
        with pytest.raises(InvalidArgument) as nothing:
            await apply_customer_credit(billing(), ApplyCustomerCredit("C-1", second.id))
        with pytest.raises(InvalidArgument) as not_theirs:
            await apply_customer_credit(billing(), ApplyCustomerCredit("C-2", second.id))
    assert (applied.kind, applied.amount, applied.id) == ("credit", eur("12.50"), again.id)
    assert fields(nothing.value) == {
        "amount": "nothing to apply: credit 0.00 EUR, balance 25.00 EUR"
    }
    assert list(fields(not_theirs.value)) == ["invoice_id"]
    with as_user("gina"):
        taken = await unallocate_payment(
            billing(), UnallocatePayment(payment.id, invoice_id=first.id)
        )
    assert [a.unallocated_by for a in taken.allocations] == ["gina"]
    assert billing.state.invoices[first.id].status == "open"
    assert await customer_balance(billing(), "C-1") == ([eur("62.50")], [eur("37.50")])
    change = billing.changes[-1]
    assert (change.action, change.before["allocations"], change.after["allocations"]) == (
        "unallocated",
        [{"invoice_id": first.id, "amount": "37.50 EUR"}],
        [],
    )
    with as_user(), pytest.raises(FailedPrecondition):
        await unallocate_payment(billing(), UnallocatePayment(payment.id))


async def test_nothing_allocated_or_a_credited_invoice_cannot_be_taken_back() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing)
    with as_user():
        payment = await record_payment(billing(), RecordPayment(invoice.id, amount("10.00")))
        with pytest.raises(InvalidArgument) as unknown:
            await unallocate_payment(billing(), UnallocatePayment(payment.id, allocation_id="x"))
    await cancelled(billing, invoice.order_id)
    with as_user(), pytest.raises(FailedPrecondition, match="was credited"):
        await unallocate_payment(billing(), UnallocatePayment(payment.id))
    assert list(fields(unknown.value)) == ["allocation_id"]


async def test_a_credit_note_for_part_of_an_invoice_or_a_free_amount_for_a_customer() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing)
    with as_user():
        part = await issue_adjustment(
            billing(), IssueCreditNote(amount("10.00"), " late ", invoice_id=invoice.id)
        )
        free = await issue_adjustment(
            billing(), IssueCreditNote(amount("5.00"), "goodwill", customer_id="C-1")
        )
        with pytest.raises(InvalidArgument) as too_much:
            await issue_adjustment(
                billing(), IssueCreditNote(amount("27.51"), "more", invoice_id=invoice.id)
            )
        with pytest.raises(InvalidArgument) as bad:
            await issue_adjustment(billing(), IssueCreditNote(amount("0"), ""))
    assert (part.reason, part.memo, part.invoice_number, part.number[-6:]) == (
        "adjustment",
        "late",
        invoice.number,
        "000001",
    )
    assert (free.invoice_id, free.unapplied, free.number[-6:]) == ("", eur("5.00"), "000002")
    assert fields(too_much.value) == {
        "amount": "exceeds what no credit note credited yet of the invoice, 27.50 EUR"
    }
    assert set(fields(bad.value)) == {"amount", "memo", "customer_id"}
    assert await customer_balance(billing(), "C-1") == ([eur("27.50")], [eur("5.00")])
    assert (await get_credit_note(billing(), free.id)).memo == "goodwill"
    notes, _ = await list_credit_notes(billing(), "", "C-1", 0, "")
    assert [n.id for n in notes] == [free.id, part.id]


async def test_a_cancelled_order_credits_each_of_its_invoices_once_even_those_issued_later() -> (
    None
):
    billing = FakeBilling()
    order = an_order("C-2")
    await placed(billing, order)
    await shipped(billing, a_shipment(order, 3))
    await shipped(billing, a_shipment(order, 2))
    first = min(billing.state.invoices.values(), key=lambda i: i.number)
    with as_user():
        await record_payment(billing(), RecordPayment(first.id, amount("10.00")))
    await cancelled(billing, order.order_id)
    await cancelled(billing, order.order_id)
    await shipped(billing, a_shipment(order, 1))
    notes = of_kind(billing, CreditNoteIssued)
    assert [(n.total, n.reason) for n in notes] == [
        (eur("37.50"), "cancelled"),
        (eur("25.00"), "cancelled"),
        (eur("12.50"), "cancelled"),
    ]
    assert {i.status for i in billing.state.invoices.values()} == {"credited"}
    assert next(n.unapplied for n in billing.state.credit_notes.values()) == eur("10.00")
    assert await customer_balance(billing(), "C-2") == ([eur("0.00")], [eur("10.00")])


async def test_returned_units_are_credited_once_at_the_order_price() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing, "C-3")
    line_id = invoice.lines[0].order_line_id
    back = await returned(billing, invoice.order_id, (line_id, 2))
    async with billing() as uow:
        await on_return_received(uow, back)  # received again: nothing more
    (note,) = of_kind(billing, CreditNoteIssued)
    assert (note.total, note.reason, note.return_id) == (eur("25.00"), "returned", back.return_id)
    credited = billing.state.invoices[invoice.id]
    assert (credited.status, credited.balance) == ("open", eur("12.50"))
    assert billing.state.returns[back.return_id].outcome == "credited"
    with pytest.raises(CannotCredit, match="not on the order"):
        await returned(billing, invoice.order_id, ("not-a-line", 1))


async def test_a_return_that_overtakes_its_invoice_waits_for_it() -> None:
    billing = FakeBilling()
    order = an_order("C-4")
    shipment = a_shipment(order, 3)
    await shipped(billing, shipment)
    back = await returned(billing, order.order_id, (order.lines[0].line_id, 1))
    await placed(billing, order)
    issued = [type(e).__name__ for e in billing.published if not type(e).__name__.startswith("Cu")]
    assert issued == ["InvoiceIssued", "CreditNoteIssued"]
    assert of_kind(billing, CreditNoteIssued)[0].total == eur("12.50")
    assert billing.state.returns[back.return_id].outcome == "credited"


async def test_a_paid_invoice_credited_for_a_return_owes_the_customer_the_credit() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing, "C-5", quantity=2)
    with as_user():
        await record_payment(billing(), RecordPayment(invoice.id, amount("25.00")))
    await returned(billing, invoice.order_id, (invoice.lines[0].order_line_id, 1))
    (note,) = billing.state.credit_notes.values()
    assert (note.total, note.unapplied) == (eur("12.50"), eur("12.50"))
    assert billing.state.invoices[invoice.id].status == "paid"
    assert await customer_balance(billing(), "C-5") == ([eur("0.00")], [eur("12.50")])


async def test_a_document_order_credits_returns_at_the_lines_net_per_unit_and_kits_whole() -> None:
    document = quoted(a_priced_document())
    widget, bolts, kit, _service = document.lines
    picked = [
        OrderLine(x.line_id, x.product_id, x.sku, x.quantity, eur("0")) for x in document.lines
    ]
    wheel, bolt = [
        OrderLine(
            kit_part_line_id(kit.line_id, p.product_id),
            p.product_id,
            "",
            kit.quantity * p.quantity,
            eur("0"),
        )
        for p in kit.kit_parts
    ]
    order = an_order("C-7", document=document, lines=(*picked, wheel, bolt))
    billing = FakeBilling()
    await placed(billing, order)
    everything = tuple((x.line_id, x.quantity) for x in order.lines)
    await shipped(billing, Shipment(an_id(), order.order_id, everything))
    assert len(of_kind(billing, InvoiceIssued)) == 1
    # One widget, and one kit's parts and a bolt more of it: one whole kit.
    await returned(
        billing, order.order_id, (widget.line_id, 1), (wheel.line_id, 1), (bolt.line_id, 5)
    )
    # The second kit's parts: three bolts come back with the rest of it.
    await returned(billing, order.order_id, (wheel.line_id, 1), (bolt.line_id, 3))
    first, last = of_kind(billing, CreditNoteIssued)
    (invoice,) = billing.state.invoices.values()
    on_invoice = {x.order_line_id: replace(x, returned=0) for x in invoice.lines}
    # What the customer paid: each line's net and taxes, a widget's and a kit's share of them.
    one_widget = billed_line(invoice.id, on_invoice[widget.line_id]).credit_line(1)
    one_kit = billed_line(invoice.id, on_invoice[kit.line_id]).credit_line(1)
    assert one_widget.taxes
    assert one_widget.amount > unit_net(widget.net, widget.quantity)
    assert first.total == one_widget.amount + one_kit.amount
    assert first.total + last.total == one_widget.amount + on_invoice[kit.line_id].gross
    credited = {x.order_line_id for n in billing.state.credit_notes.values() for x in n.lines}
    assert credited == {widget.line_id, kit.line_id}
    assert bolts.line_id not in credited
