"""A saga step stalled: an event orders could not apply went to the dead letters (the consumer
tells the subscription), or an order placed waited past the deadline for inventory's answer. The
step is kept where the order desk sees it (with the event, to apply again on a retry), noted in
the order's journal when the order exists, and announced (SalesOrderStalled: quoting shows the
accepted quote whose order never came as stalled)."""

from __future__ import annotations

from orders.application.ports import UnitOfWork
from orders.application.recording import record_changed
from orders.domain.stalled import StalledStep


async def on_step_stalled(uow: UnitOfWork, step: StalledStep) -> None:
    """The same step again (the same event, or the same deadline) changes nothing."""
    if not step.order_id or not await uow.stalled.add(step):
        return
    await uow.publish([step.stalled()])
    order = await uow.orders.get(step.order_id, for_update=True)
    if order is not None:
        await record_changed(uow, order, order.note(f"stalled at {step.step}: {step.reason}"))
