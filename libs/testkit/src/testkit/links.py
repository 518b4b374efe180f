"""A TCP link between a client and its server that a test can break the way networks and
servers do: go silent with every socket open (a partition), or pass the client bytes its
server did not send."""

from __future__ import annotations

import asyncio
import contextlib


class Link:
    """Listens on a port of its own and passes each connection's bytes to `host:port` and
    back."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.flowing = asyncio.Event()
        self.flowing.set()
        self.to_clients: list[asyncio.StreamWriter] = []
        self.writers: list[asyncio.StreamWriter] = []
        self.pipes: list[asyncio.Task[None]] = []

    async def start(self) -> int:
        """The port clients connect to."""
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        self.to_clients.append(writer)
        self.writers += [writer, upstream_writer]
        self.pipes += [
            asyncio.create_task(self._pipe(reader, upstream_writer)),
            asyncio.create_task(self._pipe(upstream_reader, writer)),
        ]

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                await self.flowing.wait()
                writer.write(data)
                await writer.drain()

    def go_silent(self) -> None:
        """Stops passing bytes either way, every socket left open: no FIN, no RST."""
        self.flowing.clear()

    async def tell_clients(self, data: bytes) -> None:
        """Sends `data` to every client connected, as if from the server."""
        for writer in self.to_clients:
            writer.write(data)
            await writer.drain()

    async def close(self) -> None:
        self.server.close()
        for pipe in self.pipes:
            pipe.cancel()
        for writer in self.writers:
            writer.transport.abort()
