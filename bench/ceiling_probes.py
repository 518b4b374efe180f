"""The units of the ceiling, each measured bare on the private stack's broker and database or in
this process: Kafka produce and consume as the services' clients do them (mutual TLS, acks=all,
idempotent, one consumer group committing per batch), a PostgreSQL transaction of the flow's
shape (insert, update, outbox insert), a gRPC call over mutual TLS (the health service, server
and client in this process) and an HTTP request (a bare ASGI app under uvicorn in a thread of
its own, so the server's CPU is told apart from the client's)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import grpc
import httpx
import uvicorn
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from bench.ceiling import UnitCost
from bench.cpu import cpu_seconds, own_cpu_seconds, postgres_pids, thread_cpu_seconds
from bench.stack import PrivateStack
from devstack.postgres import PostgresCluster
from messaging.kafka import KafkaAccess, ensure_topics, make_consumer, make_producer
from servicekit.tls import TlsFiles

PAYLOAD = os.urandom(240)  # about the size of a SalesOrderStatusChanged


async def concurrently(
    count: int, limit: int, job: Callable[[int], Awaitable[None]]
) -> tuple[float, list[float]]:
    """Runs job(0..count-1) with `limit` in flight: wall seconds, and ms per job."""
    latencies: list[float] = []
    gate = asyncio.Semaphore(limit)

    async def one(i: int) -> None:
        async with gate:
            began = time.perf_counter()
            await job(i)
            latencies.append((time.perf_counter() - began) * 1000)

    began = time.perf_counter()
    await asyncio.gather(*[one(i) for i in range(count)])
    return time.perf_counter() - began, latencies


def headers(i: int) -> list[tuple[str, bytes]]:
    """CloudEvents headers as the relays send them."""
    return [
        ("ce_id", uuid.uuid4().hex.encode()),
        ("ce_type", b"oms.orders.SalesOrderStatusChanged.v1"),
        ("ce_source", b"orders"),
        ("ce_time", b"2026-12-05T18:00:00Z"),
        ("content-type", b"application/protobuf"),
        ("traceparent", f"00-{uuid.uuid4().hex}-{i:016x}-01".encode()),
    ]


async def kafka_produce(access: KafkaAccess, topic: str, broker: int, count: int) -> UnitCost:
    """Batches of 50 sends, each batch awaited, as a relay publishes what a NOTIFY woke it for."""
    producer = make_producer(access, "bench-ceiling")
    await producer.start()
    try:
        cpu = own_cpu_seconds() + cpu_seconds(broker)
        began = time.perf_counter()
        for start in range(0, count, 50):
            sent = [
                await producer.send(topic, PAYLOAD, key=str(i % 97).encode(), headers=headers(i))
                for i in range(start, min(count, start + 50))
            ]
            await asyncio.gather(*sent)
        seconds = time.perf_counter() - began
        used = own_cpu_seconds() + cpu_seconds(broker) - cpu
    finally:
        await producer.stop()
    return UnitCost("produce", "Kafka produce (mTLS, acks=all, idempotent)", count, seconds, used)


async def kafka_consume(access: KafkaAccess, topic: str, broker: int, count: int) -> UnitCost:
    """One consumer group reading every record from the start, committing after each batch."""
    consumer = make_consumer(access, f"bench-ceiling-{uuid.uuid4().hex[:6]}", [topic])
    cpu = own_cpu_seconds() + cpu_seconds(broker)
    await consumer.start()
    try:
        seen, began = 0, 0.0
        deadline = time.monotonic() + 120
        while seen < count and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            got = sum(len(records) for records in batches.values())
            if got and not began:
                began = time.perf_counter()  # the group's join is not a delivery's cost
            seen += got
            if got:
                await consumer.commit()
        seconds = time.perf_counter() - began if began else 0.0
        used = own_cpu_seconds() + cpu_seconds(broker) - cpu
    finally:
        await consumer.stop()
    return UnitCost("consume", "Kafka consume (group, commit per batch)", seen, seconds, used)


SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (id uuid PRIMARY KEY, customer text NOT NULL,
  status text NOT NULL, total numeric(18, 2) NOT NULL, document jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz);
CREATE TABLE IF NOT EXISTS stock (product int PRIMARY KEY, reserved int NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (id bigserial PRIMARY KEY, topic text NOT NULL,
  key text NOT NULL, payload bytea NOT NULL, headers jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz);
INSERT INTO stock SELECT g, 0 FROM generate_series(0, 49) g ON CONFLICT DO NOTHING;
"""


async def postgres_transactions(postgres: PostgresCluster, count: int, limit: int) -> UnitCost:
    """Insert a row, update another, insert an outbox row: one transaction, asyncpg's prepared
    statements, `limit` connections."""
    await postgres.create_database("bench_ceiling")
    pool = await asyncpg.create_pool(
        postgres.url("bench_ceiling", driver="postgresql"), min_size=limit, max_size=limit
    )
    try:
        await pool.execute(SCHEMA)
        document = json.dumps({"lines": [{"product": 1, "quantity": 1, "price": "9.99"}]})
        envelope = json.dumps({k: v.decode() for k, v in headers(0)})

        async def transaction(i: int) -> None:
            async with pool.acquire() as connection, connection.transaction():
                order = uuid.uuid4()
                await connection.execute(
                    "INSERT INTO orders (id, customer, status, total, document)"
                    " VALUES ($1, $2, 'placed', 9.99, $3)",
                    order,
                    f"c{i % 50}",
                    document,
                )
                await connection.execute(
                    "UPDATE stock SET reserved = reserved + 1 WHERE product = $1", i % 50
                )
                await connection.execute(
                    "INSERT INTO outbox (topic, key, payload, headers) VALUES ($1, $2, $3, $4)",
                    "oms.orders.sales-order.v1",
                    str(order),
                    PAYLOAD,
                    envelope,
                )

        before = own_cpu_seconds() + sum(map(cpu_seconds, postgres_pids(postgres)))
        seconds, latencies = await concurrently(count, limit, transaction)
        used = own_cpu_seconds() + sum(map(cpu_seconds, postgres_pids(postgres))) - before
    finally:
        await pool.close()
    label = "PostgreSQL transaction (insert, update, outbox insert)"
    return UnitCost("transaction", label, count, seconds, used, 0.0, tuple(latencies))


async def grpc_calls(
    server_tls: TlsFiles, client_tls: TlsFiles, count: int, limit: int
) -> UnitCost:
    """Health/Check over mutual TLS; the server and the client are both the stack's in the flow
    (gateway -> service), so all of this process's CPU counts."""
    server = grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(health.aio.HealthServicer(), server)
    port = server.add_secure_port("127.0.0.1:0", server_tls.server_credentials())
    await server.start()
    channel = grpc.aio.secure_channel(f"localhost:{port}", client_tls.channel_credentials())
    try:
        stub = health_pb2_grpc.HealthStub(channel)
        request = health_pb2.HealthCheckRequest(service="")
        await stub.Check(request)  # the handshake is not a call's cost

        async def call(_: int) -> None:
            await stub.Check(request)

        before = own_cpu_seconds()
        seconds, latencies = await concurrently(count, limit, call)
        used = own_cpu_seconds() - before
    finally:
        await channel.close()
        await server.stop(None)
    label = "gRPC call (grpc.aio, mTLS, Health/Check)"
    return UnitCost("grpc", label, count, seconds, used, 0.0, tuple(latencies))


async def bare_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An ASGI app that reads the body and answers 201 with a small JSON document."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = bool(message.get("more_body", False))
    await send(
        {
            "type": "http.response.start",
            "status": 201,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send(
        {"type": "http.response.body", "body": b'{"id": "' + uuid.uuid4().hex.encode() + b'"}'}
    )


class ThreadServer:
    """uvicorn serving bare_app on its own event loop in its own thread."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port: int = self.socket.getsockname()[1]
        config = uvicorn.Config(bare_app, log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.native_id = 0

    def _run(self) -> None:
        self.native_id = threading.get_native_id()
        asyncio.run(self.server.serve(sockets=[self.socket]))

    async def __aenter__(self) -> ThreadServer:
        self.thread.start()
        await asyncio.to_thread(self._wait_started)
        return self

    def _wait_started(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the bare HTTP server did not start")
            time.sleep(0.01)

    async def __aexit__(self, *_: object) -> None:
        self.server.should_exit = True
        await asyncio.to_thread(self.thread.join, 10)


async def http_requests(count: int, limit: int) -> UnitCost:
    """POST of a small JSON body through httpx to the bare app: the server's thread is the
    stack's share (the gateway's), the rest of this process the load generator's."""
    async with (
        ThreadServer() as server,
        httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{server.port}", limits=httpx.Limits(max_connections=limit)
        ) as client,
    ):
        body = {"customer_id": str(uuid.uuid4()), "lines": [{"product_id": "p", "quantity": 1}]}
        await client.post("/", json=body)

        async def request(_: int) -> None:
            reply = await client.post("/", json=body)
            assert reply.status_code == 201

        own, served = own_cpu_seconds(), thread_cpu_seconds(server.native_id)
        seconds, latencies = await concurrently(count, limit, request)
        served = thread_cpu_seconds(server.native_id) - served
        own = own_cpu_seconds() - own
    label = "HTTP request (uvicorn, bare ASGI app; httpx client)"
    return UnitCost("http", label, count, seconds, served, own - served, tuple(latencies))


async def measure_ceiling(private: PrivateStack, scale: float = 1.0) -> dict[str, UnitCost]:
    """Every unit, one after the other, while the stack idles; `scale` shortens them."""
    n = max(200, int(4000 * scale))
    broker = private.kafka.process.pid if private.kafka.process is not None else os.getpid()
    access = private.kafka.operator()
    topic = f"bench.ceiling.{uuid.uuid4().hex[:8]}"
    await ensure_topics(access, [topic], partitions=3)
    units: dict[str, UnitCost] = {}
    print("ceiling: Kafka produce...", flush=True)
    units["produce"] = await kafka_produce(access, topic, broker, n)
    print("ceiling: Kafka consume...", flush=True)
    units["consume"] = await kafka_consume(access, topic, broker, n)
    print("ceiling: PostgreSQL transactions...", flush=True)
    units["transaction"] = await postgres_transactions(private.postgres, n, 8)
    print("ceiling: gRPC calls...", flush=True)
    units["grpc"] = await grpc_calls(
        private.pki.files("orders"), private.pki.files("gateway"), n, 16
    )
    print("ceiling: HTTP requests...", flush=True)
    units["http"] = await http_requests(n, 16)
    return units
