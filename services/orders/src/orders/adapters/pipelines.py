"""Pipelines per order type in PostgreSQL; the built-in ones serve until one is stored."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from orders.adapters.tables import pipelines
from orders.domain import pipeline as stages
from orders.domain.pipeline import Pipeline, from_definition, to_definition
from servicekit.context import current_principal
from servicekit.db import Transaction


class SqlPipelines:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def get(self, order_type: str) -> Pipeline:
        stored = await self.session.scalar(
            select(pipelines.c.definition).where(pipelines.c.order_type == order_type)
        )
        if stored is None:
            return stages.DEFAULTS.get(order_type, stages.STANDARD)
        return from_definition(order_type, stored)

    async def all(self) -> dict[str, Pipeline]:
        found = dict(stages.DEFAULTS)
        for row in await self.session.execute(select(pipelines)):
            found[row.order_type] = from_definition(row.order_type, row.definition)
        return found

    async def save(self, pipeline: Pipeline) -> None:
        values = {
            "definition": to_definition(pipeline),
            "updated_at": datetime.now(UTC),
            "updated_by": current_principal().subject,
        }
        await self.session.execute(
            insert(pipelines)
            .values(order_type=pipeline.order_type, **values)
            .on_conflict_do_update(index_elements=["order_type"], set_=values)
        )
