"""The deadline of the order-to-cash saga: an order placed that inventory has not answered
(reserved, backordered or rejected) within `Deps.stall_after` stalls, for the order desk to see
and retry (ORDERS_SAGA_STALL_AFTER_SECONDS)."""

from __future__ import annotations

from orders.application.ports import Deps
from orders.application.reactions.on_step_stalled import on_step_stalled
from orders.domain.stalled import AWAITING_STOCK, StalledStep

BATCH = 100


async def stall_waiting_orders(deps: Deps) -> int:
    """How many orders stalled now."""
    now = deps.clock()
    placed_before = now - deps.stall_after
    async with deps.unit_of_work() as uow:
        waiting = await uow.stalled.awaiting_stock(placed_before, BATCH)
        for order_id, quote_id, placed_at in waiting:
            waited = int((now - placed_at).total_seconds())
            reason = f"inventory has not answered for {waited} s (deadline {deps.stall_after})"
            step = StalledStep(
                f"deadline:{order_id}", order_id, quote_id, AWAITING_STOCK, reason, now
            )
            await on_step_stalled(uow, step)
    return len(waiting)
