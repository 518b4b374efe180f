"""RecordSupplierPayment: money sent to a supplier, allocated to its payable bills as asked (else
oldest due first; held bills cannot be paid), the rest an advance. BillPaid for each bill it
settles."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from billing.application.fields import Amount, day_in, money_in, party_in, reference_in
from billing.application.ports import UnitOfWork
from billing.application.reading import payment_sent_of
from billing.application.retries import RECORD_SUPPLIER_PAYMENT, Retry
from billing.domain.events import DomainEvent
from billing.domain.receivables import Requested, check_amount, plan
from billing.domain.supplier_payments import SupplierPayment
from pricing.money import Money
from servicekit.context import current_principal
from servicekit.errors import Violations


@dataclass(frozen=True)
class BillShare:
    bill_id: str
    amount: Amount


@dataclass(frozen=True)
class RecordSupplierPayment:
    supplier_id: str
    amount: Amount
    reference: str = ""
    paid_on: str = ""
    allocations: tuple[BillShare, ...] = ()
    retry: Retry = field(default_factory=Retry)


async def record_supplier_payment(
    uow: UnitOfWork, command: RecordSupplierPayment
) -> SupplierPayment:
    money, day, requested = _checked(command)
    async with uow:
        done = await uow.requests.claim(RECORD_SUPPLIER_PAYMENT, command.retry)
        if done is not None:
            return await payment_sent_of(uow, done)
        supplier_id = command.supplier_id
        if requested:
            bills = await uow.bills.locked([r.item_id for r in requested])
        else:
            bills = await uow.bills.payable_of(supplier_id, money.currency)
        where = plan(
            money,
            supplier_id,
            {bill_id: bill.open_item() for bill_id, bill in bills.items()},
            requested or None,
            id_field="bill_id",
            what="bill",
            party="supplier",
        )
        now = datetime.now(UTC)
        payment = SupplierPayment(
            str(uuid.uuid4()),
            supplier_id,
            money,
            command.reference,
            day,
            where.unapplied,
            now,
            current_principal().subject,
        )
        events: list[DomainEvent] = []
        for allocation in where.allocations:
            payment.allocate(allocation.item_id, allocation.amount, datetime.now(UTC))
            events += bills[allocation.item_id].pay(allocation.amount)
        await uow.supplier_payments.add(payment)
        for allocation in where.allocations:
            await uow.bills.save(bills[allocation.item_id])
        await uow.publish(events)
        payment = await payment_sent_of(uow, payment.id)
        await uow.audit.record("supplier_payment", payment.id, "recorded", after=payment.facts())
        await uow.requests.complete(RECORD_SUPPLIER_PAYMENT, command.retry, payment.id)
    return payment


def _checked(command: RecordSupplierPayment) -> tuple[Money, date, list[Requested]]:
    """The command's fields as values, or every field at fault at once."""
    problems = Violations()
    party_in(problems, "supplier_id", command.supplier_id)
    money = money_in(problems, "amount", command.amount)
    if money is not None:
        check_amount(problems, "amount", money)
    reference_in(problems, command.reference)
    day = day_in(problems, "paid_on", command.paid_on)
    requested = []
    for i, ask in enumerate(command.allocations):
        share = money_in(problems, f"allocations[{i}].amount", ask.amount)
        if share is not None:
            requested.append(Requested(ask.bill_id, share))
    problems.raise_if_any()
    assert money is not None
    return money, day, requested
