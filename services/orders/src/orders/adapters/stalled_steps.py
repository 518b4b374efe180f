"""Stalled saga steps in PostgreSQL (stalled_steps): the event to apply again kept as JSON, its
body base64."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from sqlalchemy import Row, exists, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from orders.adapters.tables import sales_orders, stalled_steps
from orders.domain import pipeline as stages
from orders.domain.lines import StockStatus
from orders.domain.stalled import STALLED, StalledEvent, StalledStep
from servicekit.db import Transaction


def _event_json(event: StalledEvent | None) -> dict[str, str] | None:
    if event is None:
        return None
    return {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "topic": event.topic,
        "key": event.key,
        "source": event.source,
        "time": event.time.isoformat(),
        "correlation_id": event.correlation_id,
        "body": base64.b64encode(event.body).decode(),
    }


def _event(raw: dict[str, str] | None) -> StalledEvent | None:
    if raw is None:
        return None
    return StalledEvent(
        raw["event_id"],
        raw["event_type"],
        raw["topic"],
        raw["key"],
        base64.b64decode(raw["body"]),
        raw["source"],
        datetime.fromisoformat(raw["time"]),
        raw["correlation_id"],
    )


def _step(row: Row[Any]) -> StalledStep:
    return StalledStep(
        row.id,
        row.order_id,
        row.quote_id,
        row.step,
        row.reason,
        row.stalled_at,
        _event(row.event),
        row.status,
        row.attempts,
        row.retried_by,
    )


class SqlStalledSteps:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, step: StalledStep) -> bool:
        added = await self.session.execute(
            insert(stalled_steps)
            .values(
                id=step.id,
                order_id=step.order_id,
                quote_id=step.quote_id,
                step=step.step,
                reason=step.reason,
                status=step.status,
                stalled_at=step.stalled_at,
                attempts=step.attempts,
                retried_by=step.retried_by,
                event=_event_json(step.event),
            )
            .on_conflict_do_nothing()
            .returning(stalled_steps.c.id)
        )
        return added.first() is not None

    async def open_of(self, order_id: str) -> list[StalledStep]:
        return [s for s in await self.of_order(order_id) if s.status == STALLED]

    async def of_order(self, order_id: str) -> list[StalledStep]:
        c = stalled_steps.c
        rows = await self.session.execute(
            select(stalled_steps).where(c.order_id == order_id).order_by(c.stalled_at, c.id)
        )
        return [_step(r) for r in rows]

    async def page(self, after: tuple[datetime, str] | None, limit: int) -> list[StalledStep]:
        c = stalled_steps.c
        query = select(stalled_steps).where(c.status == STALLED).order_by(c.stalled_at, c.id)
        if after is not None:
            query = query.where(tuple_(c.stalled_at, c.id) > after)
        return [_step(r) for r in await self.session.execute(query.limit(limit))]

    async def awaiting_stock(
        self, placed_before: datetime, limit: int
    ) -> list[tuple[str, str, datetime]]:
        o, s = sales_orders.c, stalled_steps.c
        query = (
            select(o.id, o.quote_id, o.created_at)
            .where(o.stock_status == StockStatus.PENDING, o.created_at < placed_before)
            .where(o.status.not_in([stages.CANCELLED, stages.ARCHIVED]))
            .where(~exists().where(s.id == "deadline:" + o.id))
            .order_by(o.created_at, o.id)
            .limit(limit)
        )
        return [(r.id, r.quote_id or "", r.created_at) for r in await self.session.execute(query)]

    async def save(self, step: StalledStep) -> None:
        await self.session.execute(
            stalled_steps.update()
            .where(stalled_steps.c.id == step.id)
            .values(
                reason=step.reason,
                status=step.status,
                attempts=step.attempts,
                retried_by=step.retried_by,
            )
        )
