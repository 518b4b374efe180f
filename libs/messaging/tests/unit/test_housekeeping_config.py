"""Housekeeping settings: an inbox that forgets before redeliveries stop is refused, the topics'
replication reaches the broker's request, and the relay lease reaches the lock's session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from messaging.kafka import new_topics
from messaging.leadership import Lease
from messaging.retention import Retention, RetentionTooShort
from messaging.runtime import Housekeeping
from servicekit.config import MessagingSettings


def test_an_inbox_kept_shorter_than_the_duplicate_window_is_refused() -> None:
    with pytest.raises(RetentionTooShort, match="duplicate window"):
        Retention(inbox=timedelta(days=3), duplicate_window=timedelta(days=7))
    assert Retention(inbox=timedelta(days=7), duplicate_window=timedelta(days=7))


def test_settings_refuse_an_inbox_retention_below_the_duplicate_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INBOX_RETENTION_HOURS", "24")
    monkeypatch.setenv("INBOX_DUPLICATE_WINDOW_HOURS", "168")
    with pytest.raises(ValidationError, match="applied twice"):
        MessagingSettings()


def test_settings_become_the_housekeeping_of_the_messaging_runtime(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_REPLICATION_FACTOR", "3")
    monkeypatch.setenv("KAFKA_MIN_INSYNC_REPLICAS", "2")
    monkeypatch.setenv("OUTBOX_RETENTION_HOURS", "12")
    monkeypatch.setenv("RELAY_LEASE_SECONDS", "4")
    care = Housekeeping.of(MessagingSettings())
    assert (care.replication_factor, care.min_insync_replicas) == (3, 2)
    assert care.retention.outbox == timedelta(hours=12)
    assert care.retention.inbox == timedelta(days=14)  # the default
    assert care.lease.seconds == 4


def test_the_replication_factor_and_min_insync_replicas_reach_the_new_topics() -> None:
    (topic,) = new_topics(["oms.x.v1"], 6, replication_factor=3, min_insync_replicas=2)
    assert (topic.name, topic.num_partitions, topic.replication_factor) == ("oms.x.v1", 6, 3)
    assert topic.topic_configs == {"min.insync.replicas": "2"}
    (default,) = new_topics(["oms.x.v1"], 3)
    assert default.replication_factor == 1
    assert default.topic_configs == {}  # the broker's default applies


def test_the_lease_reaches_the_lock_sessions_server_settings() -> None:
    dsn = Lease(8).dsn("postgresql+asyncpg://relay:secret@db:5432/oms_orders?ssl=require")
    assert dsn.startswith("postgresql://relay:secret@db:5432/oms_orders?")
    for setting in ("idle_session_timeout=8000", "tcp_user_timeout=8000", "ssl=require"):
        assert setting in dsn
