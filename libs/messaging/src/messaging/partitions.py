"""Each partition's records applied by a task of its own, so one partition stuck on a transient
failure holds back only itself.

A partition handed a batch is paused (the broker sends it nothing more) until its task has
applied the batch; the other partitions keep being polled and applied meanwhile. Records of one
partition are still applied in offset order: a batch of a partition that got records again
before its last task ended (a rebalance handed it back) waits for that task first.

The offsets of applied batches are committed together, every COMMIT_INTERVAL_SECONDS, in one
request for all partitions, not one request per batch: under load a commit per batch cost the
broker and the consumer more than the batch itself. An offset not yet committed when the
process dies or loses its partitions only means those records come again, and the inbox makes
the second delivery a no-op (docs/messaging.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError

from messaging.faults import fault_point
from messaging.progress import Progress, partition_name

log = logging.getLogger(__name__)

# How long an applied batch's offset may wait to be committed with the others.
COMMIT_INTERVAL_SECONDS = 0.25


class PartitionWorkers:
    def __init__(
        self,
        consumer: AIOKafkaConsumer,
        apply: Callable[[Sequence[ConsumerRecord]], Awaitable[None]],
        progress: Progress,
    ) -> None:
        self.consumer = consumer
        self.apply = apply
        self.progress = progress
        self._tasks: dict[TopicPartition, asyncio.Task[None]] = {}
        # the next offset of each partition whose applied records are not yet committed
        self._applied: dict[TopicPartition, int] = {}
        self._committed_at = time.monotonic()

    async def poll(self, max_records: int) -> None:
        """Hands each partition's new records to a task; polls briefly while some partition has
        work in hand, so that it is resumed soon after its work ends."""
        try:
            batches = await self.consumer.getmany(
                timeout_ms=100 if self._tasks else 500, max_records=max_records
            )
        except KafkaError as error:
            # the broker away or the group rebalancing: the records wait where they are
            log.warning("poll failed (%s); polling again", error)
            await asyncio.sleep(1.0)
            return
        for partition, records in batches.items():
            self.hand_over(partition, records)

    def hand_over(self, partition: TopicPartition, records: Sequence[ConsumerRecord]) -> None:
        self.consumer.pause(partition)
        self.progress.started(partition_name(partition.topic, partition.partition))
        previous = self._tasks.get(partition)
        self._tasks[partition] = asyncio.create_task(self._work(partition, records, previous))

    async def settle(self, seconds: float) -> None:
        """Waits for the work in hand to end, at most `seconds`: in the usual case every batch
        ends within milliseconds and the next poll follows at once."""
        if self._tasks:
            await asyncio.wait(list(self._tasks.values()), timeout=seconds)

    def reap(self) -> None:
        """Resumes the partitions whose work has ended; re-raises a task's unexpected failure."""
        for partition, task in list(self._tasks.items()):
            if not task.done():
                continue
            del self._tasks[partition]
            self.progress.finished(partition_name(partition.topic, partition.partition))
            if partition in self.consumer.assignment():
                self.consumer.resume(partition)
            if not task.cancelled() and (error := task.exception()) is not None:
                raise error

    async def commit_applied(self, every: float = COMMIT_INTERVAL_SECONDS) -> None:
        """Commits the offsets of the batches applied since the last commit, in one request,
        when `every` seconds have passed since it."""
        if not self._applied or time.monotonic() - self._committed_at < every:
            return
        offsets, self._applied = self._applied, {}
        self._committed_at = time.monotonic()
        try:
            await self.consumer.commit(offsets)
        except (CommitFailedError, IllegalStateError) as error:
            # Some partition moved to another member: it redelivers these records, and the
            # inbox makes the second delivery a no-op.
            log.warning("offsets not committed after a rebalance: %s", error)
        except KafkaError as error:
            # The broker is away: the records come again once it is back, and are skipped.
            log.warning("offsets not committed (%s); they will be redelivered", error)

    async def close(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        self._tasks.clear()
        await self.commit_applied(every=0)

    async def _work(
        self,
        partition: TopicPartition,
        records: Sequence[ConsumerRecord],
        previous: asyncio.Task[None] | None,
    ) -> None:
        if previous is not None:
            with contextlib.suppress(Exception):
                await previous
        await self.apply(records)
        fault_point("consumer.after_commit")
        self._applied[partition] = records[-1].offset + 1
