"""Health that tells the truth about the work behind the API: a process whose background work
has stopped (a consumer stuck on a partition) reports NOT_SERVING, so probes, the gateway's
`/health/backends` and operators see it, instead of a green light over a growing backlog.

A check answers what is wrong now: an empty list when all is well, else one line per problem.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from grpc_health.v1 import health, health_pb2

log = logging.getLogger(__name__)

HealthCheck = Callable[[], list[str]]


class HealthWatch:
    """Runs the checks every `interval` seconds and sets every name's status from them."""

    def __init__(
        self,
        servicer: health.aio.HealthServicer,
        names: Sequence[str],
        checks: Sequence[HealthCheck],
        interval: float = 1.0,
    ) -> None:
        self.servicer = servicer
        self.names = list(names)
        self.checks = list(checks)
        self.interval = interval
        self.problems: list[str] = []

    async def update(self) -> None:
        """Sets the statuses from the checks; logs only a change between the two states (the
        reasons' wording, e.g. how long a partition is stuck, changes every time)."""
        problems = [problem for check in self.checks for problem in check()]
        was_serving, self.problems = not self.problems, problems
        if was_serving == (not problems):
            return
        if problems:
            log.error("health: NOT_SERVING: %s", "; ".join(problems))
        else:
            log.info("health: SERVING again")
        status = (
            health_pb2.HealthCheckResponse.NOT_SERVING
            if problems
            else health_pb2.HealthCheckResponse.SERVING
        )
        for name in self.names:
            await self.servicer.set(name, status)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.update()
            except Exception:
                log.exception("a health check failed")
