"""A shipment: what left a warehouse for an order, and its journey. Plain Python: no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from inventory.domain.events import ShipmentDispatched, ShipmentStatusChanged, ShippedLine
from servicekit.errors import FailedPrecondition, InvalidArgument

# A shipment only moves forward, one step at a time.
SHIPMENT_FLOW = ("dispatched", "in_transit", "delivered")


def next_shipment_status(current: str, requested: str) -> bool:
    """True when the shipment moves from `current` to `requested`; False when it is there
    already (a retried request changes nothing)."""
    if requested not in SHIPMENT_FLOW[1:]:
        raise InvalidArgument.of("status", "in_transit or delivered")
    if requested == current:
        return False
    if current not in SHIPMENT_FLOW or SHIPMENT_FLOW.index(requested) != (
        SHIPMENT_FLOW.index(current) + 1
    ):
        raise FailedPrecondition(f"a shipment cannot go from {current} to {requested}")
    return True


@dataclass
class Shipment:
    id: str
    order_id: str
    warehouse_id: str
    lines: list[ShippedLine]
    carrier: str
    tracking_number: str
    status: str
    created_at: datetime
    created_by: str
    updated_at: datetime | None = None

    @classmethod
    def dispatch(
        cls,
        shipment_id: str,
        order_id: str,
        warehouse_id: str,
        lines: Sequence[ShippedLine],
        carrier: str,
        tracking_number: str,
        at: datetime,
        by: str,
        channel: str = "",
    ) -> tuple[Shipment, list[ShipmentDispatched]]:
        """A shipment that left now with `carrier` (the order's units already consumed)."""
        shipment = cls(
            shipment_id,
            order_id,
            warehouse_id,
            list(lines),
            carrier.strip(),
            tracking_number.strip(),
            SHIPMENT_FLOW[0],
            at,
            by,
            at,
        )
        dispatched = ShipmentDispatched(
            shipment.id,
            order_id,
            warehouse_id,
            tuple(lines),
            shipment.carrier,
            shipment.tracking_number,
            channel,
        )
        return shipment, [dispatched]

    def move_to(self, status: str, at: datetime) -> list[ShipmentStatusChanged]:
        """The next step of the journey; nothing when the shipment is there already."""
        if not next_shipment_status(self.status, status):
            return []
        was, self.status, self.updated_at = self.status, status, at
        return [ShipmentStatusChanged(self.id, self.order_id, was, status)]
