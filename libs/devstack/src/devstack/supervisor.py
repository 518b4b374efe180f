"""Runs the suite's processes: each service (and replicas), then the gateway and the web pages,
each logging to one file (`<name>.log`: its JSON log lines from stderr, and anything it printed
before logging was set up), each waited on until healthy; one can be killed and restarted, for
reliability tests.

With a `Respawn` policy (`make run` sets one), a process that exits by itself is started again,
after a pause that doubles while it keeps failing soon after its start: a service that cannot
reach its database at start comes back once it can, as compose's `restart: unless-stopped`
does. A process killed through `kill()` is left down: a test that kills on purpose restarts it
itself, and nothing is respawned while the stack stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import httpx
from grpc_health.v1 import health_pb2, health_pb2_grpc

from devstack.kafka import KafkaBroker
from devstack.postgres import PostgresCluster
from devstack.process import dying_with_parent
from devstack.topology import (
    BUSINESS_SERVICES,
    CONNECTORS,
    Ports,
    Secrets,
    connector_env,
    database_name,
    gateway_env,
    service_env,
    web_env,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Respawn:
    """How soon an exited process is started again: `first` seconds, doubling with each exit
    that comes less than `steady` seconds after its start, at most `longest`."""

    first: float = 1.0
    longest: float = 30.0
    steady: float = 60.0

    def pause(self, failures: int) -> float:
        return min(self.first * 2.0 ** max(failures - 1, 0), self.longest)


@dataclass
class Process:
    name: str
    module: str
    env: dict[str, str]
    log: Path
    health_target: str  # host:port of its plain gRPC health port, or an http URL
    popen: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    # exits in a row, each soon after its start; when the next start is due (0: not planned)
    failures: int = 0
    due: float = 0.0

    def again(self) -> Process:
        """The same process, not started, carrying its failure count."""
        return Process(
            self.name, self.module, self.env, self.log, self.health_target, failures=self.failures
        )

    def start(self) -> None:
        self.started_at = time.monotonic()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                dying_with_parent([sys.executable, "-m", self.module]),
                env={**os.environ, **self.env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive:
            assert self.popen is not None
            self.popen.send_signal(sig)

    async def wait_exit(self, timeout: float) -> int | None:
        assert self.popen is not None
        deadline = time.monotonic() + timeout
        while self.popen.poll() is None and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        return self.popen.poll()

    async def healthy(self) -> bool:
        if self.health_target.startswith("http"):
            try:
                async with httpx.AsyncClient(timeout=2) as client:
                    return (await client.get(self.health_target)).status_code == 200
            except httpx.HTTPError:
                return False
        async with grpc.aio.insecure_channel(self.health_target) as channel:
            try:
                reply = await health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(), timeout=2
                )
            except grpc.aio.AioRpcError:
                return False
            return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)

    def log_tail(self, lines: int = 25) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Stack:
    """The whole suite on one machine: given infrastructure, starts and supervises processes."""

    postgres: PostgresCluster
    kafka_bootstrap: str
    ports: Ports
    log_dir: Path
    secrets: Secrets
    processes: dict[str, Process] = field(default_factory=dict)
    kafka: KafkaBroker | None = None
    respawn: Respawn | None = None
    # killed on purpose (kill()) or stopping: not respawned
    _held: set[str] = field(default_factory=set)
    _stopping: bool = False
    # Variables every process gets besides its own (e.g. OTEL_* naming a test's collector).
    environment: dict[str, str] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.gateway}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.web}"

    async def create_databases(self) -> None:
        for service in (*BUSINESS_SERVICES, *CONNECTORS, "gateway", "web"):
            await self.postgres.create_database(database_name(service))

    def _service(self, service: str, replica: int, grpc_port: int | None) -> Process:
        name = service if replica == 0 else f"{service}-{replica + 1}"
        port = grpc_port or self.ports.grpc(service)
        health = port + 100
        env = service_env(
            service,
            self.ports,
            self.postgres.url(database_name(service)),
            self.kafka_bootstrap,
            self.secrets,
            port,
            health,
        )
        return Process(name, service, env, self.log_dir / f"{name}.log", f"127.0.0.1:{health}")

    async def start(self, process: Process, timeout: float = 60.0) -> Process:
        self.processes[process.name] = process
        process.env = {**self.environment, **process.env}
        process.start()
        deadline = time.monotonic() + timeout
        while not await process.healthy():
            if not process.alive:
                raise RuntimeError(f"{process.name} exited:\n{process.log_tail()}")
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{process.name} not healthy in {timeout}s:\n{process.log_tail()}"
                )
            await asyncio.sleep(0.2)
        return process

    async def start_service(
        self, service: str, replica: int = 0, grpc_port: int | None = None
    ) -> Process:
        return await self.start(self._service(service, replica, grpc_port))

    async def start_connector(self, connector: str) -> Process:
        env = connector_env(
            connector,
            self.ports,
            self.postgres.url(database_name(connector)),
            self.secrets,
            self.kafka_bootstrap,
        )
        url = f"http://127.0.0.1:{self.ports.http(connector)}/health"
        log = self.log_dir / f"{connector}.log"
        return await self.start(Process(connector, connector, env, log, url))

    async def start_gateway(self) -> Process:
        env = gateway_env(self.ports, self.postgres.url(database_name("gateway")), self.secrets)
        url = f"{self.gateway_url}/health/ready"
        return await self.start(
            Process("gateway", "gateway", env, self.log_dir / "gateway.log", url)
        )

    async def start_web(self) -> Process:
        """The web pages, which call the gateway: started after it."""
        env = web_env(self.ports, self.postgres.url(database_name("web")), self.secrets)
        url = f"{self.web_url}/health"
        return await self.start(Process("web", "web", env, self.log_dir / "web.log", url))

    async def start_all(self, progress: bool = False) -> None:
        await self.create_databases()
        for service in BUSINESS_SERVICES:
            began = time.monotonic()
            await self.start_service(service)
            if progress:
                print(f"  {service:<12} healthy in {time.monotonic() - began:4.1f}s", flush=True)
        for connector in CONNECTORS:
            began = time.monotonic()
            await self.start_connector(connector)
            if progress:
                print(f"  {connector:<12} healthy in {time.monotonic() - began:4.1f}s", flush=True)
        began = time.monotonic()
        await self.start_gateway()
        if progress:
            print(f"  {'gateway':<12} healthy in {time.monotonic() - began:4.1f}s", flush=True)
        began = time.monotonic()
        await self.start_web()
        if progress:
            print(f"  {'web':<12} healthy in {time.monotonic() - began:4.1f}s", flush=True)

    async def kill(self, name: str) -> None:
        """SIGKILL, as a crash would: no cleanup runs. The process stays down (no respawn)
        until `restart`."""
        self._held.add(name)
        process = self.processes[name]
        process.signal(signal.SIGKILL)
        await process.wait_exit(10)

    async def restart(self, name: str) -> Process:
        old = self.processes[name]
        fresh = Process(old.name, old.module, old.env, old.log, old.health_target)
        self._held.discard(name)
        return await self.start(fresh)

    async def supervise(self, stop: asyncio.Event, every: float = 1.0) -> None:
        """Until `stop` is set: respawns what exits (with the stack's Respawn policy)."""
        while not stop.is_set():
            self.respawn_exited()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)

    def respawn_exited(self) -> list[str]:
        """Starts again each process that exited by itself and whose pause is over; plans the
        pause of those just found exited. Returns the names started."""
        policy = self.respawn
        if policy is None or self._stopping:
            return []
        now, started = time.monotonic(), []
        for name, process in list(self.processes.items()):
            if process.popen is None or process.alive or name in self._held:
                continue
            if not process.due:
                ran = now - process.started_at
                process.failures = 1 if ran >= policy.steady else process.failures + 1
                pause = policy.pause(process.failures)
                process.due = now + pause
                log.warning(
                    "%s exited (code %s) after %.0fs; starting it again in %.0fs (see %s)",
                    name, process.popen.returncode, ran, pause, process.log,
                )  # fmt: skip
            if now >= process.due:
                fresh = process.again()
                fresh.start()
                self.processes[name] = fresh
                started.append(name)
        return started

    async def stop_processes(self) -> None:
        """Gateway first, then the services; SIGTERM, then SIGKILL after a grace period."""
        self._stopping = True
        for process in reversed(list(self.processes.values())):
            process.signal(signal.SIGTERM)
        for process in self.processes.values():
            if process.popen is not None and await process.wait_exit(10) is None:
                process.signal(signal.SIGKILL)
                await process.wait_exit(5)
