"""Which relay replica publishes: the holder of a session advisory lock, kept as a lease.

A session lock alone lasts as long as PostgreSQL believes the session is alive. When the
holder's node is lost (crash of the host, network partition) nothing closes its socket, and the
server keeps the session, and the lock, until TCP keepalive gives up: hours by default, with
publishing stalled all that time. So the lock's connection is made to prove itself:

- the holder runs a heartbeat query every `seconds / 4`;
- the server ends the session when it has been idle for `seconds` (`idle_session_timeout`,
  a timer in the server: it needs nothing from the network), and TCP keepalive and
  `tcp_user_timeout` bound a session stuck writing to a dead peer, so the lock of a silent
  holder is free at most `seconds` after its last heartbeat;
- the holder stops publishing on its own once its last confirmed heartbeat is older than
  `seconds` minus one heartbeat, before the server can have handed the lock to another;
- a standby polls for the lock and takes it over as soon as it is free.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from dataclasses import dataclass

import asyncpg
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)


class LeadershipLost(Exception):
    """The relay lock's heartbeat failed or is overdue: another replica may hold it now."""


@dataclass(frozen=True)
class Lease:
    """How long a silent holder keeps the relay lock."""

    seconds: float = 10.0

    def __post_init__(self) -> None:
        if self.seconds < 1:
            raise ValueError("the relay lease must be at least one second")

    @property
    def heartbeat(self) -> float:
        return self.seconds / 4

    def server_settings(self) -> dict[str, str]:
        lease_ms = int(self.seconds * 1000)
        probe = max(1, int(self.heartbeat))
        return {
            "idle_session_timeout": str(lease_ms),
            "tcp_user_timeout": str(lease_ms),
            "tcp_keepalives_idle": str(probe),
            "tcp_keepalives_interval": str(probe),
            "tcp_keepalives_count": "3",
            # no statement on this connection takes longer than a heartbeat
            "statement_timeout": str(int(self.heartbeat * 1000)),
        }

    def dsn(self, sqlalchemy_url: str) -> str:
        """An asyncpg DSN whose query carries the settings (asyncpg passes unknown query
        parameters to the server as session settings)."""
        url = make_url(sqlalchemy_url).update_query_dict(self.server_settings())
        return url.set(drivername="postgresql").render_as_string(hide_password=False)


def lock_key(source: str) -> int:
    return int.from_bytes(hashlib.sha256(f"outbox-relay:{source}".encode()).digest()[:7], "big")


class RelayLock:
    """The relay lock on one connection (opened with `Lease.dsn`)."""

    def __init__(self, connection: asyncpg.Connection, source: str, lease: Lease) -> None:
        self.connection = connection
        self.key = lock_key(source)
        self.lease = lease
        self._confirmed = 0.0  # when the last successful heartbeat was sent (monotonic)
        self.lost = False

    async def acquire(self, poll_seconds: float) -> None:
        """Waits until this replica holds the lock; the polls keep the session from idling out."""
        poll = min(poll_seconds, self.lease.heartbeat)
        while not await self._beat("SELECT pg_try_advisory_lock($1)", self.key):  # noqa: ASYNC110
            await asyncio.sleep(poll)

    async def keep(self, on_lost: asyncio.Event) -> None:
        """Heartbeats until one fails or times out; then marks the lock lost and sets `on_lost`
        so the publisher stops at once instead of at its next poll."""
        try:
            while True:
                await asyncio.sleep(self.lease.heartbeat)
                await self._beat("SELECT 1")
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            log.warning("relay lock heartbeat failed (%s: %s)", type(error).__name__, error)
            self.lost = True
            on_lost.set()

    def holds(self) -> bool:
        """Whether the server cannot have freed the lock yet (one heartbeat of margin)."""
        age = time.monotonic() - self._confirmed
        return not self.lost and age < self.lease.seconds - self.lease.heartbeat

    def check(self) -> None:
        if not self.holds():
            raise LeadershipLost("relay lock heartbeat overdue or failed; standing down")

    async def _beat(self, query: str, *args: object) -> object:
        sent = time.monotonic()
        # The timeout bounds a heartbeat on a link that went silent (no answer, no error).
        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that
        # arrives as the query completes, and the relay's shutdown then waits forever.
        async with asyncio.timeout(self.lease.heartbeat):
            result = await self.connection.fetchval(query, *args)
        if result is not False:
            self._confirmed = sent
        return result

    async def release(self) -> None:
        """Closes the connection (the server frees the lock); drops it when it cannot close."""
        try:
            async with asyncio.timeout(self.lease.heartbeat):
                await self.connection.close()
        except (OSError, asyncpg.InterfaceError):
            self.connection.terminate()
