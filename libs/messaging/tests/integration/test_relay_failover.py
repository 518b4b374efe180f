"""Relay failover when the active relay's node is lost, not killed: its connections to
PostgreSQL go silent (a network partition) while their sockets stay open, so nothing tells the
server the session is gone. A standby must take over publishing within seconds."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from messaging.kafka import make_producer
from messaging.leadership import Lease
from messaging.relay import OutboxRelay
from servicekit.db import Database
from testkit.links import Link
from testkit.services import operator

sys.path.insert(0, str(Path(__file__).parent))
import probe
from test_delivery_guarantees import Probe, eventually, probe_env

__all__ = ["probe_env"]  # the fixture, shared with the delivery-guarantee tests

LEASE = Lease(2.0)


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def test_a_standby_relay_publishes_within_seconds_when_the_active_ones_link_goes_silent(
    probe_env: Probe,
) -> None:
    url = make_url(probe_env.url)
    link = Link(url.host or "127.0.0.1", url.port or 5432)
    behind_link = Database(url.set(port=await link.start()).render_as_string(hide_password=False))
    producer = make_producer(operator(probe_env.bootstrap), "failover-test")
    await producer.start()
    outbox = probe.tables.outbox
    active = OutboxRelay(behind_link.engine, outbox, producer, probe.SOURCE, lease=LEASE)
    standby = OutboxRelay(probe_env.database.engine, outbox, producer, probe.SOURCE, lease=LEASE)
    first = asyncio.create_task(active.run())
    second: asyncio.Task[None] | None = None
    try:
        await probe_env.write_events([f"{probe_env.prefix}-before"])
        await eventually(lambda: _all_published(probe_env), seconds=15)  # only `active` runs
        second = asyncio.create_task(standby.run())
        await asyncio.sleep(1.0)  # the standby is polling for the lock
        link.go_silent()
        silent_at = time.monotonic()
        await probe_env.write_events([f"{probe_env.prefix}-after-{n}" for n in range(3)])
        await eventually(lambda: _all_published(probe_env), seconds=20)
        took = time.monotonic() - silent_at
        # The lock of a silent holder is free a lease after its last heartbeat; the standby
        # polls for it every quarter lease. Without the lease it would wait for TCP keepalive.
        assert took < LEASE.seconds + 3.0, f"standby took over after {took:.1f} s"
    finally:
        await _stop(first)
        if second is not None:
            await _stop(second)
        await link.close()
        await producer.stop()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(behind_link.dispose(), 5)


async def _all_published(env: Probe) -> bool:
    return await env.unpublished() == 0
