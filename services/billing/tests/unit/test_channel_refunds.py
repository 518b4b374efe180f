"""A sales channel's refund (WooCommerce) as a free credit note naming its sales order, with the
refunded lines and their taxes; lines beyond the amount or malformed are refused field by field;
a retry with the same request id issues nothing more; a refund the store paid back leaves no
credit. A channel's own service credits and pays only the orders of its channel."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import replace
from decimal import Decimal

import pytest

from billing.application.commands.issue_credit_note import IssueCreditNote, issue_adjustment
from billing.application.commands.record_customer_payment import (
    RecordCustomerPayment,
    record_customer_payment,
)
from billing.application.fields import Amount
from billing.application.refunded_lines import RefundedLine, RefundedTax
from billing.application.retries import Retry
from servicekit.context import Principal, acting
from servicekit.errors import InvalidArgument, PermissionDenied
from services.billing.tests.unit.builders import (
    a_shipment,
    amount,
    an_order,
    as_user,
    placed,
    shipped,
)
from services.billing.tests.unit.fakes import FakeBilling

LINE_ID = "ce75d10c-0ec8-58d6-aea7-5046fd5c34d2"


def gbp(text: str) -> Amount:
    return Amount(text, "GBP")


def mug(total: str = "9.60", tax: str = "1.60", line_id: str = LINE_ID) -> RefundedLine:
    return RefundedLine(
        line_id,
        "p-mug",
        "MUG-ENAMEL",
        1,
        gbp("8.00"),
        gbp(total),
        (RefundedTax("woo-5", "0.2", gbp(tax)),),
    )


def refund(*lines: RefundedLine, amount: str = "9.60") -> IssueCreditNote:
    return IssueCreditNote(
        gbp(amount),
        "WooCommerce refund 911 of order 910: chipped",
        customer_id="C-9",
        retry=Retry("woocommerce:shop:refund:911", "f-911"),
        lines=lines,
        order_id="SO-910",
    )


async def test_a_refund_is_credited_for_its_lines_and_tax_once() -> None:
    billing = FakeBilling()
    with as_user():
        note = await issue_adjustment(billing(), refund(mug()))
        again = await issue_adjustment(billing(), refund(mug()))
    assert again.id == note.id
    assert (note.order_id, note.customer_id, note.total.amount) == ("SO-910", "C-9", Decimal("9.6"))
    (line,) = note.lines
    assert (line.order_line_id, line.sku, line.quantity, line.amount.amount) == (
        LINE_ID, "MUG-ENAMEL", 1, Decimal("9.6"),
    )  # fmt: skip
    taxes = [(t.code, t.rate, t.amount.amount) for t in line.taxes]
    assert taxes == [("woo-5", Decimal("0.2"), Decimal("1.6"))]
    assert line.net.amount == Decimal("8")


async def test_refunded_lines_are_checked_field_by_field() -> None:
    billing = FakeBilling()
    bad = RefundedLine(
        "", "p", "S", -1, gbp("x"), Amount("1", "EUR"), (RefundedTax("", "y", gbp("1")),)
    )
    with as_user(), pytest.raises(InvalidArgument) as refused:
        await issue_adjustment(billing(), refund(bad, mug(), mug()))
    fields = {v.field for v in refused.value.violations}
    assert {"lines[0].unit_price", "lines[0].taxes[0].rate"} <= fields
    assert {"lines[0].order_line_id", "lines[0].quantity"} <= fields
    assert "lines[2].order_line_id" in fields  # the same line twice
    with as_user(), pytest.raises(InvalidArgument) as beyond:
        await issue_adjustment(billing(), refund(mug(), amount="9.00"))
    assert [v.field for v in beyond.value.violations] == ["lines"]


async def test_a_refund_paid_back_by_the_store_leaves_no_customer_credit() -> None:
    billing = FakeBilling()
    with as_user():
        kept = await issue_adjustment(billing(), refund(mug()))
        paid_back = await issue_adjustment(
            billing(),
            replace(refund(mug()), paid_back=True, retry=Retry("woocommerce:shop:refund:912", "")),
        )
    assert paid_back.total.amount == kept.total.amount == Decimal("9.6")
    async with billing() as uow:
        credit = await uow.accounts.credit("C-9", "GBP")
    assert credit.amount == Decimal("9.6")  # the first note's credit only
    with as_user(), pytest.raises(InvalidArgument) as refused:
        await issue_adjustment(
            billing(), replace(refund(), invoice_id="I-1", paid_back=True, retry=Retry("r-3", ""))
        )
    assert "paid_back" in {v.field for v in refused.value.violations}


def as_channel(subject: str = "woocommerce") -> AbstractContextManager[None]:
    return acting(Principal(subject, ("service",)))


async def test_a_channel_credits_and_pays_only_its_own_orders() -> None:
    billing = FakeBilling()
    own, other = an_order("C-9", channel="woocommerce"), an_order("C-9")
    await placed(billing, own)
    await placed(billing, other)
    for order in (own, other):
        await shipped(billing, a_shipment(order, 2))
    invoice_of = {i.order_id: i for i in billing.state.invoices.values()}
    with as_channel():
        note = await issue_adjustment(billing(), replace(refund(), order_id=own.order_id))
        assert note.order_id == own.order_id
        with pytest.raises(PermissionDenied):
            await issue_adjustment(
                billing(), replace(refund(), order_id=other.order_id, retry=Retry("r-2", ""))
            )
        paid = await record_customer_payment(
            billing(),
            RecordCustomerPayment(
                "", amount("25.00"), "store", invoice_id=invoice_of[own.order_id].id
            ),
        )
        assert paid.allocated.amount == Decimal("25")
        for asked in (
            RecordCustomerPayment(
                "", amount("25.00"), "x", invoice_id=invoice_of[other.order_id].id
            ),
            RecordCustomerPayment("C-9", amount("25.00"), "y"),  # not one invoice: no free money
        ):
            with pytest.raises(PermissionDenied):
                await record_customer_payment(billing(), asked)
