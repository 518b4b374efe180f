"""End-to-end benchmark of the order-to-cash flow on one machine.

    make bench                     # or: python -m bench.order_flow --orders 400 --concurrency 16

Starts its own stack (real Kafka, PostgreSQL, every service, the gateway), then:
1. places N orders through the REST API with C in flight (latency of POST /sales-orders);
2. waits until every order is reserved, ships each one, waits until every one is invoiced;
3. reads the services' own timestamps for the per-hop costs: outbox commit -> broker, and
   placed -> reserved, shipped -> invoiced (two Kafka hops and two consumers each).
Prints the figures and writes bench/reports/order_flow.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx

from bench.stack import private_stack
from bench.stats import machine, percentiles
from devstack.kafka import KafkaBroker
from devstack.postgres import PostgresCluster
from devstack.supervisor import Stack
from devstack.topology import BUSINESS_SERVICES, database_name

REPORT = Path(__file__).parent / "reports" / "order_flow.md"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def stack_pids(stack: Stack, kafka: KafkaBroker, postgres: PostgresCluster) -> dict[str, list[int]]:
    """Every process of the stack, by name; PostgreSQL's backends counted together."""
    pids = {name: [p.popen.pid] for name, p in stack.processes.items() if p.popen is not None}
    if kafka.process is not None:
        pids["kafka"] = [kafka.process.pid]
    pids["postgresql"] = [
        int(d.name)
        for d in Path("/proc").iterdir()
        if d.name.isdigit() and d.stat().st_uid == postgres_uid(postgres)
    ]
    return pids


def postgres_uid(postgres: PostgresCluster) -> int:
    assert postgres.data_dir is not None
    return postgres.data_dir.stat().st_uid


def cpu_by_process(pids: dict[str, list[int]]) -> dict[str, float]:
    used: dict[str, float] = {}
    for name, group in pids.items():
        total = 0.0
        for pid in group:
            try:
                total += cpu_seconds(pid)
            except (FileNotFoundError, ProcessLookupError):
                continue  # a backend that ended
        used[name] = total
    return used


def line(name: str, values_ms: Sequence[float]) -> str:
    p = percentiles(values_ms)
    figures = " | ".join(f"{p[k]:.1f}" for k in ("p50", "p95", "p99", "max"))
    return f"| {name} | {len(values_ms)} | {figures} |"


async def in_parallel(
    count: int, limit: int, job: Callable[[int], Awaitable[float]]
) -> list[float]:
    gate = asyncio.Semaphore(limit)

    async def one(i: int) -> float:
        async with gate:
            return await job(i)

    return list(await asyncio.gather(*[one(i) for i in range(count)]))


# What "reserved" and "invoiced" are on the orders' table.
REACHED = {
    "reserved": "stock_status = 'reserved'",
    "invoiced": "status IN ('invoiced', 'paid', 'closed')",
}


async def wait_for(pg: PostgresCluster, state: str, ids: list[str], timeout: float = 300) -> None:
    """Until every order has reached `state`; fails loudly rather than report a timeout as a
    figure."""
    connection = await asyncpg.connect(pg.url(database_name("orders"), driver="postgresql"))
    try:
        deadline = time.monotonic() + timeout
        while True:
            done = await connection.fetchval(
                f"SELECT count(*) FROM sales_orders WHERE id = ANY($1) AND {REACHED[state]}", ids
            )
            if done == len(ids):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(ids) - done} orders never became {state}")
            await asyncio.sleep(0.05)
    finally:
        await connection.close()


async def hop_latencies(pg: PostgresCluster, ids: list[str]) -> dict[str, list[float]]:
    hops: dict[str, list[float]] = {}
    for service in BUSINESS_SERVICES:
        connection = await asyncpg.connect(pg.url(database_name(service), driver="postgresql"))
        try:
            rows = await connection.fetch(
                "SELECT extract(epoch FROM published_at - created_at) * 1000 AS ms FROM outbox"
                " WHERE published_at IS NOT NULL"
            )
            if rows:
                hops[f"{service}: outbox commit -> broker ack"] = [float(r["ms"]) for r in rows]
        finally:
            await connection.close()
    connection = await asyncpg.connect(pg.url(database_name("orders"), driver="postgresql"))
    try:
        for label, start, end in (
            (
                "placed -> reserved (orders -> inventory -> orders)",
                "a.from_status IS NULL AND a.note = ''",
                "b.note = 'stock reserved'",
            ),
            (
                "shipped -> invoiced (inventory -> billing -> orders)",
                "a.to_status = 'shipped' AND a.from_status IS NOT NULL",
                "b.to_status = 'invoiced'",
            ),
        ):
            rows = await connection.fetch(
                "SELECT extract(epoch FROM b.at - a.at) * 1000 AS ms FROM order_history a"
                " JOIN order_history b ON a.order_id = b.order_id"
                f" WHERE {start} AND {end} AND a.order_id = ANY($1)",
                ids,
            )
            hops[label] = [float(r["ms"]) for r in rows]
    finally:
        await connection.close()
    return hops


async def run(orders: int, concurrency: int) -> str:
    async with private_stack() as private:
        stack, kafka, postgres = private.stack, private.kafka, private.postgres
        async with private.api(connections=concurrency * 2) as api:
            pids = stack_pids(stack, kafka, postgres)
            before = cpu_by_process(pids)
            text = await measure(api, postgres, orders, concurrency)
            after = cpu_by_process(stack_pids(stack, kafka, postgres))
    per_order = {n: (after[n] - before.get(n, 0.0)) * 1000 / orders for n in after}
    rows = "\n".join(
        f"| {n} | {ms:.2f} |" for n, ms in sorted(per_order.items(), key=lambda x: -x[1])
    )
    total = sum(per_order.values())
    return (
        f"{text}\n| process | CPU ms per order (whole flow) |\n|---|---|\n{rows}\n"
        f"| all of the stack | {total:.2f} |\n"
    )


async def measure(
    api: httpx.AsyncClient, postgres: PostgresCluster, count: int, concurrency: int
) -> str:
    product = (
        await api.post(
            "/products",
            json={
                "sku": f"B-{uuid.uuid4().hex[:6]}",
                "name": "Bench",
                "list_price": {"amount": "9.99", "currency": "EUR"},
            },
        )
    ).json()["id"]
    warehouse = (await api.post("/warehouses", json={"code": "BENCH", "name": "Bench"})).json()[
        "id"
    ]
    await api.post(
        "/stock/adjustments",
        json={
            "warehouse_id": warehouse,
            "product_id": product,
            "quantity_delta": count * 10,
            "reason": "bench",
        },
    )
    customers = [
        (
            await api.post(
                "/customers",
                json={"name": f"Bench buyer {n}", "kind": "company", "currency": "EUR"},
            )
        ).json()["id"]
        for n in range(50)
    ]
    ids: list[str] = []

    async def place(i: int) -> float:
        began = time.perf_counter()
        reply = await api.post(
            "/sales-orders",
            json={
                "customer_id": customers[i % 50],
                "currency": "EUR",
                "lines": [{"product_id": product, "quantity": 1}],
            },
        )
        assert reply.status_code == 201, reply.text
        ids.append(reply.json()["id"])
        return (time.perf_counter() - began) * 1000

    print(f"placing {count} orders, {concurrency} in flight...", flush=True)
    began = time.perf_counter()
    place_ms = await in_parallel(count, concurrency, place)
    placed_s = time.perf_counter() - began
    await wait_for(postgres, "reserved", ids)
    reserved_s = time.perf_counter() - began

    async def ship(i: int) -> float:
        started = time.perf_counter()
        reply = await api.post(
            "/shipments",
            json={
                "order_id": ids[i],
                "warehouse_id": warehouse,
                "carrier": "BENCH",
                "tracking_number": str(i),
            },
        )
        assert reply.status_code == 201, reply.text
        return (time.perf_counter() - started) * 1000

    print("shipping every order...", flush=True)
    shipped_began = time.perf_counter()
    ship_ms = await in_parallel(count, concurrency, ship)
    await wait_for(postgres, "invoiced", ids)
    total_s = time.perf_counter() - began
    invoiced_s = time.perf_counter() - shipped_began
    hops = await hop_latencies(postgres, ids)
    return report(
        count, concurrency, place_ms, ship_ms, placed_s, reserved_s, invoiced_s, total_s, hops
    )


def report(
    count: int,
    concurrency: int,
    place_ms: list[float],
    ship_ms: list[float],
    placed_s: float,
    reserved_s: float,
    invoiced_s: float,
    total_s: float,
    hops: dict[str, list[float]],
) -> str:
    rows = [
        "# Order-to-cash benchmark",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; everything (Kafka,"
        " PostgreSQL, 6 services, gateway, this load generator) on the same machine."
        " Command: `make bench`.",
        "",
        f"- {count} orders, {concurrency} requests in flight",
        f"- placing: {count / placed_s:.0f} orders/s accepted by the API ({placed_s:.1f} s)",
        f"- placed -> all reserved: {reserved_s:.1f} s after the first order",
        f"- shipping -> all invoiced: {invoiced_s:.1f} s",
        f"- end to end (first order placed -> last invoice recorded on its order, including the"
        f" shipping requests): {count / total_s:.0f} orders/s",
        "",
        "| measure (ms) | n | p50 | p95 | p99 | max |",
        "|---|---|---|---|---|---|",
        line("POST /sales-orders (gateway -> catalog, orders, commit)", place_ms),
        line("POST /shipments (gateway -> inventory, commit)", ship_ms),
        *[line(name, values) for name, values in hops.items() if values],
        "",
    ]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.order_flow")
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    text = asyncio.run(run(args.orders, args.concurrency))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text)
    print(text)
    print(f"written to {REPORT}")


if __name__ == "__main__":
    main()
