"""A private stack for a benchmark: its own PostgreSQL, Kafka, services and gateway, on ports
offset by OMS_BENCH_PORT_OFFSET (default 2000) so it runs beside `make run` and the tests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from devstack.kafka import KafkaBroker
from devstack.kafka_acls import provision
from devstack.pki import Pki
from devstack.postgres import PostgresCluster
from devstack.supervisor import Stack
from devstack.topology import Ports, Secrets
from servicekit.auth import API_AUDIENCE, DEVELOPMENT_ISSUER, development_key, issue_token


@dataclass
class PrivateStack:
    stack: Stack
    kafka: KafkaBroker
    postgres: PostgresCluster
    pki: Pki

    def api(self, connections: int = 100) -> httpx.AsyncClient:
        """The gateway's /api/v1 as an admin."""
        token = issue_token(
            development_key("identity-provider"),
            issuer=DEVELOPMENT_ISSUER,
            audience=API_AUDIENCE,
            subject="bench",
            roles=("admin",),
            ttl_seconds=3600,
        )
        return httpx.AsyncClient(
            base_url=f"{self.stack.gateway_url}/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
            limits=httpx.Limits(max_connections=connections),
        )


def ensure_free(ports: Ports) -> None:
    """Fails early when something (another stack, a test run) already listens where this one
    would: the load would otherwise go to it."""
    for port in (ports.gateway, ports.kafka, ports.postgres):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise RuntimeError(
                    f"port {port} is taken (offset {ports.offset}):"
                    " set OMS_BENCH_PORT_OFFSET to another offset"
                )


@contextlib.asynccontextmanager
async def private_stack() -> AsyncIterator[PrivateStack]:
    ports = Ports(int(os.environ.get("OMS_BENCH_PORT_OFFSET", "2000")))
    ensure_free(ports)
    folder = Path(tempfile.mkdtemp(prefix="oms-bench-"))
    postgres = await asyncio.to_thread(PostgresCluster.private, folder / "pgdata", ports.postgres)
    # mutual TLS and ACLs as in any run; the development token keys, as `make run` uses
    pki = Pki(folder / "pki").ensure()
    kafka = KafkaBroker(folder / "kafka", ports.kafka, ports.kafka_controller, pki)
    await asyncio.to_thread(kafka.start)
    await provision(kafka.operator())
    secrets = Secrets(pki.folder, development_mode=True)
    # the load comes from one admin: its rate limit must not be what is measured
    os.environ.setdefault("GATEWAY_RATE_LIMIT_PER_SECOND", "1000000")
    os.environ.setdefault("GATEWAY_RATE_LIMIT_BURST", "1000000")
    stack = Stack(postgres, kafka.bootstrap, ports, folder / "logs", secrets)
    try:
        print("starting the stack...", flush=True)
        await stack.start_all(progress=True)
        yield PrivateStack(stack, kafka, postgres, pki)
    finally:
        await stack.stop_processes()
        await asyncio.to_thread(kafka.stop)
        await asyncio.to_thread(postgres.stop)
        shutil.rmtree(folder, ignore_errors=True)
        if postgres.data_dir is not None:
            shutil.rmtree(postgres.data_dir, ignore_errors=True)
