"""RecordBill: a supplier's bill matched three ways against billing's copy of the purchase order
and the goods received -- "matched" (payable) or "held" with the reason per line, or held for a
second person when it is above the dual-control amount. Bad input (another currency than the
order's, more than was received) is refused by field and changes nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from billing.application.conversions import applied_rate
from billing.application.ports import UnitOfWork
from billing.application.reading import bill_of
from billing.application.retries import RECORD_BILL, Retry
from billing.domain.bills import Bill, PurchaseOrderCopy
from billing.domain.exchange import rate_text
from billing.domain.payables import DualControl, LineIn, Tolerance, match_bill
from pricing.money import InvalidMoney, Money, check_currency
from servicekit.context import current_principal
from servicekit.errors import InvalidArgument, Violations

MAX_REFERENCE = 100


@dataclass(frozen=True)
class BillPolicy:
    """How far a bill may stray before it is held, and which bills need a second person."""

    tolerance: Tolerance
    dual_control: DualControl


@dataclass(frozen=True)
class RecordBill:
    purchase_order_id: str
    supplier_id: str
    supplier_reference: str
    currency: str
    lines: tuple[LineIn, ...]
    retry: Retry = field(default_factory=Retry)


async def record_bill(uow: UnitOfWork, policy: BillPolicy, command: RecordBill) -> Bill:
    reference = _checked(command)
    async with uow:
        done = await uow.requests.claim(RECORD_BILL, command.retry)
        if done is not None:
            return await bill_of(uow, done)
        order = await _checked_order(uow, command, reference)
        match = match_bill(
            command.currency,
            order.lines,
            await uow.purchase_orders.received(order.purchase_order_id),
            await uow.bills.billed(order.purchase_order_id),
            command.lines,
            policy.tolerance,
        )
        now = datetime.now(UTC)
        control = await converted_for(uow, policy.dual_control, match.total, now.date())
        bill, events = Bill.record(
            str(uuid.uuid4()),
            order,
            reference,
            match,
            control,
            recorded_at=now,
            recorded_by=current_principal().subject,
        )
        await uow.bills.add(bill)
        recorded = await bill_of(uow, bill.id)
        await uow.publish(events)
        await uow.audit.record("bill", bill.id, "recorded", after=recorded.facts())
        await uow.requests.complete(RECORD_BILL, command.retry, bill.id)
    return recorded


def _checked(command: RecordBill) -> str:
    """The supplier's reference as kept, once the command names an order, a supplier, a
    reference and a currency; else every field at fault."""
    problems = Violations()
    if not command.purchase_order_id:
        problems.add("purchase_order_id", "required")
    if not command.supplier_id:
        problems.add("supplier_id", "required")
    reference = command.supplier_reference.strip()
    if not reference or len(command.supplier_reference) > MAX_REFERENCE:
        problems.add("supplier_reference", f"required, at most {MAX_REFERENCE} characters")
    try:
        check_currency(command.currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    problems.raise_if_any()
    return reference


async def _checked_order(uow: UnitOfWork, command: RecordBill, reference: str) -> PurchaseOrderCopy:
    """The bill's purchase order (locked), once the bill is its supplier's, in its currency, and
    under a reference the supplier has not used; else every field at fault."""
    order = await uow.purchase_orders.get(command.purchase_order_id, lock=True)
    if order is None:
        raise InvalidArgument.of(
            "purchase_order_id", f"no purchase order {command.purchase_order_id} issued"
        )
    problems = Violations()
    if command.supplier_id != order.supplier_id:
        problems.add("supplier_id", f"the purchase order is {order.supplier_id}'s")
    if command.currency != order.currency:
        problems.add("currency", f"must be the purchase order's, {order.currency}")
    duplicate = await uow.bills.with_reference(command.supplier_id, reference)
    if duplicate is not None:
        problems.add("supplier_reference", f"already recorded as bill {duplicate}")
    problems.raise_if_any()
    return order


async def converted_for(
    uow: UnitOfWork, control: DualControl, total: Money, day: date
) -> DualControl | None:
    """The dual control a bill of `total` is under (None: not), with the rate it was converted
    with on `day` kept for its reason."""
    into = control.above.currency
    if total.currency == into:
        return control if control.applies(total) else None
    applied = await applied_rate(uow, total.currency, into, day)
    if applied is None:
        return control
    value = Money(applied.apply(total.amount), into).rounded()
    if not control.applies(value):
        return None
    stated = applied.stated
    how = "inverted" if applied.inverted else "as set"
    note = (
        f"{total.rounded()} at {stated.pair} {rate_text(stated.rate)} ({how}, from "
        f"{stated.effective_from.isoformat()}) = {value}"
    )
    return replace(control, conversion=note)
