"""UpdateShipmentStatus: a shipment's journey, dispatched -> in_transit -> delivered, one step
at a time; asking for the status it has changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from inventory.application.ports import UnitOfWork
from inventory.domain.shipment import Shipment
from servicekit.errors import InvalidArgument, NotFound


async def update_shipment_status(uow: UnitOfWork, shipment_id: str, status: str) -> Shipment:
    if not shipment_id:
        raise InvalidArgument.of("shipment_id", "required")
    async with uow:
        shipment = await uow.shipments.get(shipment_id, for_update=True)
        if shipment is None:
            raise NotFound(f"shipment {shipment_id} not found")
        was = shipment.status
        events = shipment.move_to(status, datetime.now(UTC))
        if events:
            await uow.shipments.save(shipment)
            await uow.publish(events)
            await uow.audit.record(
                "shipment",
                shipment_id,
                "status_changed",
                before={"status": was},
                after={"status": status},
            )
    return shipment
