"""The faults, each logged with when it began (seconds into the run), what it did and how long the
system was without the part: kill -9 a process and start it again; the broker killed and back
after a while; PostgreSQL stopped and started; a process frozen (SIGSTOP) and thawed; events
already published produced again, newest first (duplicates, out of order)."""

from __future__ import annotations

import asyncio
import signal
import time
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import ConsumerRecord

from devstack.supervisor import Process, Stack
from devstack.topology import CONSUMES
from messaging.kafka import KafkaAccess, make_admin, make_producer

OWN_PROCESSES = "run it with OMS_TEST_INFRA=processes, without OMS_TEST_KAFKA_* or OMS_TEST_PG_URL"


@dataclass(frozen=True)
class Injection:
    at: float  # seconds since the run began
    kind: str
    target: str
    seconds: float  # how long it took, down time included
    detail: str

    def line(self) -> str:
        return (
            f"t+{self.at:6.1f}s  {self.kind:<13} {self.target:<12} {self.seconds:5.1f}s  "
            f"{self.detail}"
        )


@dataclass
class Injector:
    stack: Stack
    operator: KafkaAccess
    began: float = field(default_factory=time.monotonic)
    log: list[Injection] = field(default_factory=list)

    def _record(self, kind: str, target: str, started: float, detail: str) -> None:
        now = time.monotonic()
        entry = Injection(started - self.began, kind, target, now - started, detail)
        self.log.append(entry)
        print(f"[fault] {entry.line()}", flush=True)

    async def kill_and_restart(self, name: str) -> None:
        """kill -9, then the process again (or the supervisor's own respawn, should it have one)."""
        started = time.monotonic()
        old = self.stack.processes[name]
        pid = old.popen.pid if old.popen else 0
        await self.stack.kill(name)
        await asyncio.sleep(0.5)
        fresh = self.stack.processes[name]
        if fresh is not old and fresh.alive:
            await _healthy(fresh, 90)
            how = "respawned by the supervisor"
        else:
            await self.stack.restart(name)
            how = "restarted"
        self._record("kill -9", name, started, f"pid {pid} killed; {how}, healthy again")

    async def freeze(self, name: str, seconds: float) -> None:
        """SIGSTOP then SIGCONT: a backend that answers nothing for a while, then slowly."""
        started = time.monotonic()
        process = self.stack.processes[name]
        process.signal(signal.SIGSTOP)
        try:
            await asyncio.sleep(seconds)
        finally:
            process.signal(signal.SIGCONT)
        self._record("SIGSTOP", name, started, f"frozen {seconds:.0f}s, then SIGCONT")

    async def broker_outage(self, seconds: float) -> None:
        broker = self.stack.kafka
        if broker is None or broker.process is None:
            raise AssertionError(f"the fault suite kills its own broker: {OWN_PROCESSES}")
        started = time.monotonic()
        broker.process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(broker.process.wait)
        await asyncio.sleep(seconds)
        await asyncio.to_thread(broker.start)
        self._record("kill -9", "kafka", started, f"down {seconds:.0f}s, then started again")

    async def restart_postgres(self, down_seconds: float) -> None:
        """A fast shutdown (every connection cut, as a failover would), a pause, a start."""
        cluster = self.stack.postgres
        if cluster.data_dir is None:
            raise AssertionError(f"the fault suite restarts its own PostgreSQL: {OWN_PROCESSES}")
        started = time.monotonic()
        await asyncio.to_thread(cluster.restart, down_seconds)
        await cluster.wait_ready(60)
        self._record("restart", "postgresql", started, f"stopped (fast), {down_seconds:.0f}s down")

    async def redeliver(self, per_topic: int) -> None:
        """The last `per_topic` events of each consumed topic, produced again newest first, then
        again oldest first: every consumer sees each twice more, the first time out of order."""
        started = time.monotonic()
        topics = sorted({t for consumed in CONSUMES.values() for t in consumed})
        records = await _latest(self.operator, topics, per_topic)
        producer = make_producer(self.operator, "fault-injector")
        await producer.start()
        try:
            for batch in (list(reversed(records)), records):
                for r in batch:
                    await producer.send_and_wait(
                        r.topic, r.value, key=r.key, partition=r.partition, headers=list(r.headers)
                    )
        finally:
            await producer.stop()
        detail = f"{len(records)} events from {len(topics)} topics sent twice, reversed first"
        self._record("redeliver", "kafka", started, detail)


async def _healthy(process: Process, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not await process.healthy():
        if time.monotonic() > deadline:
            raise AssertionError(f"{process.name} not healthy in {seconds}s")
        await asyncio.sleep(0.2)


async def _latest(operator: KafkaAccess, topics: list[str], per_topic: int) -> list[ConsumerRecord]:
    """About `per_topic` of the newest records of each topic, in offset order per partition."""
    admin = make_admin(operator)
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    partitions = [
        TopicPartition(d["topic"], p["partition"]) for d in described for p in d["partitions"]
    ]
    consumer = AIOKafkaConsumer(**operator.client_args(), enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        share = max(1, per_topic // max(1, len(partitions) // max(1, len(topics))))
        for tp in partitions:
            consumer.seek(tp, max(0, ends[tp] - share))
        found: list[ConsumerRecord] = []
        remaining = {tp for tp in partitions if ends[tp] > 0}
        while remaining:
            batches = await consumer.getmany(*remaining, timeout_ms=5000)
            if not batches:
                break
            for tp, batch in batches.items():
                found.extend(r for r in batch if r.offset < ends[tp])
                if batch[-1].offset + 1 >= ends[tp]:
                    remaining.discard(tp)
        return found
    finally:
        await consumer.stop()
