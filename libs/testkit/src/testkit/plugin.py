"""Fixtures: a real Kafka broker and PostgreSQL server per test session, started lazily, with the
session's trust (testkit.security): the broker takes mutual TLS from its CA only.

They are Docker containers when a Docker engine answers, private processes otherwise
(OMS_TEST_INFRA=containers|processes|auto chooses; testkit.containers). Or set
OMS_TEST_KAFKA_BOOTSTRAP and OMS_TEST_PG_URL (an admin postgresql:// URL) to use running
servers instead of starting fresh ones; the broker must then trust OMS_TEST_PKI_DIR's CA (a
devstack.pki folder, `.run/pki` for `make run`'s). Unit tests never ask for these, so never
start them.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from devstack.kafka import KafkaBroker
from devstack.kafka_acls import provision
from devstack.postgres import PostgresCluster
from devstack.supervisor import Stack
from devstack.topology import Ports
from testkit.containers import choose_infrastructure, container_infrastructure
from testkit.otlp import OtlpReceiver
from testkit.security import TestSecurity, session_security
from testkit.services import service_process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Infrastructure:
    kafka_bootstrap: str
    postgres: PostgresCluster
    broker: KafkaBroker | None = None  # None for a running broker we were given (not ours to stop)


@pytest.fixture(scope="session")
def security() -> TestSecurity:
    return session_security()


@pytest.fixture(scope="session")
def oms_infrastructure(security: TestSecurity) -> Iterator[Infrastructure]:
    if os.environ.get("OMS_TEST_KAFKA_BOOTSTRAP") and os.environ.get("OMS_TEST_PG_URL"):
        yield Infrastructure(
            os.environ["OMS_TEST_KAFKA_BOOTSTRAP"],
            PostgresCluster.external(os.environ["OMS_TEST_PG_URL"]),
        )
        return
    if choose_infrastructure(os.environ) == "containers":
        with container_infrastructure(security.pki) as (bootstrap, cluster):
            yield Infrastructure(bootstrap, cluster)
        return
    folder = Path(tempfile.mkdtemp(prefix="oms-test-"))
    postgres = PostgresCluster.private(folder / "pgdata", free_port())
    kafka = KafkaBroker(folder / "kafka", free_port(), free_port(), security.pki)
    try:
        kafka.start()
        yield Infrastructure(kafka.bootstrap, postgres, kafka)
    finally:
        kafka.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)
        if postgres.data_dir is not None:
            shutil.rmtree(postgres.data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def kafka_bootstrap(oms_infrastructure: Infrastructure) -> str:
    return oms_infrastructure.kafka_bootstrap


@pytest.fixture(scope="session")
def pg_cluster(oms_infrastructure: Infrastructure) -> PostgresCluster:
    return oms_infrastructure.postgres


@pytest.fixture
def fresh_database(pg_cluster: PostgresCluster) -> Callable[[str], Awaitable[str]]:
    """Makes a new, uniquely named database and returns its SQLAlchemy (asyncpg) URL."""

    async def make(prefix: str) -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        await pg_cluster.create_database(name)
        return pg_cluster.url(name)

    return make


@pytest.fixture(scope="module")
async def catalog_process(pg_cluster: PostgresCluster, kafka_bootstrap: str) -> AsyncIterator[str]:
    """The real catalog service as its own process, for services that call it; yields its
    gRPC target. One per test module."""
    async with service_process("catalog", pg_cluster, kafka_bootstrap) as catalog:
        yield catalog.target


@pytest.fixture(scope="session")
async def trace_receiver() -> AsyncIterator[OtlpReceiver]:
    """Where every process of the e2e stack exports its spans (OTLP/HTTP), for tests that
    follow a trace across them."""
    async with OtlpReceiver().running() as running:
        yield running


@pytest.fixture(scope="session")
async def e2e_stack(
    oms_infrastructure: Infrastructure, trace_receiver: OtlpReceiver
) -> AsyncIterator[Stack]:
    """Every service and the gateway as separate processes, on ports offset from `make run`'s,
    exporting their spans to `trace_receiver`. One stack per session: a second one would share
    the broker's consumer groups and the services' databases with it."""
    offset = int(os.environ.get("OMS_TEST_PORT_OFFSET", "1000"))
    logs = Path(tempfile.mkdtemp(prefix="oms-e2e-logs-"))
    stack = Stack(
        oms_infrastructure.postgres,
        oms_infrastructure.kafka_bootstrap,
        Ports(offset),
        logs,
        session_security().secrets,
        kafka=oms_infrastructure.broker,
        environment={
            "OTEL_EXPORTER_OTLP_ENDPOINT": trace_receiver.endpoint,
            "OTEL_BSP_SCHEDULE_DELAY": "200",  # export within a fraction of a second
        },
    )
    try:
        await provision(session_security().operator_kafka(oms_infrastructure.kafka_bootstrap))
        await stack.start_all()
        yield stack
    finally:
        await stack.stop_processes()
        await asyncio.sleep(0)
