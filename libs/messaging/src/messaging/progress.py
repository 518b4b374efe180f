"""Whether a consumer is getting anywhere: per partition, when it last moved while it had work.

A partition whose batch waits on a transient failure (its database gone, a lock held for good)
holds only itself back: the others keep flowing. But it has stopped, and health should say so
rather than stay green while its lag grows, so a partition with work in hand and no progress
for `stall_seconds` (or a poll loop that stopped polling) makes `stalled()` name it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Progress:
    stall_seconds: float = 120.0
    clock: Callable[[], float] = time.monotonic
    # partition -> when it last progressed, for the partitions with records in hand
    _busy: dict[str, float] = field(default_factory=dict)
    _polled: float | None = None

    def polled(self) -> None:
        self._polled = self.clock()

    def started(self, partition: str) -> None:
        self._busy.setdefault(partition, self.clock())

    def advanced(self, partition: str) -> None:
        if partition in self._busy:
            self._busy[partition] = self.clock()

    def finished(self, partition: str) -> None:
        self._busy.pop(partition, None)

    def stalled(self) -> list[str]:
        """What has made no progress for longer than `stall_seconds`, each with how long."""
        now = self.clock()
        found = [
            f"partition {name} stuck for {now - since:.0f}s"
            for name, since in sorted(self._busy.items())
            if now - since > self.stall_seconds
        ]
        if self._polled is not None and now - self._polled > self.stall_seconds:
            found.append(f"no poll for {now - self._polled:.0f}s")
        return found


def partition_name(topic: str, partition: int) -> str:
    return f"{topic}[{partition}]"
