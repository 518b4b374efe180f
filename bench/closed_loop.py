"""Closed loop, for peak throughput: N orders with C requests in flight, then every one shipped
once all are reserved. A request starts when one ends, so its latency hides any queue that
builds (coordinated omission): the open loop (bench.open_loop) is the one for latencies."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from bench.flow import Fixtures, hop_latencies, place, ship, wait_for
from devstack.postgres import PostgresCluster


@dataclass
class ClosedResult:
    count: int
    concurrency: int
    place_ms: list[float]
    ship_ms: list[float]
    # (seconds since the first request was sent, placement latency ms) per order, in send order
    place_timeline: list[tuple[float, float]]
    placed_s: float
    reserved_s: float
    invoiced_s: float
    total_s: float
    hops: dict[str, list[float]] = field(default_factory=dict)

    @property
    def end_to_end_per_s(self) -> float:
        return self.count / self.total_s

    @property
    def accepted_per_s(self) -> float:
        return self.count / self.placed_s


async def in_parallel(
    count: int, limit: int, job: Callable[[int], Awaitable[float]]
) -> list[float]:
    gate = asyncio.Semaphore(limit)

    async def one(i: int) -> float:
        async with gate:
            return await job(i)

    return list(await asyncio.gather(*[one(i) for i in range(count)]))


async def run_closed(
    api: httpx.AsyncClient,
    postgres: PostgresCluster,
    fixtures: Fixtures,
    count: int,
    concurrency: int,
) -> ClosedResult:
    ids: list[str] = []
    timeline: list[tuple[float, float]] = []
    began = time.perf_counter()

    async def place_one(i: int) -> float:
        sent = time.perf_counter()
        ids.append(await place(api, fixtures, i))
        ms = (time.perf_counter() - sent) * 1000
        timeline.append((sent - began, ms))
        return ms

    print(f"closed loop: placing {count} orders, {concurrency} in flight...", flush=True)
    place_ms = await in_parallel(count, concurrency, place_one)
    placed_s = time.perf_counter() - began
    await wait_for(postgres, "reserved", ids)
    reserved_s = time.perf_counter() - began

    async def ship_one(i: int) -> float:
        sent = time.perf_counter()
        await ship(api, fixtures, ids[i], i)
        return (time.perf_counter() - sent) * 1000

    print("closed loop: shipping every order...", flush=True)
    shipped_began = time.perf_counter()
    ship_ms = await in_parallel(count, concurrency, ship_one)
    await wait_for(postgres, "invoiced", ids)
    total_s = time.perf_counter() - began
    invoiced_s = time.perf_counter() - shipped_began
    print(f"closed loop: {count / total_s:.1f} orders/s end to end", flush=True)
    return ClosedResult(
        count=count,
        concurrency=concurrency,
        place_ms=place_ms,
        ship_ms=ship_ms,
        place_timeline=sorted(timeline),
        placed_s=placed_s,
        reserved_s=reserved_s,
        invoiced_s=invoiced_s,
        total_s=total_s,
        hops=await hop_latencies(postgres, ids),
    )
