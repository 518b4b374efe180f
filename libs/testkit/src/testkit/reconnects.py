"""How often a gRPC channel tries to connect while its service is down: a listener takes each
connection and closes it at once, so every attempt fails and its time is recorded."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable

import grpc


async def connection_attempts(
    open_channel: Callable[[str], grpc.aio.Channel], seconds: float
) -> list[float]:
    """The event loop's times at which the channel `open_channel` makes for a target tried to
    connect, while one call waited `seconds` for it to become ready."""
    loop = asyncio.get_running_loop()
    attempts: list[float] = []

    def refuse(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        attempts.append(loop.time())
        writer.close()

    listener = await asyncio.start_server(refuse, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    channel = open_channel(f"127.0.0.1:{port}")
    try:
        with contextlib.suppress(grpc.aio.AioRpcError):  # DEADLINE_EXCEEDED: it never connects
            await channel.unary_unary("/probe.Probe/Ping")(
                b"", timeout=seconds, wait_for_ready=True
            )
    finally:
        await channel.close()
        listener.close()
        await listener.wait_closed()
    return attempts


def longest_gap(times: list[float]) -> float:
    return max((later - earlier for earlier, later in itertools.pairwise(times)), default=0.0)
