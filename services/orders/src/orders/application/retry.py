"""A command a client may retry: its id and what it said, which a retry must repeat exactly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Retry:
    # The client's id for the command ("" when it gives none).
    request_id: str
    # The command's content without its id (servicekit.idempotency.fingerprint).
    fingerprint: str


# A command sent without a request id: every call has its effect.
NOT_RETRIED = Retry("", "")
