"""A service's channel tries to connect again about every second while the service is down, so a
restarted service is found within a second or so of its return, not after gRPC's default
backoff (up to two minutes)."""

from __future__ import annotations

from devstack.pki import GATEWAY
from servicekit.grpc import open_channel
from testkit.reconnects import connection_attempts, longest_gap
from testkit.security import session_security


async def test_a_channel_keeps_trying_a_service_that_is_down_about_every_second() -> None:
    tls = session_security().pki.files(GATEWAY)

    attempts = await connection_attempts(lambda target: open_channel(target, tls), seconds=5)

    # gRPC's defaults make 3 or 4 attempts in 5 s, the last gaps 1.6 s and 2.6 s (each +-20 %)
    assert len(attempts) >= 6
    assert longest_gap(attempts) <= 1.5
