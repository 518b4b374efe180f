"""Open loop at a fixed offered rate: orders are sent on a schedule whether or not earlier ones
have been answered, and every latency counts from the order's intended send time, so a stall
shows up in full rather than as one slow request (no coordinated omission).

One task sends on the schedule; one poller reads the orders' states every POLL_S, ships each
order as soon as it is reserved and notes when it is invoiced. Saga completion is intended send
-> invoiced as the poller sees it (so within POLL_S plus one query of the truth)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx

from bench.flow import Fixtures, orders_db, place, ship, states
from devstack.postgres import PostgresCluster

POLL_S = 0.02


def schedule(rate: float, duration: float) -> list[float]:
    """Intended send times (seconds from the start) of `rate` orders per second for `duration`
    seconds, evenly spaced: the i-th at i / rate."""
    if rate <= 0 or duration <= 0:
        raise ValueError("rate and duration must be positive")
    return [i / rate for i in range(round(rate * duration))]


def latencies_from_intended(
    intended: list[float], done: list[float | None], end: float
) -> tuple[list[float], int]:
    """Milliseconds from each intended send time to its completion. One that never completed by
    `end` counts as `end - intended` (a lower bound): leaving it out would hide the very stalls an
    open loop is there to show. Returns the latencies and how many were incomplete."""
    out: list[float] = []
    incomplete = 0
    for start, finish in zip(intended, done, strict=True):
        if finish is None:
            incomplete += 1
            finish = max(end, start)
        out.append((finish - start) * 1000)
    return out, incomplete


def rate_between(times: list[float]) -> float:
    """Events per second over the span of `times` (n - 1 intervals); 0 if fewer than two."""
    if len(times) < 2:
        return 0.0
    span = max(times) - min(times)
    return (len(times) - 1) / span if span > 0 else 0.0


@dataclass
class Track:
    """One order of the schedule; times are seconds since the schedule's start."""

    index: int
    intended: float
    placed: float | None = None
    order_id: str | None = None
    reserved: float | None = None
    invoiced: float | None = None
    error: str | None = None


@dataclass
class OpenResult:
    rate: float
    duration: float
    tracks: list[Track]
    end: float  # when the run stopped waiting, seconds since the start
    stack_cpu_s: dict[str, float] = field(default_factory=dict)
    own_cpu_s: float = 0.0

    def placement_ms(self) -> tuple[list[float], int]:
        return latencies_from_intended(
            [t.intended for t in self.tracks], [t.placed for t in self.tracks], self.end
        )

    def completion_ms(self) -> tuple[list[float], int]:
        return latencies_from_intended(
            [t.intended for t in self.tracks], [t.invoiced for t in self.tracks], self.end
        )

    def accepted_per_s(self) -> float:
        return rate_between([t.placed for t in self.tracks if t.placed is not None])

    def completed_per_s(self) -> float:
        return rate_between([t.invoiced for t in self.tracks if t.invoiced is not None])

    def completed(self) -> int:
        return sum(1 for t in self.tracks if t.invoiced is not None)

    def errors(self) -> list[str]:
        return [t.error for t in self.tracks if t.error is not None]

    def timeline(self) -> list[tuple[float, float | None, float | None]]:
        """(intended send, placement ms, completion ms) per order; None where it never came."""
        return [
            (
                t.intended,
                None if t.placed is None else (t.placed - t.intended) * 1000,
                None if t.invoiced is None else (t.invoiced - t.intended) * 1000,
            )
            for t in self.tracks
        ]


class OpenLoop:
    def __init__(self, api: httpx.AsyncClient, fixtures: Fixtures, offset: int) -> None:
        self.api = api
        self.fixtures = fixtures
        self.offset = offset  # numbers this run's orders after the previous runs' ones
        self.started = 0.0
        self.pending: dict[str, Track] = {}
        self.tasks: set[asyncio.Task[None]] = set()

    def now(self) -> float:
        return time.perf_counter() - self.started

    def spawn(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(job)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def send(self, tracks: list[Track]) -> None:
        """Fires each order at its intended time, never waiting for an answer."""
        for track in tracks:
            delay = track.intended - self.now()
            if delay > 0:
                await asyncio.sleep(delay)
            self.spawn(self.place_one(track))

    async def place_one(self, track: Track) -> None:
        try:
            track.order_id = await place(self.api, self.fixtures, self.offset + track.index)
        except (AssertionError, httpx.HTTPError) as error:
            track.error = f"placing: {error!r}"[:200]
            return
        track.placed = self.now()
        self.pending[track.order_id] = track

    async def ship_one(self, track: Track) -> None:
        assert track.order_id is not None
        try:
            await ship(self.api, self.fixtures, track.order_id, self.offset + track.index)
        except (AssertionError, httpx.HTTPError) as error:
            track.error = f"shipping: {error!r}"[:200]
            self.pending.pop(track.order_id, None)

    async def poll(
        self, connection: asyncpg.Connection, sender: asyncio.Task[None], deadline: float
    ) -> None:
        """Ships what got reserved, notes what got invoiced, until all are or the deadline."""
        while self.now() < deadline:
            if sender.done() and not self.pending and not self.tasks:
                return
            if self.pending:
                self.note(await states(connection, list(self.pending)), self.now())
            await asyncio.sleep(POLL_S)

    def note(self, seen: Mapping[str, tuple[bool, bool]], at: float) -> None:
        """One poll's (reserved, invoiced) per order: ships what got reserved, notes what got
        invoiced. An order whose shipping failed while the poll was out is no longer pending."""
        for order_id, (reserved, invoiced) in seen.items():
            track = self.pending.get(order_id)
            if track is None:
                continue
            if reserved and track.reserved is None:
                track.reserved = at
                self.spawn(self.ship_one(track))
            if invoiced:
                track.invoiced = at
                del self.pending[order_id]


async def run_open(
    api: httpx.AsyncClient,
    postgres: PostgresCluster,
    fixtures: Fixtures,
    rate: float,
    duration: float,
    offset: int = 0,
    drain_s: float = 30.0,
) -> OpenResult:
    """Offers `rate` orders/s for `duration` s, then waits up to `drain_s` for the last ones."""
    tracks = [Track(i, at) for i, at in enumerate(schedule(rate, duration))]
    loop = OpenLoop(api, fixtures, offset)
    async with orders_db(postgres) as connection:
        loop.started = time.perf_counter()
        sender = asyncio.create_task(loop.send(tracks))
        await loop.poll(connection, sender, deadline=duration + drain_s)
        end = loop.now()
        sender.cancel()
        for task in list(loop.tasks):
            task.cancel()
    return OpenResult(rate, duration, tracks, end)
