"""Health follows the checks: NOT_SERVING for every name while one reports a problem, SERVING
again once none does, each change logged once however the problem's wording moves on."""

from __future__ import annotations

import logging

import pytest
from grpc_health.v1 import health, health_pb2

from servicekit.health import HealthWatch

NAMES = ["", "oms.orders.v1.Orders"]


async def _statuses(servicer: health.aio.HealthServicer) -> list[int]:
    return [
        (await servicer.Check(health_pb2.HealthCheckRequest(service=name), None)).status
        for name in NAMES
    ]


async def test_a_reported_problem_turns_every_name_not_serving_until_it_passes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    servicer = health.aio.HealthServicer()
    for name in NAMES:
        await servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    problems: list[str] = []
    watch = HealthWatch(servicer, NAMES, [lambda: list(problems)])
    serving, not_serving = (
        health_pb2.HealthCheckResponse.SERVING,
        health_pb2.HealthCheckResponse.NOT_SERVING,
    )

    with caplog.at_level(logging.INFO, logger="servicekit.health"):
        await watch.update()
        assert await _statuses(servicer) == [serving, serving]
        for seconds in (121, 122, 123):
            problems[:] = [f"consumer oms.orders: partition t[0] stuck for {seconds}s"]
            await watch.update()
        assert await _statuses(servicer) == [not_serving, not_serving]
        problems.clear()
        await watch.update()
        assert await _statuses(servicer) == [serving, serving]

    assert [r.getMessage()[:22] for r in caplog.records] == [
        "health: NOT_SERVING: c",
        "health: SERVING again",
    ]
