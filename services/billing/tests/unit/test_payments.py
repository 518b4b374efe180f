"""Money received, on the fakes: against one invoice, spread over a customer's invoices, or -- the
one RPC for every payment -- all of it for one invoice named by `invoice_id`."""

from __future__ import annotations

import pytest

from billing.application.commands.record_customer_payment import (
    AllocationAsked,
    RecordCustomerPayment,
    record_customer_payment,
)
from billing.application.commands.record_payment import RecordPayment, record_payment
from billing.application.queries.customer_balance import customer_balance
from billing.application.queries.payments import get_payment, list_payments
from billing.application.retries import Retry
from billing.domain.events import CustomerBalanceChanged, InvoicePaid, PaymentReceived
from servicekit.errors import AlreadyExists, InvalidArgument, NotFound, ServiceError
from services.billing.tests.unit.builders import amount, amounts, as_user, eur, invoiced, of_kind
from services.billing.tests.unit.fakes import FakeBilling


def fields(error: ServiceError) -> dict[str, str]:
    return {v.field: v.description for v in error.violations}


async def refused(call: object) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as error:
        await call  # type: ignore[misc]
    return fields(error.value)


NO_RETRY = Retry()


def pay(invoice_id: str, value: str, reference: str = "", retry: Retry = NO_RETRY) -> RecordPayment:
    return RecordPayment(invoice_id, amount(value), reference, "2026-03-02", retry)


async def test_payments_take_an_invoice_to_paid_with_its_events_and_the_customers_balance() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing)
    with as_user():
        first = await record_payment(billing(), pay(invoice.id, "10", "transfer 1"))
        await record_payment(billing(), pay(invoice.id, "27.50", "transfer 2"))
    assert (str(first.amount.trimmed()), first.recorded_by, first.invoice_number) == (
        "10.00 EUR",
        "fiona",
        invoice.number,
    )
    assert amounts(of_kind(billing, PaymentReceived), "invoice_balance") == ["27.50", "0.00"]
    assert [e.invoice_id for e in of_kind(billing, InvoicePaid)] == [invoice.id]
    assert amounts(of_kind(billing, CustomerBalanceChanged), "open_balance") == [
        "37.50",
        "27.50",
        "0.00",
    ]
    paid = billing.state.invoices[invoice.id]
    assert (paid.status, paid.balance) == ("paid", eur("0.00"))
    recorded = [c for c in billing.changes if c.entity_type == "payment"]
    assert [(c.action, c.actor, c.after["amount"]) for c in recorded] == [
        ("recorded", "fiona", "10.00 EUR"),
        ("recorded", "fiona", "27.50 EUR"),
    ]


async def test_a_payment_against_an_invoice_is_refused_by_field() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing)
    with as_user():
        assert await refused(
            record_payment(billing(), RecordPayment(invoice.id, amount("10", "USD")))
        ) == {"amount.currency": "must be the invoice's currency, EUR"}
        assert await refused(record_payment(billing(), pay(invoice.id, "37.51"))) == {
            "amount": "exceeds the invoice's balance of 37.50 EUR"
        }
        assert await refused(record_payment(billing(), pay("nope", "1"))) == {
            "invoice_id": "no invoice nope"
        }
        bad = RecordPayment("nope", amount("1e3", "XXX"), received_on="2999-01-01")
        assert set(await refused(record_payment(billing(), bad))) == {
            "amount",
            "amount.currency",
            "received_on",
        }
    assert billing.state.payments == {}


async def test_a_payment_retried_or_sent_again_under_its_reference_pays_once() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing)
    retry = Retry("pay-1", "print-1")
    with as_user():
        first = await record_payment(billing(), pay(invoice.id, "20.00", "transfer 7", retry))
        again = await record_payment(billing(), pay(invoice.id, "20.00", "transfer 7", retry))
        resent = await record_payment(
            billing(), pay(invoice.id, "20.00", "transfer 7", Retry("pay-2", "print-1"))
        )
        with pytest.raises(AlreadyExists) as error:
            await record_payment(
                billing(), pay(invoice.id, "1.00", "transfer 7", Retry("pay-3", "print-3"))
            )
        with pytest.raises(AlreadyExists):
            await record_payment(billing(), pay(invoice.id, "2.00", "", Retry("pay-1", "other")))
    assert first.id == again.id == resent.id
    assert fields(error.value) == {"reference": f"already used by payment {first.id}"}
    assert billing.state.invoices[invoice.id].amount_paid == eur("20.00")
    assert ("record_payment", "pay-1") in billing.state.requests


async def test_a_customer_payment_is_spread_oldest_due_first_and_the_rest_is_credit() -> None:
    billing = FakeBilling()
    first = await invoiced(billing)
    second = await invoiced(billing)
    with as_user():
        payment = await record_customer_payment(
            billing(), RecordCustomerPayment("C-1", amount("100.00"), "remittance 1")
        )
    assert [(a.invoice_id, a.amount) for a in payment.allocations] == [
        (first.id, eur("37.50")),
        (second.id, eur("37.50")),
    ]
    assert (payment.allocated, payment.unapplied, payment.invoice_id) == (
        eur("75.00"),
        eur("25.00"),
        "",
    )
    assert await customer_balance(billing(), "C-1") == ([eur("0.00")], [eur("25.00")])
    assert len(of_kind(billing, InvoicePaid)) == 2
    assert amounts(of_kind(billing, CustomerBalanceChanged), "open_balance") == [
        "37.50",
        "75.00",
        "0.00",
    ]


async def test_allocations_asked_for_are_refused_all_at_once_by_field() -> None:
    billing = FakeBilling()
    mine = await invoiced(billing)
    theirs = await invoiced(billing, "C-2")
    asked = (
        AllocationAsked(mine.id, amount("37.51")),
        AllocationAsked(theirs.id, amount("1.00")),
        AllocationAsked("nope", amount("1.00")),
        AllocationAsked(mine.id, amount("1.00", "USD")),
    )
    command = RecordCustomerPayment("C-1", amount("10.00"), allocations=asked)
    with as_user():
        problems = await refused(record_customer_payment(billing(), command))
    assert set(problems) >= {
        "allocations[0].amount",
        "allocations[1].invoice_id",
        "allocations[2].invoice_id",
    }
    assert billing.state.payments == {}


async def test_an_invoice_alone_is_paid_by_its_own_customer_as_record_payment_does() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing, "C-9")
    command = RecordCustomerPayment(
        "", amount("20.00"), "transfer 7", "2026-03-02", invoice_id=invoice.id,
        retry=Retry("pay-1", "print-1"),
    )  # fmt: skip
    with as_user():
        payment = await record_customer_payment(billing(), command)
        again = await record_payment(
            billing(), pay(invoice.id, "20.00", "transfer 7", Retry("pay-1", "print-1"))
        )
        too_much = RecordCustomerPayment("", amount("17.51"), invoice_id=invoice.id)
        assert await refused(record_customer_payment(billing(), too_much)) == {
            "amount": "exceeds the invoice's balance of 17.50 EUR"
        }
        dollars = RecordCustomerPayment("", amount("1", "USD"), invoice_id=invoice.id)
        assert await refused(record_customer_payment(billing(), dollars)) == {
            "amount.currency": "must be the invoice's currency, EUR"
        }
    assert (payment.customer_id, payment.invoice_id, payment.id) == ("C-9", invoice.id, again.id)
    assert list(billing.state.requests) == [("record_payment", "pay-1")]
    assert [e.amount for e in of_kind(billing, PaymentReceived)] == [eur("20.00")]


async def test_an_invoice_with_its_customer_takes_all_of_the_payment() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing)
    other = await invoiced(billing)
    with as_user():
        payment = await record_customer_payment(
            billing(), RecordCustomerPayment("C-1", amount("30.00"), invoice_id=other.id)
        )
        too_much = RecordCustomerPayment("C-1", amount("37.51"), invoice_id=invoice.id)
        assert await refused(record_customer_payment(billing(), too_much)) == {
            "allocations[0].amount": "exceeds the invoice's open amount of 37.50 EUR"
        }
        not_theirs = RecordCustomerPayment("C-2", amount("1.00"), invoice_id=invoice.id)
        assert list(await refused(record_customer_payment(billing(), not_theirs))) == [
            "allocations[0].invoice_id"
        ]
    assert [(a.invoice_id, a.amount) for a in payment.allocations] == [(other.id, eur("30.00"))]
    assert (payment.invoice_id, payment.unapplied) == ("", eur("0"))


async def test_an_invoice_id_with_allocations_is_refused_on_invoice_id() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing)
    command = RecordCustomerPayment(
        "C-1",
        amount("10.00"),
        allocations=(AllocationAsked(invoice.id, amount("10.00")),),
        invoice_id=invoice.id,
    )
    with as_user():
        assert await refused(record_customer_payment(billing(), command)) == {
            "invoice_id": "name the invoices in allocations, or one invoice_id without them"
        }
        nobody = RecordCustomerPayment("", amount("10.00"))
        assert await refused(record_customer_payment(billing(), nobody)) == {
            "customer_id": "required, at most 100 characters"
        }


async def test_payments_are_read_one_at_a_time_or_in_pages_newest_first() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing)
    with as_user():
        made = [
            await record_payment(billing(), pay(invoice.id, "1.00", f"transfer {n}"))
            for n in range(3)
        ]
    first, token = await list_payments(billing(), invoice.id, "", 2, "")
    rest, last = await list_payments(billing(), "", "C-1", 2, token)
    assert [p.id for p in first + rest] == [p.id for p in reversed(made)]
    assert last == ""
    got = await get_payment(billing(), made[0].id)
    assert (got.invoice_number, got.recorded_by) == (invoice.number, "fiona")
    with pytest.raises(NotFound):
        await get_payment(billing(), "nope")
