"""Sign-in attempts that failed, counted per key (a username, an address) over a sliding
window: past `limit` in `window`, the key is refused until its oldest failure ages out."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

# keys remembered at most (oldest dropped first), so a flood of names cannot grow it unbounded
MAX_KEYS = 100_000


@dataclass
class Throttle:
    limit: int
    window_seconds: float
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def retry_after(self, key: str, now: float) -> float:
        """0 when `key` may try now; else seconds until it may."""
        failures = self._recent(key, now)
        if len(failures) < self.limit:
            return 0.0
        # never 0 while refused, whatever the float arithmetic rounds to
        return max(failures[0] + self.window_seconds - now, 0.001)

    def failed(self, key: str, now: float) -> None:
        failures = self._recent(key, now)
        failures.append(now)
        self._failures[key] = failures
        if len(self._failures) > MAX_KEYS:
            del self._failures[next(iter(self._failures))]

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.pop(key, deque())
        while failures and failures[0] <= now - self.window_seconds:
            failures.popleft()
        if failures:
            self._failures[key] = failures  # most recently used last
        return failures
