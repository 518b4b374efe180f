"""What each repository of billing must do, run against the fakes (tests/unit/
test_repositories.py) and PostgreSQL (tests/integration/test_repositories.py), so the fakes
cannot drift from the real adapters. Each check takes a fresh, empty billing's units of work."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from google.protobuf.json_format import MessageToDict

from billing.adapters.documents import quoted
from billing.application.ports import CREDIT_NOTES, INVOICES, UnitOfWork
from billing.application.retries import Retry
from billing.domain.bills import Bill, IssuedLine, PurchaseOrderCopy, Receipt
from billing.domain.credit_notes import RETURNED, CreditLine, CreditNote
from billing.domain.customers import Customer
from billing.domain.exchange import Rate, SetRate
from billing.domain.invoices import PAID, PARTIALLY_PAID, Invoice, InvoiceLine
from billing.domain.orders import OrderCopy, OrderLine, Shipment
from billing.domain.payables import DualControl, LineIn, Match, Tolerance, match_bill
from billing.domain.payments import CREDIT, RECEIVED, Payment
from billing.domain.receivables import AgedItem
from billing.domain.returns import DONE, PENDING, Return
from billing.domain.revenue import QUOTE, UNASSIGNED, Entry
from billing.domain.supplier_payments import SupplierPayment
from billing.domain.taxes import Buyer, LineTax
from pricing.money import Money
from servicekit.errors import AlreadyExists
from testkit.documents import a_priced_document

Units = Callable[[], UnitOfWork]
Check = Callable[[Units], Awaitable[None]]
NOW = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
TODAY = NOW.date()
SECOND = timedelta(seconds=1)


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def an_id() -> str:
    return str(uuid.uuid4())


def an_order(customer_id: str = "C-1", channel: str = "web", document: bool = False) -> OrderCopy:
    lines = [
        OrderLine(an_id(), "p1", "SKU-1", 10, eur("12.50")),
        OrderLine(an_id(), "p2", "SKU-2", 4, eur("0.333")),
    ]
    priced = quoted(a_priced_document()) if document else None
    return OrderCopy.placed(an_id(), customer_id, "EUR", lines, priced, channel)


def an_invoice(
    number: str,
    customer_id: str = "C-1",
    order_id: str = "",
    *,
    total: str = "37.50",
    currency: str = "EUR",
    due: date = TODAY,
    issued_at: datetime = NOW,
    shipment_id: str = "",
) -> Invoice:
    price = Money(Decimal("12.50"), currency)
    line = InvoiceLine(an_id(), "p1", "SKU-1", 3, price)
    invoice, _ = Invoice.issue(
        an_id(),
        number,
        customer_id,
        [line],
        Money(Decimal(total), currency),
        issued_at=issued_at,
        due_on=due,
        created_by="fiona",
        order_id=order_id,
        shipment_id=shipment_id,
    )
    return invoice


async def added(units: Units, *invoices: Invoice) -> None:
    async with units() as uow:
        for invoice in invoices:
            await uow.invoices.add(invoice)


def a_payment(
    customer_id: str = "C-1",
    reference: str = "transfer 1",
    *,
    amount: str = "50.00",
    at: datetime = NOW,
    kind: str = RECEIVED,
    fingerprint: str | None = "print-1",
) -> Payment:
    return Payment(
        an_id(), customer_id, eur(amount), reference, TODAY, at, "fiona", kind, "", eur("0"),
        fingerprint,
    )  # fmt: skip


# Invoices -------------------------------------------------------------------------------------


async def an_invoice_comes_back_as_it_was_added(units: Units) -> None:
    order = an_order()
    plain = an_invoice("INV-2026-000001", order_id=order.order_id, shipment_id=an_id())
    document = a_priced_document()
    billed = quoted(document).whole()
    buyer = Buyer("Жуков Sp.", "PL1", ("ul. Żółta 5", "90-001 Łódź"), "net 14", "exempt: art. 138")
    whole, _ = Invoice.issue(
        an_id(),
        "INV-2026-000002",
        "C-2",
        billed.lines,
        billed.total,
        issued_at=NOW,
        due_on=TODAY + timedelta(days=30),
        created_by="quinn",
        quote_id=an_id(),
        document=MessageToDict(document),
        taxes=billed.taxes,
        buyer=buyer,
    )
    await added(units, plain, whole)
    async with units() as uow:
        got = await uow.invoices.get(plain.id)
        again = await uow.invoices.get(whole.id, lock=True)
        missing = await uow.invoices.get(an_id())
    assert got is not None
    assert again is not None
    assert missing is None
    stored_lines = [replace(x, line_total=x.total, credited=eur("0")) for x in plain.lines]
    assert got == replace(plain, lines=stored_lines)
    assert (got.lines[0].total, got.lines[0].returned, got.lines[0].credited) == (
        eur("37.50"),
        0,
        eur("0"),
    )
    assert again.document == MessageToDict(document)
    assert [x.total for x in again.lines] == [x.total for x in whole.lines]
    # Each line's taxes, the breakdown per code and rate and the buyer come back as issued.
    assert [x.taxes for x in again.lines] == [x.taxes for x in whole.lines]
    assert again.taxes == whole.taxes
    assert again.buyer == buyer
    assert got.buyer is None
    assert (again.covers_order, got.covers_order) == (True, False)
    assert (again.order_id, again.shipment_id, again.quote_id) == ("", "", whole.quote_id)


async def one_shipment_or_quote_is_invoiced_once(units: Units) -> None:
    shipment_id = an_id()
    await added(units, an_invoice("INV-2026-000001", shipment_id=shipment_id))
    with pytest.raises(Exception):  # noqa: B017 - a unique index's error, whichever the store
        await added(units, an_invoice("INV-2026-000002", shipment_id=shipment_id))
    async with units() as uow:
        found = await uow.invoices.of_shipment(shipment_id)
        assert found is not None
        assert found.number == "INV-2026-000001"
        assert await uow.invoices.of_shipment(an_id()) is None


async def invoices_are_found_by_order_and_customer_in_number_order(units: Units) -> None:
    order_id = an_id()
    second = an_invoice("INV-2026-000002", order_id=order_id)
    first = an_invoice("INV-2026-000001", order_id=order_id)
    dollars = an_invoice("INV-2026-000003", currency="USD")
    other = an_invoice("INV-2026-000004", customer_id="C-2")
    await added(units, second, first, dollars, other)
    async with units() as uow:
        assert [i.id for i in await uow.invoices.of_order(order_id)] == [first.id, second.id]
        locked = await uow.invoices.locked([second.id, first.id, "nope"])
        assert list(locked) == [first.id, second.id]
        assert list(await uow.invoices.open_of("C-1", "EUR")) == [first.id, second.id]
        paid = await uow.invoices.get(first.id)
        assert paid is not None
        paid.pay(eur("37.50"), an_id())
        await uow.invoices.save(paid)
        assert list(await uow.invoices.open_of("C-1", "EUR")) == [second.id]
        assert list(await uow.invoices.open_of("C-1", "USD")) == [dollars.id]


async def saving_keeps_an_invoices_money_and_its_lines_returns(units: Units) -> None:
    invoice = an_invoice("INV-2026-000001")
    await added(units, invoice)
    async with units() as uow:
        found = await uow.invoices.get(invoice.id, lock=True)
        assert found is not None
        found.pay(eur("10.00"), an_id())
        line = found.lines[0]
        credit = CreditLine(
            found.id, line.order_line_id, "p1", "SKU-1", 1, eur("12.50"), eur("12.5")
        )
        found.take_return([credit])
        found.credit(eur("12.50"), cancelled=False)
        found.fall_overdue(NOW)
        await uow.invoices.save(found)
    async with units() as uow:
        saved = await uow.invoices.get(invoice.id)
    assert saved is not None
    assert (saved.amount_paid, saved.amount_credited, saved.status, saved.overdue_at) == (
        eur("10.00"),
        eur("12.50"),
        PARTIALLY_PAID,
        NOW,
    )
    assert (saved.lines[0].returned, saved.lines[0].credited) == (1, eur("12.50"))
    assert str(saved.amount_paid.amount) == "10.000000"  # as the column keeps it


async def invoices_fall_overdue_once_oldest_due_first(units: Units) -> None:
    late = an_invoice("INV-2026-000002", due=TODAY - timedelta(days=9))
    later = an_invoice("INV-2026-000001", due=TODAY - timedelta(days=3))
    due_today = an_invoice("INV-2026-000003", due=TODAY)
    paid = an_invoice("INV-2026-000004", due=TODAY - timedelta(days=30))
    paid.pay(eur("37.50"), an_id())
    await added(units, later, late, due_today, paid)
    async with units() as uow:
        found = await uow.invoices.falling_overdue(TODAY, 10)
        assert [i.id for i in found] == [late.id, later.id]
        assert [i.id for i in await uow.invoices.falling_overdue(TODAY, 1)] == [late.id]
        found[0].fall_overdue(NOW)
        await uow.invoices.save(found[0])
    async with units() as uow:
        assert [i.id for i in await uow.invoices.falling_overdue(TODAY, 10)] == [later.id]


async def invoices_come_in_pages_newest_first(units: Units) -> None:
    order_id = an_id()
    made = [an_invoice(f"INV-2026-00000{n}", order_id=order_id) for n in range(1, 5)]
    await added(units, *made, an_invoice("INV-2026-000009"))
    async with units() as uow:
        first = await uow.invoices.page(order_id, "", 3)
        rest = await uow.invoices.page(order_id, first[-1].number, 3)
        every = await uow.invoices.page("", "", 10)
    assert [i.number for i in first + rest] == [i.number for i in reversed(made)]
    assert every[0].number == "INV-2026-000009"
    assert len(every) == 5


# Credit notes ---------------------------------------------------------------------------------


def a_credit_note(number: str, invoice: Invoice | None, total: str = "12.50") -> CreditNote:
    lines = []
    if invoice is not None:
        line = invoice.lines[0]
        vat = LineTax("VAT", Decimal("0.19"), eur("1.99"))
        lines = [
            CreditLine(
                invoice.id, line.order_line_id, "p1", "SKU-1", 1, eur("12.50"), eur(total), (vat,)
            )
        ]
    note, _ = CreditNote.issue(
        an_id(),
        number,
        invoice.customer_id if invoice else "C-9",
        eur(total),
        eur("0"),
        RETURNED,
        issued_at=NOW,
        created_by="fiona",
        invoice_id=invoice.id if invoice else "",
        order_id=invoice.order_id if invoice else "",
        return_id=an_id() if invoice else "",
        memo="" if invoice else "goodwill",
        lines=lines,
        buyer=Buyer("Acme", "DE1", ("Street 1",), "net 30") if invoice else None,
    )
    return note


async def a_credit_note_comes_back_with_its_invoice_number(units: Units) -> None:
    invoice = an_invoice("INV-2026-000007", order_id=an_id())
    note = a_credit_note("CN-2026-000001", invoice)
    free = a_credit_note("CN-2026-000002", None, "5.00")
    await added(units, invoice)
    async with units() as uow:
        await uow.credit_notes.add(note)
        await uow.credit_notes.add(free)
    async with units() as uow:
        got = await uow.credit_notes.get(note.id)
        got_free = await uow.credit_notes.get(free.id)
        assert await uow.credit_notes.get(an_id()) is None
        assert await uow.credit_notes.credited_against(invoice.id) == Decimal("12.50")
        assert await uow.credit_notes.credited_against(an_id()) == 0
    assert got == replace(note, invoice_number="INV-2026-000007")
    assert got_free == free


async def credit_notes_come_in_pages_newest_first(units: Units) -> None:
    invoice = an_invoice("INV-2026-000001", order_id=an_id())
    await added(units, invoice)
    notes = [a_credit_note(f"CN-2026-00000{n}", invoice, "1.00") for n in range(1, 4)]
    free = a_credit_note("CN-2026-000009", None)
    async with units() as uow:
        for note in [*notes, free]:
            await uow.credit_notes.add(note)
    async with units() as uow:
        first = await uow.credit_notes.page(invoice.order_id, "", "", 2)
        rest = await uow.credit_notes.page(invoice.order_id, "", first[-1].number, 2)
        theirs = await uow.credit_notes.page("", "C-9", "", 10)
    assert [n.id for n in first + rest] == [n.id for n in reversed(notes)]
    assert [n.id for n in theirs] == [free.id]


# Payments -------------------------------------------------------------------------------------


async def a_payment_comes_back_with_where_its_money_went(units: Units) -> None:
    invoice = an_invoice("INV-2026-000003", order_id=an_id())
    await added(units, invoice)
    payment = a_payment()
    async with units() as uow:
        assert await uow.payments.add(payment)
        payment.invoice_id = invoice.id
        payment.allocate(an_id(), invoice.id, eur("30.00"), NOW)
        payment.leave_unapplied(eur("20.00"))
        await uow.payments.save(payment)
    async with units() as uow:
        got = await uow.payments.get(payment.id)
        assert await uow.payments.get(an_id()) is None
    assert got is not None
    assert (got.invoice_number, got.order_id) == ("INV-2026-000003", invoice.order_id)
    assert [(a.invoice_number, a.amount, a.position) for a in got.allocations] == [
        ("INV-2026-000003", eur("30.00"), 0)
    ]
    assert (got.amount, got.unapplied, got.allocated, got.fingerprint) == (
        eur("50.00"),
        eur("20.00"),
        eur("30.00"),
        "print-1",
    )


async def a_customers_reference_names_one_payment_received(units: Units) -> None:
    first = a_payment()
    async with units() as uow:
        assert await uow.payments.add(first)
        assert not await uow.payments.add(a_payment(fingerprint="print-2"))
        assert await uow.payments.add(a_payment(customer_id="C-2"))
        assert await uow.payments.add(a_payment(reference=""))
        assert await uow.payments.add(a_payment(reference=""))
        assert await uow.payments.add(a_payment(kind=CREDIT, fingerprint=None))
        assert await uow.payments.add(a_payment(fingerprint=None))  # recorded before the key
    async with units() as uow:
        found = await uow.payments.of_reference("C-1", "transfer 1")
    assert found.id == first.id


async def payments_are_unallocated_once(units: Units) -> None:
    invoice = an_invoice("INV-2026-000001")
    await added(units, invoice)
    payment = a_payment()
    async with units() as uow:
        await uow.payments.add(payment)
        payment.allocate(an_id(), invoice.id, eur("10.00"), NOW)
        payment.allocate(an_id(), invoice.id, eur("5.00"), NOW)
        await uow.payments.save(payment)
    ids = [a.id for a in payment.allocations]
    async with units() as uow:
        assert await uow.payments.lock_active(ids) == 2
        found = await uow.payments.get(payment.id)
        assert found is not None
        found.take_back(ids[:1], NOW + SECOND, "fiona")
        await uow.payments.save(found)
    async with units() as uow:
        assert await uow.payments.lock_active([*ids, an_id()]) == 1
        again = await uow.payments.get(payment.id)
    assert again is not None
    assert [(a.unallocated_at, a.unallocated_by) for a in again.allocations] == [
        (NOW + SECOND, "fiona"),
        (None, ""),
    ]
    assert again.allocated == eur("5.00")


async def payments_come_in_pages_newest_first(units: Units) -> None:
    invoice = an_invoice("INV-2026-000001")
    await added(units, invoice)
    made = [a_payment(reference=f"r{n}", at=NOW + n * SECOND) for n in range(4)]
    against = made[0]
    against.invoice_id = invoice.id
    made[2].allocate(an_id(), invoice.id, eur("1.00"), NOW)
    async with units() as uow:
        for payment in [*made, a_payment("C-2", at=NOW + 9 * SECOND)]:
            await uow.payments.add(payment)
    async with units() as uow:
        first = await uow.payments.page("", "C-1", None, 3)
        last = first[-1]
        rest = await uow.payments.page("", "C-1", (last.recorded_at, last.id), 3)
        of_invoice = await uow.payments.page(invoice.id, "", None, 10)
    assert [p.id for p in first + rest] == [p.id for p in reversed(made)]
    assert [p.id for p in of_invoice] == [made[2].id, made[0].id]


# Order copies and returns ---------------------------------------------------------------------


async def an_order_is_copied_once_with_its_document(units: Units) -> None:
    order, whole = an_order(), an_order("C-2", document=True)
    async with units() as uow:
        assert await uow.orders.add(order)
        assert await uow.orders.add(whole)
        assert not await uow.orders.add(replace(order, customer_id="C-9"))
    async with units() as uow:
        got = await uow.orders.get(order.order_id)
        got_whole = await uow.orders.get(whole.order_id, lock=True)
        assert await uow.orders.get(an_id()) is None
    assert got == order
    assert got_whole == whole
    assert got_whole is not None
    assert got_whole.document == whole.document


async def an_order_copy_keeps_its_cancellation_and_counts(units: Units) -> None:
    order = an_order()
    first, second = list(order.lines)
    async with units() as uow:
        await uow.orders.add(order)
    async with units() as uow:
        copy = await uow.orders.get(order.order_id, lock=True)
        assert copy is not None
        assert copy.cancel()
        copy.count(Shipment(an_id(), order.order_id, ((first, 4),)))
        copy.parts_returned({second: 2})
        await uow.orders.save(copy)
    async with units() as uow:
        saved = await uow.orders.get(order.order_id)
    assert saved is not None
    assert saved.cancelled
    assert not saved.cancel()
    counts = {i: (x.shipped, x.returned) for i, x in saved.lines.items()}
    assert counts == {first: (4, 0), second: (0, 2)}


async def an_order_copy_keeps_its_lines_and_document_as_changed(units: Units) -> None:
    order = replace(an_order(document=True), quote_id="")
    first, _gone = list(order.lines)
    async with units() as uow:
        await uow.orders.add(order)
    async with units() as uow:
        copy = await uow.orders.get(order.order_id, lock=True)
        assert copy is not None
        copy.count(Shipment(an_id(), order.order_id, ((first, 2),)))
        await uow.orders.save(copy)
    changed = quoted(a_priced_document("EUR"))
    added = OrderLine(an_id(), "p3", "SKU-3", 6, eur("1.25"))
    async with units() as uow:
        copy = await uow.orders.get(order.order_id, lock=True)
        assert copy is not None
        # The first line down to 5 units, the second gone, a third new; a new document.
        copy.change_lines([replace(copy.lines[first], quantity=5), added], changed)
        await uow.orders.save(copy)
    async with units() as uow:
        saved = await uow.orders.get(order.order_id)
    assert saved is not None
    lines = {i: (x.quantity, x.shipped, x.unit_price) for i, x in saved.lines.items()}
    assert lines == {first: (5, 2, eur("12.50")), added.line_id: (6, 0, eur("1.25"))}
    assert saved.document is not None
    assert saved.document.content == changed.content


async def shipments_wait_for_their_order_once_and_are_counted_once(units: Units) -> None:
    order_id = an_id()
    early = Shipment(an_id(), order_id, (("l1", 2), ("l2", 1)))
    async with units() as uow:
        await uow.orders.park(early)
        await uow.orders.park(early)
        await uow.orders.park(Shipment(an_id(), an_id(), (("l1", 1),)))
        assert await uow.orders.count(early)
        assert not await uow.orders.count(early)
    async with units() as uow:
        assert await uow.orders.unpark(order_id) == [early]
        assert await uow.orders.unpark(order_id) == []


async def returns_are_received_once_and_wait_in_the_order_they_came(units: Units) -> None:
    order_id = an_id()
    backs = [Return(an_id(), order_id, ((f"l{n}", n + 1),)) for n in range(3)]
    async with units() as uow:
        for back in backs:
            assert await uow.returns.claim(back)
        assert not await uow.returns.claim(backs[0])
        await uow.returns.claim(Return(an_id(), an_id(), (("l1", 1),)))
        await uow.returns.settle(backs[1].return_id, DONE, "")
    async with units() as uow:
        assert await uow.returns.waiting(order_id) == [backs[0], backs[2]]
        await uow.returns.settle_waiting(order_id, "nothing_to_credit", "cancelled")
        assert await uow.returns.waiting(order_id) == []
    assert PENDING == "pending"


# Customers ------------------------------------------------------------------------------------


async def a_customer_is_kept_as_last_told(units: Units) -> None:
    async with units() as uow:
        await uow.customers.keep(Customer("C-1", "Acme", "net 14"))
        address = {"line1": "Żółta 5", "city": "Łódź", "postal_code": "90-001", "country": "PL"}
        await uow.customers.keep(Customer("C-1", "Acme Ltd", "net 30", "PL1", address))
    async with units() as uow:
        assert await uow.customers.get("C-1") == Customer(
            "C-1", "Acme Ltd", "net 30", "PL1", address
        )
        assert await uow.customers.get("C-2") is None


async def balances_and_credit_add_up_per_currency(units: Units) -> None:
    async with units() as uow:
        assert await uow.accounts.move_balance("C-1", eur("37.50")) == eur("37.50")
        assert await uow.accounts.move_balance("C-1", eur("-10")) == eur("27.50")
        await uow.accounts.move_balance("C-1", Money(Decimal(5), "USD"))
        await uow.accounts.move_balance("C-2", eur("1"))
        assert await uow.accounts.credit("C-1", "EUR") == eur("0")
        assert await uow.accounts.move_credit("C-1", eur("4"), "payment", "p", NOW) == eur("4")
        assert await uow.accounts.move_credit("C-1", eur("-1.5"), "applied", "q", NOW) == eur(
            "2.50"
        )
    async with units() as uow:
        balances = await uow.accounts.balances("C-1")
        assert balances == [eur("27.50"), Money(Decimal(5), "USD")]
        assert str(balances[0].amount) == "27.500000"
        assert await uow.accounts.credit("C-1", "EUR") == eur("2.50")
        assert await uow.accounts.credits("C-1") == [eur("2.50")]
        assert await uow.accounts.credits("C-2") == []


# Payables -------------------------------------------------------------------------------------


def a_purchase_order(supplier_id: str = "S-1") -> PurchaseOrderCopy:
    lines = [
        IssuedLine("l1", "p1", "SKU-1", 10, "10.00", "EUR"),
        IssuedLine("l2", "p2", "SKU-2", 5, "4.00", "EUR"),
        IssuedLine("l3", "p1", "SKU-1", 2, "10.00", "EUR"),
    ]
    return PurchaseOrderCopy.issued(an_id(), "PO-2026-000001", supplier_id, "EUR", "net 30", lines)


def a_bill(order: PurchaseOrderCopy, reference: str, at: datetime = NOW) -> Bill:
    match = match_bill(
        "EUR", order.lines, {"p1": 12, "p2": 5}, {}, [LineIn("p1", 3, "10.00")], Tolerance()
    )
    bill, _ = Bill.record(an_id(), order, reference, match, None, recorded_at=at, recorded_by="f")
    return bill


async def a_purchase_order_is_copied_once_with_what_was_received(units: Units) -> None:
    order = a_purchase_order()
    async with units() as uow:
        assert await uow.purchase_orders.add(order)
        assert not await uow.purchase_orders.add(replace(order, supplier_id="S-9"))
        receipt = Receipt(an_id(), order.purchase_order_id, {"p1": 4, "p2": 1})
        await uow.purchase_orders.receive(receipt)
        await uow.purchase_orders.receive(replace(receipt, quantities={"p1": 40}))
        await uow.purchase_orders.receive(Receipt(an_id(), order.purchase_order_id, {"p1": 2}))
    async with units() as uow:
        got = await uow.purchase_orders.get(order.purchase_order_id, lock=True)
        assert await uow.purchase_orders.get(an_id()) is None
        received = await uow.purchase_orders.received(order.purchase_order_id)
    assert got == order
    assert [(x.quantity, x.position) for x in got.lines.values()] == [(12, 0), (5, 1)]
    assert received == {"p1": 6, "p2": 1}
    got.reduce({"p1": 6, "p9": 1})
    async with units() as uow:
        await uow.purchase_orders.cancel_units(got)
    async with units() as uow:
        reduced = await uow.purchase_orders.get(order.purchase_order_id)
    assert reduced is not None
    assert [(x.product_id, x.cancelled) for x in reduced.lines.values()] == [("p1", 6), ("p2", 0)]


async def a_bill_comes_back_with_its_purchase_order_number(units: Units) -> None:
    order = a_purchase_order()
    bill = a_bill(order, "R-1")
    async with units() as uow:
        await uow.purchase_orders.add(order)
        await uow.bills.add(bill)
    with pytest.raises(AlreadyExists):
        async with units() as uow:
            await uow.bills.add(a_bill(order, "R-1"))
    async with units() as uow:
        got = await uow.bills.get(bill.id, lock=True)
        assert await uow.bills.get(an_id()) is None
        assert await uow.bills.with_reference("S-1", "R-1") == bill.id
        assert await uow.bills.with_reference("S-2", "R-1") is None
        assert await uow.bills.billed(order.purchase_order_id) == {"p1": 3}
    assert got == replace(bill, purchase_order_number="PO-2026-000001")


async def bills_are_released_paid_and_found_payable(units: Units) -> None:
    order = a_purchase_order()
    bills = [a_bill(order, f"R-{n}", NOW + n * SECOND) for n in range(3)]
    held = bills[2]
    dual = DualControl(eur("1"))
    held, _ = Bill.record(
        held.id, order, "R-2", Match(held.lines, held.total), dual, recorded_at=held.recorded_at,
        recorded_by="f",
    )  # fmt: skip
    async with units() as uow:
        await uow.purchase_orders.add(order)
        for bill in [*bills[:2], held]:
            await uow.bills.add(bill)
    async with units() as uow:
        payable = await uow.bills.payable_of("S-1", "EUR")
        assert list(payable) == sorted(b.id for b in bills[:2])
        paid = payable[bills[0].id]
        paid.pay(paid.total)
        await uow.bills.save(paid)
        found = await uow.bills.get(held.id)
        assert found is not None
        found.release("gina", " ok ", NOW)
        await uow.bills.save(found)
    async with units() as uow:
        locked = await uow.bills.locked([held.id, bills[0].id, an_id()])
        assert list(locked) == sorted([held.id, bills[0].id])
        assert locked[bills[0].id].status == PAID
        assert (locked[held.id].released_by, locked[held.id].release_note) == ("gina", "ok")
        first = await uow.bills.page("", "S-1", "", None, 2)
        rest = await uow.bills.page("", "S-1", "", (first[-1].recorded_at, first[-1].id), 2)
        assert [b.id for b in first + rest] == [held.id, bills[1].id, bills[0].id]
        assert [b.id for b in await uow.bills.page("", "", PAID, None, 9)] == [bills[0].id]


async def a_payment_sent_comes_back_with_its_bills_references(units: Units) -> None:
    order = a_purchase_order()
    bill = a_bill(order, "R-1")
    payments = [
        SupplierPayment(
            an_id(), "S-1", eur("50"), f"wire {n}", TODAY, eur("20"), NOW + n * SECOND, "f"
        )
        for n in range(2)
    ]
    payments[1].allocate(bill.id, eur("30"), NOW)
    async with units() as uow:
        await uow.purchase_orders.add(order)
        await uow.bills.add(bill)
        for payment in payments:
            await uow.supplier_payments.add(payment)
    async with units() as uow:
        got = await uow.supplier_payments.get(payments[1].id)
        assert await uow.supplier_payments.get(an_id()) is None
        newest = await uow.supplier_payments.page("S-1", "", None, 1)
        after = (newest[0].recorded_at, newest[0].id)
        older = await uow.supplier_payments.page("S-1", "", after, 5)
        of_bill = await uow.supplier_payments.page("", bill.id, None, 5)
    assert got is not None
    assert [(a.bill_id, a.supplier_reference, a.amount) for a in got.allocations] == [
        (bill.id, "R-1", eur("30"))
    ]
    assert [p.id for p in newest + older] == [payments[1].id, payments[0].id]
    assert [p.id for p in of_bill] == [payments[1].id]
    async with units() as uow:
        payment = await uow.supplier_payments.locked(payments[0].id)
        assert payment is not None
        share = payment.apply_advance(bill.id, eur("5"), NOW + 3 * SECOND)
        await uow.supplier_payments.apply(payment, share)
    async with units() as uow:
        applied = await uow.supplier_payments.get(payments[0].id)
    assert applied is not None
    assert applied.unapplied == eur("15")
    assert [(a.bill_id, a.amount) for a in applied.allocations] == [(bill.id, eur("5"))]


async def exchange_rates_are_kept_per_pair_and_day(units: Units) -> None:
    def a_rate(day: date, rate: str, base: str = "USD") -> SetRate:
        return SetRate(Rate(base, "EUR", Decimal(rate), day), NOW, "fiona")

    monday, friday = date(2026, 3, 2), date(2026, 3, 6)
    async with units() as uow:
        await uow.rates.put(a_rate(monday, "0.92"))
        await uow.rates.put(a_rate(friday, "0.95"))
        await uow.rates.put(a_rate(friday, "0.9"))  # replaces Friday's
        await uow.rates.put(a_rate(monday, "1.1", base="CHF"))
    async with units() as uow:
        got = await uow.rates.get("USD", "EUR", friday)
        assert got is not None
        assert got.rate.rate == Decimal("0.9")
        assert got.set_by == "fiona"
        assert await uow.rates.get("USD", "EUR", date(2026, 3, 3)) is None
        assert await uow.rates.rate_on("USD", "EUR", date(2026, 3, 5)) == Decimal("0.92")
        assert await uow.rates.rate_on("USD", "EUR", date(2026, 4, 1)) == Decimal("0.9")
        assert await uow.rates.rate_on("USD", "EUR", date(2026, 3, 1)) is None
        first = await uow.rates.page("", "", None, 2)
        last = first[-1].rate
        rest = await uow.rates.page("", "", (last.effective_from, last.base, last.quote), 5)
        only = await uow.rates.page("CHF", "", None, 5)
    assert [(r.rate.base, r.rate.effective_from) for r in first + rest] == [
        ("USD", friday),
        ("USD", monday),
        ("CHF", monday),
    ]
    assert [r.rate.base for r in only] == ["CHF"]


# Reports --------------------------------------------------------------------------------------


async def receivables_are_read_as_of_an_instant(units: Units) -> None:
    end = NOW + timedelta(hours=1)
    order = an_order(channel="shop")
    invoice = an_invoice("INV-2026-000001", order_id=order.order_id, due=date(2026, 2, 1))
    later = an_invoice("INV-2026-000002", issued_at=end + SECOND)
    other = an_invoice("INV-2026-000003", customer_id="C-2")
    payment = a_payment()
    payment.allocate(an_id(), invoice.id, eur("10.00"), NOW)
    payment.allocate(an_id(), invoice.id, eur("5.00"), NOW)
    payment.take_back([payment.allocations[1].id], end + SECOND, "fiona")
    taken_back = a_payment(reference="r2")
    taken_back.allocate(an_id(), invoice.id, eur("7.00"), NOW)
    taken_back.take_back([taken_back.allocations[0].id], NOW + SECOND, "fiona")
    note = replace(a_credit_note("CN-2026-000001", invoice, "12.50"), unapplied=eur("2.50"))
    await added(units, invoice, later, other)
    async with units() as uow:
        await uow.orders.add(order)
        for made in (payment, taken_back):
            await uow.payments.add(made)
        await uow.credit_notes.add(note)
        await uow.accounts.move_credit("C-1", eur("4"), "payment", "p", NOW)
        await uow.accounts.move_credit("C-1", eur("1"), "payment", "q", end + SECOND)
    async with units() as uow:
        items, credits = await uow.ledger.receivables(end, "C-1")
        every, _ = await uow.ledger.receivables(end, "")
    # 37.50 - (10.00 + 5.00 still in force then) - (12.50 - 2.50 applied)
    assert items == [AgedItem("C-1", date(2026, 2, 1), eur("12.50"))]
    assert credits == {("C-1", "EUR"): eur("4.00")}
    assert sorted(i.party_id for i in every) == ["C-1", "C-2"]


async def payables_are_read_as_of_an_instant(units: Units) -> None:
    end = NOW + timedelta(hours=1)
    order = a_purchase_order()
    bill, later = a_bill(order, "R-1"), a_bill(order, "R-2", end + SECOND)
    paid = SupplierPayment(an_id(), "S-1", eur("25"), "w", TODAY, eur("5"), NOW, "f")
    paid.allocate(bill.id, eur("20"), NOW)
    after = SupplierPayment(an_id(), "S-1", eur("3"), "w2", TODAY, eur("3"), end + SECOND, "f")
    async with units() as uow:
        await uow.purchase_orders.add(order)
        await uow.bills.add(bill)
        await uow.bills.add(later)
        await uow.supplier_payments.add(paid)
        await uow.supplier_payments.add(after)
    async with units() as uow:
        items, advances = await uow.ledger.payables(end, "S-1")
        none, _ = await uow.ledger.payables(end, "S-2")
    assert items == [AgedItem("S-1", bill.due_date, eur("10.00"))]
    assert advances == {("S-1", "EUR"): eur("5.00")}
    assert none == []


async def revenue_is_read_by_channel(units: Units) -> None:
    start, end = NOW - timedelta(days=1), NOW + timedelta(days=1)
    order = an_order(channel="shop")
    sold = an_invoice("INV-2026-000001", order_id=order.order_id)
    quote = an_invoice("INV-2026-000002")
    outside = an_invoice("INV-2026-000003", issued_at=end)
    await added(units, sold, quote, outside)
    async with units() as uow:
        await uow.orders.add(order)
        await uow.credit_notes.add(a_credit_note("CN-2026-000001", sold, "2.50"))
        await uow.credit_notes.add(a_credit_note("CN-2026-000002", None, "1.00"))
    async with units() as uow:
        entries = await uow.ledger.revenue(start, end)
    assert sorted(entries, key=lambda e: (e.credit, e.channel)) == [
        Entry(TODAY, QUOTE, eur("37.50")),
        Entry(TODAY, "shop", eur("37.50")),
        # A credit note's tax is what its lines credited (as stated per code and rate).
        Entry(TODAY, "shop", eur("2.50"), credit=True, tax=Decimal("1.99")),
        Entry(TODAY, UNASSIGNED, eur("1.00"), credit=True),
    ]


# Requests, numbers, transactions --------------------------------------------------------------


async def a_request_is_done_once(units: Units) -> None:
    retry = Retry("req-1", "print-1")
    async with units() as uow:
        assert await uow.requests.claim("record_payment", retry) is None
        await uow.requests.complete("record_payment", retry, "payment-1")
        assert await uow.requests.claim("record_payment", Retry()) is None
    async with units() as uow:
        assert await uow.requests.claim("record_payment", retry) == "payment-1"
        assert await uow.requests.claim("record_bill", retry) is None
    with pytest.raises(AlreadyExists):
        async with units() as uow:
            await uow.requests.claim("record_payment", Retry("req-1", "print-2"))


async def numbers_have_no_gaps_per_series_and_year(units: Units) -> None:
    async with units() as uow:
        assert [await uow.numbers.next(INVOICES, 2026) for _ in range(3)] == [1, 2, 3]
        assert await uow.numbers.next(CREDIT_NOTES, 2026) == 1
        assert await uow.numbers.next(INVOICES, 2027) == 1
    with pytest.raises(RuntimeError):  # noqa: PT012 - the unit of work is what fails
        async with units() as uow:
            assert await uow.numbers.next(INVOICES, 2026) == 4
            raise RuntimeError("rolled back")
    async with units() as uow:
        assert await uow.numbers.next(INVOICES, 2026) == 4


async def a_unit_of_work_that_fails_changes_nothing(units: Units) -> None:
    invoice = an_invoice("INV-2026-000001")
    with pytest.raises(RuntimeError):  # noqa: PT012 - the unit of work is what fails
        async with units() as uow:
            await uow.invoices.add(invoice)
            await uow.customers.keep(Customer("C-1", "Acme", ""))
            raise RuntimeError("rolled back")
    async with units() as uow:
        assert await uow.invoices.get(invoice.id) is None
        assert await uow.customers.get("C-1") is None


EVERY_CHECK: list[Check] = [
    an_invoice_comes_back_as_it_was_added,
    one_shipment_or_quote_is_invoiced_once,
    invoices_are_found_by_order_and_customer_in_number_order,
    saving_keeps_an_invoices_money_and_its_lines_returns,
    invoices_fall_overdue_once_oldest_due_first,
    invoices_come_in_pages_newest_first,
    a_credit_note_comes_back_with_its_invoice_number,
    credit_notes_come_in_pages_newest_first,
    a_payment_comes_back_with_where_its_money_went,
    a_customers_reference_names_one_payment_received,
    payments_are_unallocated_once,
    payments_come_in_pages_newest_first,
    an_order_is_copied_once_with_its_document,
    an_order_copy_keeps_its_cancellation_and_counts,
    an_order_copy_keeps_its_lines_and_document_as_changed,
    shipments_wait_for_their_order_once_and_are_counted_once,
    returns_are_received_once_and_wait_in_the_order_they_came,
    a_customer_is_kept_as_last_told,
    balances_and_credit_add_up_per_currency,
    a_purchase_order_is_copied_once_with_what_was_received,
    a_bill_comes_back_with_its_purchase_order_number,
    bills_are_released_paid_and_found_payable,
    a_payment_sent_comes_back_with_its_bills_references,
    exchange_rates_are_kept_per_pair_and_day,
    receivables_are_read_as_of_an_instant,
    payables_are_read_as_of_an_instant,
    revenue_is_read_by_channel,
    a_request_is_done_once,
    numbers_have_no_gaps_per_series_and_year,
    a_unit_of_work_that_fails_changes_nothing,
]
