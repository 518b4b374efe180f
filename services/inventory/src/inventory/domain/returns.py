"""A return orders authorised (our copy), and its goods received back, once. Plain Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from inventory.domain.checks import MAX_REASON
from inventory.domain.events import ReturnReceived, ShippedLine
from servicekit.errors import FailedPrecondition

AUTHORIZED = "authorized"
RECEIVED = "received"


@dataclass
class Return:
    return_id: str
    order_id: str
    status: str
    lines: list[ShippedLine] = field(default_factory=list)
    reason: str = ""
    authorized_at: datetime | None = None
    # Set once received.
    warehouse_id: str = ""
    received_at: datetime | None = None
    received_by: str = ""

    @classmethod
    def authorize(
        cls,
        return_id: str,
        order_id: str,
        reason: str,
        lines: Sequence[ShippedLine],
        at: datetime,
    ) -> Return:
        """Orders authorised it: the lines with units come back."""
        return cls(
            return_id,
            order_id,
            AUTHORIZED,
            [x for x in lines if x.quantity > 0],
            reason[:MAX_REASON],
            at,
        )

    def receive(self, warehouse_id: str, at: datetime, by: str) -> list[ReturnReceived]:
        if self.status == RECEIVED:
            raise FailedPrecondition(
                f"return {self.return_id} was received already, in warehouse {self.warehouse_id}"
            )
        self.status, self.warehouse_id, self.received_at, self.received_by = (
            RECEIVED,
            warehouse_id,
            at,
            by,
        )
        return [ReturnReceived(self.return_id, self.order_id, warehouse_id, tuple(self.lines))]
