"""The connector as its own process (`python -m woocommerce`, as the runner starts it): it
migrates its database, serves its webhook door, stops cleanly on SIGTERM, and refuses to start
without a secrets key of its own outside development mode. Its migrations match its tables."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import grpc
import httpx
import pytest
from alembic import command
from grpc_health.v1 import health_pb2, health_pb2_grpc

from devstack.postgres import PostgresCluster
from devstack.supervisor import Stack
from devstack.topology import Ports, database_name
from servicekit.db import alembic_config
from services.woocommerce.tests.standin.server import free_port
from testkit.security import session_security
from woocommerce.bootstrap import ALEMBIC_INI

pytestmark = pytest.mark.integration
STORE_ORDERS = "oms.woocommerce.v1.StoreOrdersService"


async def test_the_migrations_build_exactly_the_declared_tables(database_url: str) -> None:
    config = alembic_config(ALEMBIC_INI, database_url)
    await asyncio.to_thread(command.check, config)
    await asyncio.to_thread(command.downgrade, config, "base")
    await asyncio.to_thread(command.upgrade, config, "head")
    await asyncio.to_thread(command.check, config)


async def start(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "woocommerce",
        env={**os.environ, **env},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_the_process_starts_serves_and_stops(database_url: str) -> None:
    port = free_port()
    process = await start(
        {
            "WOOCOMMERCE_DATABASE_URL": database_url,
            "WOOCOMMERCE_HTTP_PORT": str(port),
            "WOOCOMMERCE_DEVELOPMENT_MODE": "true",
        }
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(300):
                try:
                    if (await client.get("/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            else:
                pytest.fail("the connector never answered /health")
            ping = await client.post("/webhooks/no-such-store", content=b"webhook_id=1")
            assert ping.status_code == 404
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0


async def test_the_runner_starts_it_with_the_suite_trust(
    woo_postgres: PostgresCluster, tmp_path: Path
) -> None:
    """As `make run` and the end-to-end stack start it: outside development mode, with the key
    the trust material holds, on its own database; healthy (its webhook door, and its store
    orders API's health port), then stopped by SIGTERM."""
    ports = Ports(free_port() - 20061)  # its gRPC port free, every port below 65536
    # no broker: the connector then reads no events (the end-to-end stack gives it one)
    stack = Stack(woo_postgres, "", ports, tmp_path, session_security().secrets)
    await woo_postgres.create_database(f"{database_name('woocommerce')}_{ports.offset}")
    stack.postgres = _Renamed(woo_postgres, ports.offset)  # type: ignore[assignment]
    process = await stack.start_connector("woocommerce")
    try:
        async with httpx.AsyncClient() as client:
            answer = await client.post(
                f"http://127.0.0.1:{ports.http('woocommerce')}/webhooks/shop",
                content=b"webhook_id=1",
            )
        assert answer.status_code == 404  # no such store yet
        probe = f"127.0.0.1:{ports.connector_health('woocommerce')}"
        async with grpc.aio.insecure_channel(probe) as channel:
            health = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=STORE_ORDERS), timeout=10
            )
        assert health.status == health_pb2.HealthCheckResponse.SERVING
        assert process.env["WOOCOMMERCE_DEVELOPMENT_MODE"] == "false"
    finally:
        await stack.stop_processes()
    assert process.popen is not None
    assert process.popen.returncode == 0


class _Renamed:
    """The cluster, with each database name made this test's own."""

    def __init__(self, cluster: PostgresCluster, suffix: int) -> None:
        self.cluster, self.suffix = cluster, suffix

    def url(self, database: str) -> str:
        return self.cluster.url(f"{database}_{self.suffix}")


async def test_it_refuses_to_start_without_its_own_secrets_key(database_url: str) -> None:
    process = await start(
        {"WOOCOMMERCE_DATABASE_URL": database_url, "WOOCOMMERCE_HTTP_PORT": str(free_port())}
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode != 0
    assert b"WOOCOMMERCE_SECRETS_KEY is required outside development mode" in err
