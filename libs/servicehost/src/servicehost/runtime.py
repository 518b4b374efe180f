"""Runs a service process: its gRPC server and background loops until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Protocol

log = logging.getLogger(__name__)


class Stoppable(Protocol):
    async def stop(self, grace: float | None) -> Any: ...


async def run_until_stopped(
    server: Stoppable,
    loops: Sequence[Callable[[], Coroutine[Any, Any, None]]],
    grace_seconds: float = 5.0,
) -> None:
    """Serves until a stop signal, or until a background loop fails (the process then exits
    non-zero so a supervisor restarts it, rather than limping on without its consumer)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(run(), name=getattr(run, "__qualname__", "loop")) for run in loops]
    stopper = asyncio.create_task(stop.wait())
    try:
        done, _ = await asyncio.wait([stopper, *tasks], return_when=asyncio.FIRST_COMPLETED)
        failed = [task for task in done if task is not stopper and task.exception() is not None]
        log.info("stopping")
        await server.stop(grace_seconds)
    finally:
        # also when this coroutine itself is cancelled: no loop may outlive its resources
        for task in [*tasks, stopper]:
            task.cancel()
        await asyncio.gather(*tasks, stopper, return_exceptions=True)
    if failed:
        cause = failed[0]
        raise RuntimeError(f"background loop {cause.get_name()} failed") from cause.exception()
