"""How long the gateway waits for a service, and when it asks again: one client interceptor on
every channel (gateway.clients), so no route can forget either.

- Every call gets a deadline unless the route gave its own: GATEWAY_GRPC_DEADLINE_SECONDS, or
  GATEWAY_GRPC_SLOW_DEADLINE_SECONDS for the calls known to take long (PDFs, reports, bulk runs,
  picture uploads). A service that never answers costs a request that long, then 504.
- Reads (Get*, List*, Search*, ...) are tried again while the service is UNAVAILABLE (a restart,
  a reset connection), with a short jittered backoff, all within the one deadline.
- Writes are never tried again here: an UNAVAILABLE write may have been applied before the
  connection broke, and not every service's `request_id` check holds against a duplicate that
  arrives while the first is still running. The client sees 503 and may send the request again
  with its Idempotency-Key, which the gateway and the service both honour.
- While a service is down, its channel tries to connect again at most a second apart
  (servicekit.grpc's channel options), so a restarted service is reached about a second after
  its return rather than after gRPC's default backoff of up to two minutes.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import grpc

from servicekit.grpc import outgoing_metadata

log = logging.getLogger(__name__)

# RPCs whose names start so only read (the same rule as the client library, omsclient).
READ_PREFIXES = ("Get", "List", "BatchGet", "Search", "Resolve", "Compare")
# Calls that do more than a lookup: PDFs are rendered, reports and aging run over every open
# item, imports and dunning runs touch many rows, pictures are megabytes.
SLOW_METHODS = frozenset(
    {
        "RenderInvoice",
        "RenderCreditNote",
        "RenderReminder",
        "RenderQuote",
        "GetArAging",
        "GetApAging",
        "GetRevenueReport",
        "GetCostReport",
        "GetSalesForecast",
        "ImportExchangeRates",
        "RunDunning",
        "RetryStalledSteps",
        "AddPicture",
        "GetPictureContent",
    }
)


def method_name(method: bytes | str) -> str:
    """ "/oms.orders.v1.OrdersService/GetSalesOrder" -> "GetSalesOrder"."""
    text = method.decode() if isinstance(method, bytes) else method
    return text.rsplit("/", 1)[-1]


def is_read(name: str) -> bool:
    return name.startswith(READ_PREFIXES)


@dataclass(frozen=True)
class CallPolicy:
    """Deadlines (seconds) and the tries a read gets while its service is UNAVAILABLE."""

    deadline_seconds: float = 5.0
    slow_deadline_seconds: float = 30.0
    read_attempts: int = 3
    backoff_seconds: float = 0.1

    def deadline_for(self, name: str) -> float:
        return self.slow_deadline_seconds if name in SLOW_METHODS else self.deadline_seconds

    def attempts_for(self, name: str) -> int:
        return self.read_attempts if is_read(name) else 1

    def pause_before(self, retry: int) -> float:
        """Exponential with jitter, so replicas retrying a restarted service do not all come
        back in step."""
        growth: float = 2.0 ** (retry - 1)
        return self.backoff_seconds * growth * random.uniform(0.5, 1.0)


class Deadlines(grpc.aio.UnaryUnaryClientInterceptor):  # type: ignore[misc]
    """Adds the trace and the person's token (servicekit's outgoing metadata), a deadline, and
    for reads the retries of `policy`."""

    def __init__(self, policy: CallPolicy) -> None:
        self.policy = policy

    async def intercept_unary_unary(
        self, continuation: Callable[..., Any], details: Any, request: Any
    ) -> Any:
        name = method_name(details.method)
        timeout = details.timeout if details.timeout is not None else self.policy.deadline_for(name)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        metadata = grpc.aio.Metadata(*tuple(details.metadata or ()), *outgoing_metadata())
        attempts = self.policy.attempts_for(name)

        async def attempt() -> Any:
            remaining = deadline - loop.time()
            return await continuation(
                details._replace(timeout=remaining, metadata=metadata), request
            )

        for tried in range(1, attempts):
            call = await attempt()
            if await call.code() != grpc.StatusCode.UNAVAILABLE:
                return call  # awaited by the caller: its answer, or its error raised
            pause = self.policy.pause_before(tried)
            if deadline - loop.time() <= pause:
                return call  # no time left for another try within the deadline
            log.info("%s UNAVAILABLE, try %d of %d in %.2fs", name, tried + 1, attempts, pause)
            await asyncio.sleep(pause)
        return await attempt()
