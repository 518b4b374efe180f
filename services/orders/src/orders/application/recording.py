"""What a unit of work leaves behind for an order, whatever changed it: the order and its journal,
the events other services hear of (outbox), and its entries in the change log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from orders.application.ports import UnitOfWork
from orders.domain import pipeline as stages
from orders.domain.events import (
    ReturnAuthorized,
    SalesOrderEvent,
    SalesOrderHoldChanged,
    SalesOrderPlaced,
    SalesOrderStatusChanged,
)
from orders.domain.sales_order import SalesOrder

ENTITY = "sales_order"
AuditEntry = tuple[str, dict[str, Any] | None, dict[str, Any] | None]


async def record_new(uow: UnitOfWork, order: SalesOrder, events: Sequence[SalesOrderEvent]) -> None:
    """A new order (its events start with SalesOrderPlaced)."""
    await uow.orders.add(order, events)
    await _announce(uow, order, events)


async def record_changed(
    uow: UnitOfWork, order: SalesOrder, events: Sequence[SalesOrderEvent]
) -> None:
    """An order read in this unit of work, with what its transitions returned."""
    await uow.orders.save(order, events)
    await _announce(uow, order, events)


async def _announce(uow: UnitOfWork, order: SalesOrder, events: Sequence[SalesOrderEvent]) -> None:
    await uow.publish(events)
    await uow.audit.record_all(ENTITY, order.id, audit_entries(events))


def audit_entries(events: Sequence[SalesOrderEvent]) -> list[AuditEntry]:
    """(action, before, after) of each event the change log keeps."""
    entries: list[AuditEntry] = []
    for event in events:
        match event:
            case SalesOrderPlaced():
                entries.append(("placed", None, _placed(event)))
            case SalesOrderStatusChanged(to_status=stages.CANCELLED):
                entries.append(_moved("cancelled", event))
            case SalesOrderStatusChanged():
                entries.append(_moved("moved", event))
            case SalesOrderHoldChanged(on_hold=True, reason=reason):
                entries.append(("credit_hold_set", {}, {"credit_hold": reason}))
            case SalesOrderHoldChanged(reason=reason):
                entries.append(("credit_hold_released", {}, {"released": reason}))
            case ReturnAuthorized():
                lines = {line.line_id: line.quantity for line in event.lines}
                after = {"return_id": event.return_id, "lines": lines, "reason": event.reason}
                entries.append(("return_authorized", None, after))
    return entries


def _moved(action: str, event: SalesOrderStatusChanged) -> AuditEntry:
    return (
        action,
        {"status": event.from_status},
        {"status": event.to_status, "reason": event.reason},
    )


def _placed(event: SalesOrderPlaced) -> dict[str, Any]:
    return {
        "customer_id": event.customer_id,
        "channel": event.channel,
        "external_reference": event.external_reference,
        "quote_id": event.quote_id,
        "salesperson": event.salesperson,
        "total": str(event.total),
        "lines": [(line.sku, line.quantity, str(line.unit_price)) for line in event.lines],
    }
