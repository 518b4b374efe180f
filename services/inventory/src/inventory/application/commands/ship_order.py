"""ShipOrder: what an order holds in a warehouse leaves it (all of it, or the lines named), once
orders has approved the order and while it does not hold it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from inventory.application.ports import ClientRequest, UnitOfWork
from inventory.application.stock_book import StockBook
from inventory.domain.checks import check_shipment
from inventory.domain.events import ShippedLine
from inventory.domain.shipment import Shipment
from servicekit.context import current_principal
from servicekit.errors import FailedPrecondition


@dataclass(frozen=True)
class ShipOrder:
    order_id: str
    warehouse_id: str
    carrier: str
    tracking_number: str = ""
    # (line id, units); empty: everything the order holds in the warehouse.
    lines: Sequence[tuple[str, int]] = field(default_factory=tuple)
    request: ClientRequest | None = None


def audited(shipment: Shipment) -> dict[str, Any]:
    return {
        "order_id": shipment.order_id,
        "warehouse_id": shipment.warehouse_id,
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "status": shipment.status,
        "lines": [{"line_id": x.line_id, "quantity": x.quantity} for x in shipment.lines],
    }


async def ship_order(uow: UnitOfWork, command: ShipOrder) -> Shipment:
    """The shipment (for a retry: the first one). FailedPrecondition when the order may not
    ship, holds nothing there, or less than a line names."""
    c = command
    check_shipment(c.order_id, c.warehouse_id, c.carrier, c.tracking_number, c.lines)
    async with uow:
        done = await uow.requests.claim("ship_order", c.request)
        if done is not None:
            shipped = await uow.shipments.get(done)
            assert shipped is not None
            return shipped
        await uow.lock_products(await uow.reservations.held_products(c.order_id, c.warehouse_id))
        # Locked until the end: a hold arriving now waits for this shipment, or stops it.
        reservation = await uow.reservations.get(c.order_id, for_update=True)
        if reservation is None:
            raise FailedPrecondition(
                f"nothing reserved for order {c.order_id} in warehouse {c.warehouse_id}"
            )
        leaving = reservation.ship_from(c.warehouse_id, c.lines)
        await uow.reservations.save(reservation)
        shipment = await _dispatch(uow, c, leaving, reservation.channel)
        await uow.audit.record("shipment", shipment.id, "dispatched", after=audited(shipment))
        await uow.requests.complete("ship_order", c.request, shipment.id)
    return shipment


async def _dispatch(
    uow: UnitOfWork, c: ShipOrder, leaving: list[ShippedLine], channel: str
) -> Shipment:
    """The shipment recorded and announced (with the order's channel), its units gone from
    stock."""
    shipment, events = Shipment.dispatch(
        str(uuid.uuid4()),
        c.order_id,
        c.warehouse_id,
        leaving,
        c.carrier,
        c.tracking_number,
        datetime.now(UTC),
        current_principal().subject,
        channel,
    )
    book = StockBook(uow)
    for line in leaving:
        reason = f"shipped with {shipment.carrier}"
        await book.consume(c.warehouse_id, line.product_id, line.quantity, shipment.id, reason)
    await uow.shipments.add(shipment)
    await uow.publish(events)
    await book.settle()
    return shipment
