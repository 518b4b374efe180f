"""Work a service does on a clock (expiring quotes, reservations, announcing overdue invoices):
one loop, the same everywhere, that outlives database trouble and runs as the system."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from servicekit.context import Principal, acting

log = logging.getLogger(__name__)


def every(
    seconds: float, job: Callable[[], Awaitable[int]], name: str
) -> Callable[[], Coroutine[Any, Any, None]]:
    """A loop for the host that runs `job` every `seconds` as `system:<name>` and logs how many
    things it did; a database failure is logged and tried again on the next round."""
    actor = Principal(f"system:{name}", ("system",))

    async def loop() -> None:
        while True:
            try:
                with acting(actor):
                    if done := await job():
                        log.info("%s: %d done", name, done)
            except (SQLAlchemyError, OSError):
                log.exception("%s failed; trying again in %s s", name, seconds)
            await asyncio.sleep(seconds)

    loop.__qualname__ = f"every {seconds}s: {name}"
    return loop
