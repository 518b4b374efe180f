"""The expiry round (servicehost.periodic runs it every INVENTORY_EXPIRY_INTERVAL_SECONDS on
every replica): orders not approved within the time allowed let their reservations go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inventory.application.closing import close_reservation
from inventory.application.ports import UnitOfWorkFactory
from inventory.domain.reservation import Status

EXPIRY_BATCH = 100


async def expire_reservations(
    new_uow: UnitOfWorkFactory, ttl: timedelta, now: datetime | None = None
) -> int:
    """How many orders it expired; each in a transaction of its own (and once, under lock,
    however many replicas run this)."""
    moment = (now or datetime.now(UTC)) - ttl
    async with new_uow() as uow:
        due = await uow.reservations.open_placed_before(moment, EXPIRY_BATCH)
    expired = 0
    for order_id in due:
        async with new_uow() as uow:
            if await close_reservation(uow, order_id, Status.EXPIRED, (Status.OPEN,)):
                expired += 1
    return expired
