"""Saga steps that stalled: an event orders could not apply (it was dead-lettered), or an answer
the order waited for past the deadline. Kept where the order desk sees them, with the reason,
until a person's retry goes through. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from orders.domain.events import SalesOrderStallCleared, SalesOrderStalled

STALLED, RESOLVED = "stalled", "resolved"
# The step of an order placed that inventory has not answered (reserved, rejected...).
AWAITING_STOCK = "awaiting inventory's answer to SalesOrderPlaced"


@dataclass(frozen=True)
class StalledEvent:
    """The event to apply again on a retry, as it came (its id keeps it applied once)."""

    event_id: str
    event_type: str
    topic: str
    key: str
    body: bytes
    source: str
    time: datetime
    correlation_id: str


@dataclass
class StalledStep:
    id: str
    order_id: str
    quote_id: str
    step: str
    reason: str
    stalled_at: datetime
    # None for an answer awaited past the deadline (a retry asks again).
    event: StalledEvent | None = None
    status: str = STALLED
    attempts: int = 0
    retried_by: str = ""

    def stalled(self) -> SalesOrderStalled:
        return SalesOrderStalled(self.order_id, self.quote_id, self.step, self.reason)

    def tried(self, by: str, failure: str) -> list[SalesOrderStallCleared]:
        """A person's retry: resolved when it went through (`failure` empty), else the new
        reason."""
        self.attempts += 1
        self.retried_by = by
        if failure:
            self.reason = failure
            return []
        self.status = RESOLVED
        return [SalesOrderStallCleared(self.order_id, self.quote_id)]
