"""Kept webhook deliveries on PostgreSQL, claimed by the worker with SKIP LOCKED so two workers
never take the same one."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert

from servicekit.db import Transaction
from woocommerce.adapters.tables import deliveries
from woocommerce.domain.webhooks import Delivery, Outcome

# A delivery that cannot be applied yet waits longer each time, up to an hour.
_FIRST_WAIT = timedelta(seconds=5)
_LONGEST_WAIT = timedelta(hours=1)


class SqlDeliveries:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, delivery: Delivery) -> bool:
        statement = (
            insert(deliveries)
            .values(
                store_id=delivery.store_id,
                delivery_id=delivery.delivery_id,
                topic=delivery.topic,
                resource_id=delivery.resource_id,
                body=delivery.body,
                body_sha256=delivery.body_fingerprint,
                received_at=delivery.received_at,
                next_attempt_at=delivery.received_at,
            )
            .on_conflict_do_nothing(constraint="uq_deliveries_same")
            .returning(deliveries.c.id)
        )
        return (await self.session.execute(statement)).first() is not None

    async def claim(self, limit: int) -> list[Delivery]:
        statement = (
            select(deliveries)
            .where(deliveries.c.processed_at.is_(None), deliveries.c.next_attempt_at <= func.now())
            .order_by(deliveries.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [
            Delivery(
                store_id=row.store_id,
                delivery_id=row.delivery_id,
                topic=row.topic,
                resource_id=row.resource_id,
                body=row.body,
                received_at=row.received_at,
                number=row.id,
            )
            for row in await self.session.execute(statement)
        ]

    async def done(self, delivery: Delivery, outcome: Outcome) -> None:
        text = outcome.what + (f": {outcome.detail}" if outcome.detail else "")
        await self.session.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery.number)
            .values(processed_at=func.now(), outcome=text[:2000])
        )

    async def failed(self, delivery: Delivery, error: str) -> None:
        attempts = (
            await self.session.execute(
                update(deliveries)
                .where(deliveries.c.id == delivery.number)
                .values(attempts=deliveries.c.attempts + 1, last_error=error[:2000])
                .returning(deliveries.c.attempts)
            )
        ).scalar_one()
        wait = min(_FIRST_WAIT * 2 ** (attempts - 1), _LONGEST_WAIT)
        await self.session.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery.number)
            .values(next_attempt_at=func.now() + wait)
        )
