"""An order type's pipeline: its stages, moves and who makes them."""

from __future__ import annotations

from orders.application.ports import Deps
from orders.application.views import pipeline_of
from orders.domain.pipeline import Pipeline


async def get_pipeline(deps: Deps, order_type: str) -> Pipeline:
    return await pipeline_of(deps, order_type or "standard")
