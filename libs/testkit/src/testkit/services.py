"""Running one service in-process against the real broker and database, and talking to it the way
its peers do: gRPC calls over mutual TLS as the gateway passing a person's token, events in
(written as the topic's owner would), events out.

Kafka helpers take the broker's address and act as the operator (a super user) of the session's
trust (testkit.security)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import grpc
from aiokafka import AIOKafkaConsumer, TopicPartition
from google.protobuf.message import Message
from grpc_health.v1 import health_pb2, health_pb2_grpc

from devstack.kafka_acls import provision
from devstack.postgres import PostgresCluster
from messaging.dlq import DeadLetter, read_dead_letters
from messaging.envelope import Envelope
from messaging.events import registry, source_of, topic_of, topic_owner
from messaging.kafka import KafkaAccess, ensure_topics, make_admin, make_producer
from servicehost.host import ServiceSpec, serve
from servicekit.config import ServiceSettings
from servicekit.context import Principal, acting
from testkit.security import session_security


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def namespace() -> str:
    """A topic prefix of its own, so one test's events never reach another's service."""
    return f"t{uuid.uuid4().hex[:10]}."


def as_user(subject: str, *roles: str, team: str = "") -> tuple[tuple[str, str], ...]:
    """gRPC metadata carrying a person's signed token, as the gateway sends it."""
    return (("authorization", f"Bearer {session_security().token(subject, *roles, team=team)}"),)


def signed_in(subject: str, *roles: str, team: str = "") -> dict[str, str]:
    """HTTP headers of a person signed in with the identity provider the gateway trusts."""
    token = session_security().bearer(subject, *roles, team=team)
    return {"Authorization": f"Bearer {token}"}


def operator(bootstrap: str) -> KafkaAccess:
    return session_security().operator_kafka(bootstrap)


@contextlib.asynccontextmanager
async def running(spec: ServiceSpec, settings: ServiceSettings) -> AsyncIterator[grpc.aio.Channel]:
    """Serves `spec` until the block ends (its topics and ACLs provisioned in its namespace);
    yields a channel to it, as the gateway, once it reports SERVING."""
    await provision(
        operator(settings.kafka_bootstrap_servers), [spec.name], settings.topic_namespace
    )
    task = asyncio.create_task(serve(spec, settings))
    channel = session_security().channel(f"127.0.0.1:{settings.grpc_port}")
    try:
        for _ in range(300):
            if task.done():
                task.result()  # surfaces the start-up error
            try:
                reply = await health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(), timeout=1
                )
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    break
            except grpc.aio.AioRpcError:
                await asyncio.sleep(0.1)
        yield channel
    finally:
        await channel.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def publish(
    bootstrap: str,
    message: Message,
    key: str,
    namespace: str = "",
    actor: Principal | None = None,
) -> Envelope:
    """Publishes `message` as its producing service would (envelope, headers, key)."""
    owner = topic_owner(topic_of(message))
    with acting(actor or Principal("test", ("admin",))):
        envelope = Envelope.wrap(message, source=source_of(owner), key=key, namespace=namespace)
    producer = make_producer(operator(bootstrap), "test-publisher")
    await producer.start()
    try:
        await producer.send_and_wait(
            envelope.topic, envelope.body, key=key.encode(), headers=envelope.headers()
        )
    finally:
        await producer.stop()
    return envelope


class EventLog:
    """Reads a topic from its current end: what a test publishes from now on can be awaited."""

    def __init__(
        self, bootstrap: str, message_types: Sequence[type[Message]], namespace: str = ""
    ) -> None:
        self.bootstrap = bootstrap
        self.topics = sorted({namespace + topic_of(m) for m in message_types})
        self.kafka = operator(bootstrap)
        self.consumer = AIOKafkaConsumer(**self.kafka.client_args(), enable_auto_commit=False)
        self.seen: list[tuple[Envelope, Message]] = []

    async def __aenter__(self) -> EventLog:
        await ensure_topics(self.kafka, self.topics, partitions=3)
        admin = make_admin(self.kafka)
        await admin.start()
        try:
            described = await admin.describe_topics(self.topics)
        finally:
            await admin.close()
        await self.consumer.start()
        partitions = [
            TopicPartition(d["topic"], p["partition"]) for d in described for p in d["partitions"]
        ]
        self.consumer.assign(partitions)
        await self.consumer.seek_to_end(*partitions)
        for partition in partitions:
            await self.consumer.position(partition)  # pin the position before anything is sent
        return self

    async def __aexit__(self, *_: Any) -> None:
        await self.consumer.stop()

    async def wait_for(
        self, key: str, count: int = 1, seconds: float = 30.0
    ) -> list[tuple[Envelope, Message]]:
        """The first `count` events with `key`, decoded, waiting up to `seconds`."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            found = [(e, m) for e, m in self.seen if e.key == key]
            if len(found) >= count:
                return found[:count]
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"expected {count} event(s) with key {key}, saw {found}")
            for records in (await self.consumer.getmany(timeout_ms=200)).values():
                for r in records:
                    envelope = Envelope.from_record(r.topic, r.key, r.value, r.headers)
                    message = registry()[envelope.type].FromString(envelope.body)
                    self.seen.append((envelope, message))


@contextlib.asynccontextmanager
async def serving(
    spec: ServiceSpec, settings_type: type[ServiceSettings], database_url: str, bootstrap: str
) -> AsyncIterator[tuple[grpc.aio.Channel, str]]:
    """`spec` running on its own database and topic namespace; yields its channel and namespace."""
    ns = namespace()
    settings = settings_type(
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        grpc_port=free_port(),
        topic_namespace=ns,
    )
    async with running(spec, settings) as channel:
        yield channel, ns


async def dead_letter(bootstrap: str, key: str, seconds: float = 30.0) -> DeadLetter:
    """The dead letter keyed `key`, once a consumer has refused it."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        for letter in await read_dead_letters(operator(bootstrap)):
            if letter.key == key.encode():
                return letter
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no dead letter keyed {key} within {seconds} s")
        await asyncio.sleep(0.2)


@dataclass(frozen=True)
class ServiceProcess:
    """A service running as its own process: where it answers, its topics and its database."""

    target: str
    namespace: str
    database_url: str


@contextlib.asynccontextmanager
async def service_process(
    service: str,
    pg_cluster: PostgresCluster,
    kafka_bootstrap: str,
    python: str = sys.executable,
    cwd: str | None = None,
) -> AsyncIterator[ServiceProcess]:
    """`python -m <service>` on a database and topic namespace of its own, until the block ends.

    For tests of what talks to a service (another service, the gateway) without importing it.
    `python` may be another environment's interpreter (an installed wheel's, not the tree's)."""
    database = f"{service}_{uuid.uuid4().hex[:10]}"
    await pg_cluster.create_database(database)
    port, ns, prefix = free_port(), f"t{uuid.uuid4().hex[:10]}.", service.upper()
    security = session_security()
    await provision(operator(kafka_bootstrap), [service], ns)
    # another interpreter must not be handed this one's import path
    inherited = {
        k: v for k, v in os.environ.items() if python == sys.executable or k != "PYTHONPATH"
    }
    env = {
        **inherited,
        **security.environment(),
        f"{prefix}_DATABASE_URL": pg_cluster.url(database),
        f"{prefix}_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        f"{prefix}_GRPC_PORT": str(port),
        f"{prefix}_TOPIC_NAMESPACE": ns,
    }
    process = await asyncio.create_subprocess_exec(python, "-m", service, env=env, cwd=cwd)
    try:
        async with security.channel(f"127.0.0.1:{port}") as channel:
            await asyncio.wait_for(channel.channel_ready(), 60)
        yield ServiceProcess(f"127.0.0.1:{port}", ns, pg_cluster.url(database))
    finally:
        process.terminate()
        await process.wait()
