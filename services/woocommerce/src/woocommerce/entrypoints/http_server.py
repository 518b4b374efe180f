"""The webhook app served by uvicorn inside the service's own event loop, stoppable like the
gRPC servers servicehost runs (servicehost.runtime.Stoppable)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any

import uvicorn
from starlette.applications import Starlette


class _QuietServer(uvicorn.Server):
    """servicehost owns SIGTERM and SIGINT: this server must not take them over."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class HttpServer:
    def __init__(self, app: Starlette, host: str, port: int) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False)
        self._server = _QuietServer(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()  # surfaces a port already in use
                raise RuntimeError("the webhook server stopped while starting")
            await asyncio.sleep(0.02)

    async def stop(self, grace: float | None) -> Any:
        self._server.should_exit = True
        if self._task is not None:
            await asyncio.wait_for(self._task, timeout=grace)
