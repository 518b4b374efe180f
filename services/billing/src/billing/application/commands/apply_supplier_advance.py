"""ApplySupplierAdvance: part of an advance to a supplier (what a payment sent left unapplied)
paid, by hand, onto a later payable bill of the same supplier and currency -- the bill's balance
drops (BillPaid once it is settled) and so does the advance. Applied by finance, not on its
own: which bill an advance was meant for is the supplier's and finance's to say."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from billing.application.fields import Amount, money_in
from billing.application.ports import UnitOfWork
from billing.application.reading import payment_sent_of
from billing.application.retries import APPLY_SUPPLIER_ADVANCE, Retry
from billing.domain.bills import Bill
from billing.domain.payables import HELD, PAID
from billing.domain.supplier_payments import SupplierPayment
from pricing.money import Money
from servicekit.errors import InvalidArgument, NotFound, Violations


@dataclass(frozen=True)
class ApplySupplierAdvance:
    payment_id: str
    bill_id: str
    # Empty: the smaller of the advance left and the bill's balance.
    amount: Amount = field(default_factory=Amount)
    retry: Retry = field(default_factory=Retry)


async def apply_supplier_advance(uow: UnitOfWork, command: ApplySupplierAdvance) -> SupplierPayment:
    asked = _asked(command)
    async with uow:
        done = await uow.requests.claim(APPLY_SUPPLIER_ADVANCE, command.retry)
        if done is not None:
            return await payment_sent_of(uow, done)
        payment = await uow.supplier_payments.locked(command.payment_id)
        if payment is None:
            raise NotFound(f"payment sent {command.payment_id} not found")
        bill = await _payable(uow, payment, command.bill_id)
        amount = asked or Money(min(payment.unapplied.amount, bill.balance.amount), bill.currency)
        if amount.amount > bill.balance.amount:
            raise InvalidArgument.of("amount", f"more than the bill's balance, {bill.balance}")
        before = payment.facts()
        allocation = payment.apply_advance(bill.id, amount, datetime.now(UTC))
        events = bill.pay(amount)
        await uow.supplier_payments.apply(payment, allocation)
        await uow.bills.save(bill)
        await uow.publish(events)
        after = await payment_sent_of(uow, payment.id)
        await uow.audit.record(
            "supplier_payment", payment.id, "advance_applied", before=before, after=after.facts()
        )
        await uow.requests.complete(APPLY_SUPPLIER_ADVANCE, command.retry, payment.id)
    return after


def _asked(command: ApplySupplierAdvance) -> Money | None:
    problems = Violations()
    if not command.payment_id:
        problems.add("payment_id", "required")
    if not command.bill_id:
        problems.add("bill_id", "required")
    money = money_in(problems, "amount", command.amount, required=False)
    problems.raise_if_any()
    return money


async def _payable(uow: UnitOfWork, payment: SupplierPayment, bill_id: str) -> Bill:
    """The bill, locked, once it is the payment's supplier's, in its currency, payable and open."""
    bill = (await uow.bills.locked([bill_id])).get(bill_id)
    if bill is None:
        raise InvalidArgument.of("bill_id", f"no bill {bill_id}")
    if bill.supplier_id != payment.supplier_id:
        raise InvalidArgument.of("bill_id", f"the bill is {bill.supplier_id}'s")
    if bill.currency != payment.amount.currency:
        raise InvalidArgument.of("bill_id", f"the bill is in {bill.currency}")
    if bill.status in (HELD, PAID):
        raise InvalidArgument.of("bill_id", f"the bill is {bill.status}")
    return bill
