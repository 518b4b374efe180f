"""The order-to-cash flow as the benchmarks drive it: the data it needs, one order placed, one
order shipped, and the orders' states and per-hop timings read from the services' databases."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass

import asyncpg
import httpx

from bench.cpu import generator_session
from devstack.postgres import PostgresCluster
from devstack.topology import BUSINESS_SERVICES, database_name

CUSTOMERS = 50

# What "reserved" and "invoiced" are on the orders' table.
REACHED = {
    "reserved": "stock_status = 'reserved'",
    "invoiced": "status IN ('invoiced', 'paid', 'closed')",
}


@dataclass(frozen=True)
class Fixtures:
    """One product in stock in one warehouse, and the customers who buy it."""

    product: str
    warehouse: str
    customers: list[str]


def created(reply: httpx.Response) -> str:
    """The id of what a POST created; fails with the answer otherwise."""
    assert reply.is_success, f"{reply.request.method} {reply.request.url}: {reply.text}"
    new_id: str = reply.json()["id"]
    return new_id


async def prepare(api: httpx.AsyncClient, stock: int) -> Fixtures:
    price = {"amount": "9.99", "currency": "EUR"}
    sku = f"B-{uuid.uuid4().hex[:6]}"
    product = created(
        await api.post("/products", json={"sku": sku, "name": "Bench", "list_price": price})
    )
    code = f"B{uuid.uuid4().hex[:5]}"
    warehouse = created(await api.post("/warehouses", json={"code": code, "name": "Bench"}))
    reply = await api.post(
        "/stock/adjustments",
        json={
            "warehouse_id": warehouse,
            "product_id": product,
            "quantity_delta": stock,
            "reason": "bench",
        },
    )
    assert reply.is_success, reply.text
    customers = [
        created(
            await api.post(
                "/customers",
                json={"name": f"Bench buyer {n}", "kind": "company", "currency": "EUR"},
            )
        )
        for n in range(CUSTOMERS)
    ]
    return Fixtures(product, warehouse, customers)


async def place(api: httpx.AsyncClient, fixtures: Fixtures, i: int) -> str:
    """POST /sales-orders for one unit; the new order's id."""
    reply = await api.post(
        "/sales-orders",
        json={
            "customer_id": fixtures.customers[i % len(fixtures.customers)],
            "currency": "EUR",
            "lines": [{"product_id": fixtures.product, "quantity": 1}],
        },
    )
    assert reply.status_code == 201, reply.text
    order_id: str = reply.json()["id"]
    return order_id


async def ship(api: httpx.AsyncClient, fixtures: Fixtures, order_id: str, i: int) -> None:
    reply = await api.post(
        "/shipments",
        json={
            "order_id": order_id,
            "warehouse_id": fixtures.warehouse,
            "carrier": "BENCH",
            "tracking_number": str(i),
        },
    )
    assert reply.status_code == 201, reply.text


def orders_db(pg: PostgresCluster) -> contextlib.AbstractAsyncContextManager[asyncpg.Connection]:
    """A session of the load generator's own on the orders' database."""
    return generator_session(pg.url(database_name("orders"), driver="postgresql"))


async def states(connection: asyncpg.Connection, ids: list[str]) -> dict[str, tuple[bool, bool]]:
    """(reserved, invoiced) of each order in `ids`."""
    rows = await connection.fetch(
        f"SELECT id::text AS id, ({REACHED['reserved']}) AS reserved,"
        f" ({REACHED['invoiced']}) AS invoiced FROM sales_orders WHERE id = ANY($1)",
        ids,
    )
    return {r["id"]: (bool(r["reserved"]), bool(r["invoiced"])) for r in rows}


async def wait_for(pg: PostgresCluster, state: str, ids: list[str], timeout: float = 300) -> None:
    """Until every order has reached `state`; fails loudly rather than report a timeout as a
    figure."""
    async with orders_db(pg) as connection:
        deadline = time.monotonic() + timeout
        while True:
            done = await connection.fetchval(
                f"SELECT count(*) FROM sales_orders WHERE id = ANY($1) AND {REACHED[state]}",
                ids,
            )
            if done == len(ids):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(ids) - done} orders never became {state}")
            await asyncio.sleep(0.05)


HOPS = (
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
)


async def hop_latencies(pg: PostgresCluster, ids: list[str]) -> dict[str, list[float]]:
    """Outbox commit -> broker ack per service, and the saga's hops from the orders' journal."""
    hops: dict[str, list[float]] = {}
    for service in BUSINESS_SERVICES:
        url = pg.url(database_name(service), driver="postgresql")
        async with generator_session(url) as connection:
            rows = await connection.fetch(
                "SELECT extract(epoch FROM published_at - created_at) * 1000 AS ms FROM outbox"
                " WHERE published_at IS NOT NULL"
            )
            if rows:
                hops[f"{service}: outbox commit -> broker ack"] = [float(r["ms"]) for r in rows]
    async with orders_db(pg) as connection:
        for label, start, end in HOPS:
            rows = await connection.fetch(
                "SELECT extract(epoch FROM b.at - a.at) * 1000 AS ms FROM order_history a"
                " JOIN order_history b ON a.order_id = b.order_id"
                f" WHERE {start} AND {end} AND a.order_id = ANY($1)",
                ids,
            )
            hops[label] = [float(r["ms"]) for r in rows]
    return hops
