"""Steps dunning's use cases share: the overdue invoices as of a day with the levels sent, and
reviewing the credit holds against them."""

from __future__ import annotations

from datetime import date, datetime

from billing.application.ports import UnitOfWork
from billing.domain.dunning import CreditHold, DunningPolicy, Overdue, holds_due, overdue


async def overdue_as_of(
    uow: UnitOfWork, policy: DunningPolicy, day: date, customer_id: str = "", *, lock: bool = False
) -> list[Overdue]:
    """Every invoice past due on `day` with money open, its level due and the level sent."""
    invoices = await uow.dunning.open_invoices(day, customer_id, lock=lock)
    sent = await uow.dunning.levels_sent([i.invoice_id for i in invoices])
    return overdue(invoices, day, policy, sent)


async def review_holds(
    uow: UnitOfWork, policy: DunningPolicy, items: list[Overdue], now: datetime
) -> None:
    """Releases each hold whose invoices are all settled, then holds each customer overdue past
    the policy's days that is not held (CustomerCreditHoldChanged, change log). A hold is
    announced once, however many runs and loops find it at the same time."""
    held = set()
    for hold in await uow.dunning.holds(lock=True):
        if await uow.dunning.settled(hold.invoice_ids) >= set(hold.invoice_ids):
            await uow.dunning.drop_hold(hold.customer_id)
            await uow.publish(hold.release())
            await uow.audit.record(
                "customer", hold.customer_id, "credit_hold_released", before={"reason": hold.reason}
            )
        held.add(hold.customer_id)
    for customer_id, late in holds_due(items, policy).items():
        if customer_id in held:
            continue
        # `items` may be older than a payment committed since: only what is still open counts.
        settled = await uow.dunning.settled([i.invoice_id for i in late])
        late = [i for i in late if i.invoice_id not in settled]
        if not late:
            continue
        hold, events = CreditHold.place(customer_id, late, now)
        if not await uow.dunning.put_hold(hold):
            continue
        await uow.publish(events)
        await uow.audit.record(
            "customer", customer_id, "credit_hold_set", after={"reason": hold.reason}
        )
