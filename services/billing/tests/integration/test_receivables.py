"""Receivables against the real broker and database: customer payments over several invoices,
customer credit, unallocation, adjustment credit notes, ageing, overdue invoices, revenue, PDFs."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import grpc
import pytest

from oms.billing.v1 import billing_pb2 as pb
from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import quoting_pb2
from oms.types.v1.types_pb2 import Money
from printing.pdf import page_text
from services.billing.tests.integration.conftest import FINANCE, Billing, eur, refused
from testkit.documents import a_priced_document

TODAY = datetime.now(UTC).date()


def pay(customer_id: str, amount: str, *allocations: tuple[str, str], **kw: str):  # type: ignore[no-untyped-def]
    return pb.RecordCustomerPaymentRequest(
        customer_id=customer_id,
        amount=eur(amount),
        reference=kw.get("reference", f"transfer {uuid.uuid4().hex[:8]}"),  # each its own
        received_on=kw.get("received_on", ""),
        allocations=[pb.AllocationRequest(invoice_id=i, amount=eur(a)) for i, a in allocations],
    )


def kinds(found: list) -> list[str]:  # type: ignore[type-arg]
    return [type(m).__name__ for _, m in found]


async def test_a_payment_spread_over_invoices_leaves_its_rest_as_credit_to_apply_or_take_back(
    service: Billing,
) -> None:
    stub = service.stub
    async with service.log() as log:
        first = await service.invoice("C-R1", quantity=3)  # 37.50
        second = await service.invoice("C-R1", quantity=2)  # 25.00
        await log.wait_for("C-R1", count=2)

        # One allocation too many refuses the whole payment, and nothing changes.
        assert await refused(
            stub.RecordCustomerPayment(
                pay("C-R1", "100.00", (second.id, "25.00"), (first.id, "37.51")), metadata=FINANCE
            )
        ) == {"allocations[1].amount": "exceeds the invoice's open amount of 37.50 EUR"}
        assert await refused(
            stub.RecordCustomerPayment(
                pay("C-R1", "50.00", (second.id, "25.00"), (first.id, "30.00")), metadata=FINANCE
            )
        ) == {"allocations": "allocate 55.00 EUR in all, more than the payment of 50.00 EUR"}
        assert (await service.get(second.id)).balance.amount == "25.00"
        assert not (await stub.ListPayments(pb.ListPaymentsRequest(customer_id="C-R1"))).payments

        reply = await stub.RecordCustomerPayment(
            pay("C-R1", "70.00", (second.id, "25.00"), (first.id, "30.00")), metadata=FINANCE
        )
        payment = reply.payment
        assert (payment.kind, payment.allocated.amount, payment.unapplied.amount) == (
            "received",
            "55.00",
            "15.00",
        )
        assert [(a.invoice_number, a.amount.amount) for a in payment.allocations] == [
            (second.number, "25.00"),
            (first.number, "30.00"),
        ]
        assert ((await service.get(first.id)).status, (await service.get(second.id)).status) == (
            "partially_paid",
            "paid",
        )
        assert await service.customer("C-R1") == (["7.50"], ["15.00"])
        found = await log.wait_for(second.order_id, count=3)
        assert kinds(found) == ["InvoiceIssued", "PaymentReceived", "InvoicePaid"]
        assert found[1][1].payment_id == payment.id  # type: ignore[attr-defined]

        # Credit pays the rest of the first invoice; no more than there is.
        assert await refused(
            stub.ApplyCustomerCredit(
                pb.ApplyCustomerCreditRequest(
                    customer_id="C-R1", invoice_id=first.id, amount=eur("7.51")
                ),
                metadata=FINANCE,
            )
        ) == {"amount": "exceeds the invoice's balance of 7.50 EUR"}
        assert await refused(
            stub.ApplyCustomerCredit(
                pb.ApplyCustomerCreditRequest(customer_id="C-9", invoice_id=first.id),
                metadata=FINANCE,
            )
        ) == {"invoice_id": f"invoice {first.number} is not customer C-9's"}
        applied = (
            await stub.ApplyCustomerCredit(
                pb.ApplyCustomerCreditRequest(customer_id="C-R1", invoice_id=first.id),
                metadata=FINANCE,
            )
        ).payment
        assert (applied.kind, applied.amount.amount, applied.invoice_id) == (
            "credit",
            "7.50",
            first.id,
        )
        assert (await service.get(first.id)).status == "paid"
        assert await service.customer("C-R1") == (["0.00"], ["7.50"])
        found = await log.wait_for(first.order_id, count=4)
        assert kinds(found)[-2:] == ["PaymentReceived", "InvoicePaid"]

        # Taking the payment's share of the second invoice back reopens it; its amount is credit.
        (to_second,) = [a for a in payment.allocations if a.invoice_id == second.id]
        after = (
            await stub.UnallocatePayment(
                pb.UnallocatePaymentRequest(payment_id=payment.id, allocation_id=to_second.id),
                metadata=FINANCE,
            )
        ).payment
        assert after.allocated.amount == "30.00"
        assert [a.HasField("unallocated_at") for a in after.allocations] == [True, False]
        assert [a.unallocated_by for a in after.allocations] == ["fiona", ""]
        reopened = await service.get(second.id)
        assert (reopened.status, reopened.balance.amount, reopened.amount_paid.amount) == (
            "open",
            "25.00",
            "0.00",
        )
        assert await service.customer("C-R1") == (["25.00"], ["32.50"])
        assert await refused(
            stub.UnallocatePayment(
                pb.UnallocatePaymentRequest(payment_id=payment.id, allocation_id=to_second.id)
            )
        ) == {"allocation_id": f"no active allocation {to_second.id} of this payment"}
        await log.wait_for("C-R1", count=5)
    assert [
        m.open_balance.amount
        for _, m in log.seen
        if isinstance(m, events.CustomerBalanceChanged) and m.customer_id == "C-R1"
    ] == ["37.50", "62.50", "7.50", "0.00", "25.00"]
    listed = await stub.ListPayments(pb.ListPaymentsRequest(invoice_id=second.id))
    assert [p.id for p in listed.payments] == [payment.id]


async def test_without_allocations_a_payment_pays_the_oldest_due_invoices_first(
    service: Billing,
) -> None:
    later = await service.invoice("C-R2", quantity=2)  # 25.00
    sooner = await service.invoice("C-R2", quantity=4)  # 50.00
    other = await service.invoice("C-R2", quantity=1)  # 12.50
    await service.due(later.id, TODAY + timedelta(days=20))
    await service.due(sooner.id, TODAY - timedelta(days=5))
    await service.due(other.id, TODAY + timedelta(days=40))
    payment = (
        await service.stub.RecordCustomerPayment(pay("C-R2", "60.00"), metadata=FINANCE)
    ).payment
    assert [(a.invoice_id, a.amount.amount) for a in payment.allocations] == [
        (sooner.id, "50.00"),
        (later.id, "10.00"),
    ]
    assert payment.unapplied.amount == "0.00"
    # More than everything open: the rest is credit.
    payment = (
        await service.stub.RecordCustomerPayment(pay("C-R2", "40.00"), metadata=FINANCE)
    ).payment
    assert [(a.invoice_id, a.amount.amount) for a in payment.allocations] == [
        (later.id, "15.00"),
        (other.id, "12.50"),
    ]
    assert payment.unapplied.amount == "12.50"
    assert await service.customer("C-R2") == (["0.00"], ["12.50"])
    # Unallocating all of a payment at once.
    back = (
        await service.stub.UnallocatePayment(pb.UnallocatePaymentRequest(payment_id=payment.id))
    ).payment
    assert back.allocated.amount == "0.00"
    assert await service.customer("C-R2") == (["27.50"], ["40.00"])
    assert (
        await refused(
            service.stub.UnallocatePayment(pb.UnallocatePaymentRequest(payment_id=payment.id)),
            grpc.StatusCode.FAILED_PRECONDITION,
        )
        == {}
    )


async def test_bad_payment_fields_are_refused_all_at_once(service: Billing) -> None:
    assert await refused(
        service.stub.RecordCustomerPayment(
            pb.RecordCustomerPaymentRequest(
                amount=Money(amount="-1", currency="XXX"),
                received_on=(TODAY + timedelta(days=3)).isoformat(),
                allocations=[pb.AllocationRequest(invoice_id="x", amount=eur("1e2"))],
            )
        )
    ) == {
        "customer_id": "required, at most 100 characters",
        "amount": "must be more than zero",
        "amount.currency": "unknown currency 'XXX' (ISO 4217 code expected)",
        "received_on": "cannot be in the future",
        "allocations[0].amount": "'1e2' is not a plain decimal amount",
    }


async def test_credit_notes_for_part_of_an_invoice_or_a_free_amount(service: Billing) -> None:
    stub = service.stub
    invoice = await service.invoice("C-R3", quantity=3)  # 37.50
    await stub.RecordPayment(
        pb.RecordPaymentRequest(invoice_id=invoice.id, amount=eur("30.00")), metadata=FINANCE
    )

    def note(amount: Money, invoice_id: str = invoice.id, memo: str = "damaged box", **kw: str):  # type: ignore[no-untyped-def]
        return stub.IssueCreditNote(
            pb.IssueCreditNoteRequest(invoice_id=invoice_id, amount=amount, memo=memo, **kw),
            metadata=FINANCE,
        )

    async with service.log() as log:
        assert await refused(note(Money(amount="5", currency="USD"), memo="")) == {
            "amount.currency": "must be the invoice's currency, EUR",
            "memo": "required, at most 500 characters",
        }
        assert await refused(note(eur("37.51"))) == {
            "amount": "exceeds what no credit note credited yet of the invoice, 37.50 EUR"
        }
        part = (await note(eur("10.00"))).credit_note
        year = datetime.now(UTC).year
        assert (part.number, part.reason, part.memo, part.total.amount, part.unapplied.amount) == (
            f"CN-{year}-000001",
            "adjustment",
            "damaged box",
            "10.00",
            "2.50",
        )
        paid = await service.get(invoice.id)
        assert (paid.status, paid.amount_credited.amount, paid.balance.amount) == (
            "paid",
            "7.50",
            "0.00",
        )
        assert await service.customer("C-R3") == (["0.00"], ["2.50"])
        assert await refused(note(eur("27.51"))) == {
            "amount": "exceeds what no credit note credited yet of the invoice, 27.50 EUR"
        }
        free = (
            await note(eur("15"), invoice_id="", memo="goodwill", customer_id="C-R3")
        ).credit_note
        assert (free.number, free.invoice_id, free.total.amount, free.unapplied.amount) == (
            f"CN-{year}-000002",
            "",
            "15.00",
            "15.00",
        )
        assert await service.customer("C-R3") == (["0.00"], ["17.50"])
        assert await refused(note(eur("1"), invoice_id="")) == {
            "customer_id": "required (at most 100 characters) without an invoice_id"
        }
        # The partial note's balance change, and the free note: keyed by its customer.
        found = await log.wait_for("C-R3", count=2)
        (issued,) = [m for _, m in found if isinstance(m, events.CreditNoteIssued)]
        assert (issued.number, issued.invoice_id, issued.reason) == (
            free.number,
            "",
            "adjustment",
        )
    listed = await stub.ListCreditNotes(pb.ListCreditNotesRequest(customer_id="C-R3"))
    assert [n.number for n in listed.credit_notes] == [free.number, part.number]  # newest first

    rendered = await stub.RenderCreditNote(pb.RenderCreditNoteRequest(credit_note_id=free.id))
    assert rendered.filename == f"credit-note-{free.number}.pdf"
    assert b"goodwill" in page_text(rendered.pdf)
    rendered = await stub.RenderInvoice(pb.RenderInvoiceRequest(invoice_id=invoice.id))
    assert rendered.filename == f"invoice-{invoice.number}.pdf"
    pages = page_text(rendered.pdf)
    assert f"Invoice {invoice.number}".encode() in pages
    assert b"37.50 EUR" in pages
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stub.RenderInvoice(pb.RenderInvoiceRequest(invoice_id="nope"))
    assert error.value.code() == grpc.StatusCode.NOT_FOUND


async def test_ar_ageing_totals_are_the_open_invoices_as_of_the_day_asked(
    service: Billing,
) -> None:
    stub = service.stub
    invoices = {
        days: await service.invoice(customer, quantity=quantity)
        for days, customer, quantity in [
            (-5, "C-A1", 1),  # current: due in 5 days
            (10, "C-A1", 2),  # 1-30
            (45, "C-A2", 3),  # 31-60
            (75, "C-A2", 4),  # 61-90
            (120, "C-A1", 5),  # over 90
        ]
    }
    for days, invoice in invoices.items():
        await service.due(invoice.id, TODAY - timedelta(days=days))
        # Issued a week before its due date, so "as of" a past day can see it.
        await service.sql(
            "UPDATE invoices SET issued_at = :at WHERE id = :id",
            at=datetime.combine(TODAY - timedelta(days=days + 7), datetime.min.time(), UTC),
            id=invoice.id,
        )
    await stub.RecordPayment(
        pb.RecordPaymentRequest(invoice_id=invoices[45].id, amount=eur("7.50")), metadata=FINANCE
    )
    await stub.RecordCustomerPayment(pay("C-A1", "100.00", (invoices[10].id, "5.00")))

    report = await stub.GetArAging(pb.GetArAgingRequest())
    assert report.as_of == TODAY.isoformat()
    lines = {(x.party_id, x.currency): x for x in report.customers}
    a1, a2 = lines[("C-A1", "EUR")], lines[("C-A2", "EUR")]
    assert (
        a1.buckets.current.amount,
        a1.buckets.days_1_30.amount,
        a1.buckets.days_over_90.amount,
        a1.buckets.total.amount,
        a1.credit.amount,
        a1.documents,
    ) == ("12.50", "20.00", "62.50", "95.00", "95.00", 3)
    assert (a2.buckets.days_31_60.amount, a2.buckets.days_61_90.amount) == ("30.00", "50.00")
    (total,) = report.totals
    everything = await stub.ListInvoices(pb.ListInvoicesRequest())
    open_total = sum(Decimal(i.balance.amount) for i in everything.invoices)
    assert Decimal(total.buckets.total.amount) == open_total == Decimal("175.00")
    buckets = total.buckets
    assert sum(
        Decimal(m.amount)
        for m in (
            buckets.current,
            buckets.days_1_30,
            buckets.days_31_60,
            buckets.days_61_90,
            buckets.days_over_90,
        )
    ) == Decimal(buckets.total.amount)
    assert total.credit.amount == "95.00"

    # As of yesterday nothing had been paid yet and there was no credit.
    yesterday = await stub.GetArAging(
        pb.GetArAgingRequest(as_of=(TODAY - timedelta(days=1)).isoformat(), customer_id="C-A1")
    )
    (line,) = yesterday.customers
    assert (line.buckets.total.amount, line.credit.amount) == ("100.00", "0.00")
    # Before any invoice was issued: nothing.
    long_ago = await stub.GetArAging(
        pb.GetArAgingRequest(as_of=(TODAY - timedelta(days=200)).isoformat())
    )
    assert (list(long_ago.customers), list(long_ago.totals)) == ([], [])
    assert await refused(stub.GetArAging(pb.GetArAgingRequest(as_of="31.03.2026"))) == {
        "as_of": "a date as YYYY-MM-DD"
    }


async def test_an_invoice_past_its_due_date_unpaid_is_published_overdue_once(
    service: Billing,
) -> None:
    async with service.log() as log:
        late = await service.invoice("C-O1", quantity=2)
        paid = await service.invoice("C-O1", quantity=1)
        due_today = await service.invoice("C-O1", quantity=1)
        await service.stub.RecordPayment(
            pb.RecordPaymentRequest(invoice_id=paid.id, amount=eur("12.50")), metadata=FINANCE
        )
        await service.stub.RecordPayment(
            pb.RecordPaymentRequest(invoice_id=late.id, amount=eur("5.00")), metadata=FINANCE
        )
        await service.due(paid.id, TODAY - timedelta(days=3))
        await service.due(due_today.id, TODAY)
        await service.due(late.id, TODAY - timedelta(days=3))

        async def overdue(seconds: float) -> list[events.InvoiceOverdue]:
            """What was published overdue so far, reading the log for `seconds`."""
            with contextlib.suppress(AssertionError):
                await log.wait_for("C-O1", count=10_000, seconds=seconds)
            return [m for _, m in log.seen if isinstance(m, events.InvoiceOverdue)]

        for _ in range(100):
            if await overdue(0.3):
                break
        # The loop runs every 0.3 s: it must not publish it again.
        found = await overdue(2.0)
    (event,) = found
    assert (event.invoice_id, event.number, event.due_date, event.balance.amount) == (
        late.id,
        late.number,
        (TODAY - timedelta(days=3)).isoformat(),
        "20.00",
    )
    assert event.order_id == late.order_id


async def test_revenue_per_month_by_channel_net_of_credit_notes(service: Billing) -> None:
    stub = service.stub
    shop = await service.invoice("C-V1", quantity=4, channel="woocommerce")  # 50.00
    await service.invoice("C-V1", quantity=2, channel="woocommerce")  # 25.00
    await service.invoice("C-V2", quantity=1)  # 12.50, no channel: direct
    document = a_priced_document()
    accepted = quoting_pb2.QuoteAccepted(
        quote_id=str(uuid.uuid4()),
        customer_id="C-V3",
        convert_to="invoice",
        target_id=str(uuid.uuid4()),
        document=document,
    )
    await service.send(accepted, key=accepted.quote_id)

    async def quoted() -> bool:
        try:
            await service.get(accepted.target_id)
        except grpc.aio.AioRpcError:
            return False
        return True

    await service.eventually(quoted)
    await stub.IssueCreditNote(
        pb.IssueCreditNoteRequest(invoice_id=shop.id, amount=eur("10.00"), memo="scratched"),
        metadata=FINANCE,
    )
    await stub.IssueCreditNote(
        pb.IssueCreditNoteRequest(customer_id="C-V2", amount=eur("1.00"), memo="goodwill"),
        metadata=FINANCE,
    )
    today = TODAY.isoformat()
    report = await stub.GetRevenueReport(
        pb.GetRevenueReportRequest(from_date=today, to_date=today, group_by="channel")
    )
    period = f"{TODAY.year:04d}-{TODAY.month:02d}"
    assert [
        (r.period, r.channel, r.invoiced.amount, r.credited.amount, r.net.amount, r.invoices)
        for r in report.rows
    ] == [
        (period, "direct", "12.50", "0.00", "12.50", 1),
        (period, "quote", document.breakdown.total, "0.00", document.breakdown.total, 1),
        (period, "unassigned", "0.00", "1.00", "-1.00", 0),
        (period, "woocommerce", "75.00", "10.00", "65.00", 2),
    ]
    whole = await stub.GetRevenueReport(pb.GetRevenueReportRequest(to_date=today))
    (row,) = whole.rows
    expected = Decimal("87.50") + Decimal(document.breakdown.total) - Decimal("11.00")
    assert (row.channel, Decimal(row.net.amount)) == ("all", expected)
    assert [(t.channel, Decimal(t.net.amount)) for t in whole.totals] == [("all", expected)]
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    empty = await stub.GetRevenueReport(
        pb.GetRevenueReportRequest(from_date=yesterday, to_date=yesterday)
    )
    assert list(empty.rows) == []
    assert await refused(
        stub.GetRevenueReport(
            pb.GetRevenueReportRequest(from_date=today, to_date=yesterday, group_by="customer")
        )
    ) == {"group_by": '"channel" or empty', "to_date": f"is before from_date {today}"}
