"""What operators watch of dead letters: `oms_dead_letter_depth` counts the open ones, so it
rises with each letter and falls when one is re-driven or resolved."""

from __future__ import annotations

import uuid

from prometheus_client.parser import text_string_to_metric_families

from messaging.dlq import read_dead_letters, resolve
from messaging.events import DEAD_LETTER_SUFFIX
from messaging.kafka import ensure_topics, make_producer
from messaging.metrics import DeadLetterDepth
from servicekit.metrics import Metrics
from testkit.services import operator


async def depth(metrics: Metrics, topic: str) -> float:
    text = (await metrics.render()).decode()
    return next(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "oms_dead_letter_depth" and s.labels["topic"] == topic
    )


async def test_the_depth_counts_open_letters_and_falls_as_they_are_resolved(
    kafka_bootstrap: str,
) -> None:
    kafka = operator(kafka_bootstrap)
    topic = f"oms.test.depth{uuid.uuid4().hex[:8]}.v1{DEAD_LETTER_SUFFIX}"
    await ensure_topics(kafka, [topic], partitions=3)
    metrics = Metrics()
    watched = DeadLetterDepth(metrics, kafka, [topic])
    try:
        assert await depth(metrics, topic) == 0
        producer = make_producer(kafka, "depth-test")
        await producer.start()
        try:
            for n in range(3):
                headers = [("ce_id", f"letter-{n}".encode()), ("dlq_error", b"refused")]
                await producer.send_and_wait(topic, b"", key=f"k{n}".encode(), headers=headers)
        finally:
            await producer.stop()
        assert await depth(metrics, topic) == 3

        letters = [x for x in await read_dead_letters(kafka) if x.topic == topic]
        first = next(x for x in letters if x.event_id == "letter-0")
        assert await resolve(kafka, [first], by="ops") == 1
        assert await depth(metrics, topic) == 2, "a resolved letter is no longer open"
        # resolving the same letter again changes nothing
        await resolve(kafka, [first], by="ops")
        assert await depth(metrics, topic) == 2
    finally:
        await watched.close()
