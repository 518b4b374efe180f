"""How reservations are made, as the service is configured (INVENTORY_* settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from inventory.domain.allocation import Policy


@dataclass(frozen=True)
class ReservationRules:
    # When False, an order that cannot be reserved in full is rejected and nothing is held.
    backorders: bool = True
    policy: Policy = "single"
    # Orders not approved within this time let their reservations go.
    ttl: timedelta = timedelta(days=7)
