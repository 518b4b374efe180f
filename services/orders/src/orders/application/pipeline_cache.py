"""Pipelines by order type, read at most every `ttl` seconds: every event and reply needs one,
and they change rarely. A replaced pipeline reaches other replicas within `ttl`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from orders.domain.pipeline import Pipeline

if TYPE_CHECKING:  # the ports hand this cache to the use cases
    from orders.application.ports import Pipelines


class PipelineCache:
    def __init__(self, ttl: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self.cached: dict[str, tuple[float, Pipeline]] = {}

    def fresh(self, order_type: str) -> Pipeline | None:
        hit = self.cached.get(order_type)
        return hit[1] if hit is not None and self.clock() - hit[0] < self.ttl else None

    async def get(self, pipelines: Pipelines, order_type: str) -> Pipeline:
        """The cached pipeline, or the one `pipelines` (a unit of work's) has now."""
        if (pipeline := self.fresh(order_type)) is not None:
            return pipeline
        pipeline = await pipelines.get(order_type)
        self.cached[order_type] = (self.clock(), pipeline)
        return pipeline

    def forget(self, order_type: str) -> None:
        self.cached.pop(order_type, None)
