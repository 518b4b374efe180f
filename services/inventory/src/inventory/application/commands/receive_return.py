"""ReceiveReturn: the goods of a return orders authorised come back on hand, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from inventory.application.known import require_warehouses
from inventory.application.ports import ClientRequest, UnitOfWork
from inventory.application.stock_book import StockBook
from inventory.domain.checks import check_return
from inventory.domain.returns import AUTHORIZED, Return
from servicekit.context import current_principal
from servicekit.errors import NotFound


@dataclass(frozen=True)
class ReceiveReturn:
    return_id: str
    warehouse_id: str
    request: ClientRequest | None = None


def audited(received: Return) -> dict[str, Any]:
    return {
        "status": received.status,
        "order_id": received.order_id,
        "warehouse_id": received.warehouse_id,
        "lines": [{"product_id": x.product_id, "quantity": x.quantity} for x in received.lines],
    }


async def receive_return(uow: UnitOfWork, command: ReceiveReturn) -> Return:
    """The return, received (for a retry: as it is now). NotFound when orders did not
    authorise it (or not yet), FailedPrecondition when it was received already."""
    check_return(command.return_id, command.warehouse_id)
    async with uow:
        done = await uow.requests.claim("receive_return", command.request) is not None
        returned = await uow.returns.get(command.return_id, for_update=not done)
        if returned is None:
            raise NotFound(f"return {command.return_id} was not authorised")
        if done:
            return returned
        events = returned.receive(
            command.warehouse_id, datetime.now(UTC), current_principal().subject
        )
        await require_warehouses(uow, command.warehouse_id)
        await uow.lock_products(x.product_id for x in returned.lines)
        book = StockBook(uow)
        for line in returned.lines:
            await book.put(
                returned.warehouse_id,
                line.product_id,
                line.quantity,
                kind="return",
                reason=f"returned with {returned.return_id}",
                reference=returned.order_id,
            )
        await uow.returns.save(returned)
        await uow.publish(events)
        await book.settle()
        await uow.audit.record(
            "return",
            returned.return_id,
            "received",
            before={"status": AUTHORIZED},
            after=audited(returned),
        )
        await uow.requests.complete("receive_return", command.request, returned.return_id)
        return returned
