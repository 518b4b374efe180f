"""/api/v1/dead-letters: every service's open dead letters (fakes on gRPC servers of their own)
merged oldest first, a service that does not answer named in `missing`; re-drive and resolve
reach the service named in the path, as the signed-in admin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import httpx
import pytest

from gateway.clients import SERVICES
from oms.ops.v1 import dead_letters_pb2 as pb
from oms.ops.v1 import dead_letters_pb2_grpc
from servicekit.context import current_principal
from servicekit.grpc import timestamp
from services.gateway.tests.unit.conftest import fake_services, gateway_at
from testkit.services import free_port, signed_in

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def letter(event_id: str, minute: int, group: str) -> pb.DeadLetter:
    return pb.DeadLetter(
        event_id=event_id,
        event_type="oms.orders.OrderConfirmed.v1",
        topic="oms.orders.order.v1",
        partition=1,
        offset=minute,
        key=f"order-{minute}",
        group=group,
        error="IntegrityError [23505]: duplicate key",
        error_class="IntegrityError",
        sqlstate="23505",
        at=timestamp(T0 + timedelta(minutes=minute)),
        attempts=1,
    )


class FakeDeadLetters(dead_letters_pb2_grpc.DeadLettersServiceServicer):
    """The letters of one service; records who re-drove and resolved what."""

    def __init__(self, letters: list[pb.DeadLetter]) -> None:
        self.letters = letters
        self.done: list[tuple[str, str, str, str]] = []

    async def ListDeadLetters(
        self, request: pb.ListDeadLettersRequest, context: Any
    ) -> pb.ListDeadLettersResponse:
        return pb.ListDeadLettersResponse(dead_letters=self.letters)

    def _take(self, event_id: str) -> pb.DeadLetter | None:
        found = next((x for x in self.letters if x.event_id == event_id), None)
        if found is not None:
            self.letters.remove(found)
        return found

    async def RedriveDeadLetter(
        self, request: pb.RedriveDeadLetterRequest, context: Any
    ) -> pb.RedriveDeadLetterResponse:
        if request.event_id == "gone":
            await context.abort(grpc.StatusCode.FAILED_PRECONDITION, "past retention")
        if self._take(request.event_id) is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no open dead letter")
        self.done.append(("redrive", request.event_id, "", current_principal().subject))
        return pb.RedriveDeadLetterResponse(redriven_event_ids=[request.event_id])

    async def ResolveDeadLetter(
        self, request: pb.ResolveDeadLetterRequest, context: Any
    ) -> pb.ResolveDeadLetterResponse:
        if self._take(request.event_id) is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no open dead letter")
        self.done.append(("resolve", request.event_id, request.note, current_principal().subject))
        return pb.ResolveDeadLetterResponse(resolved=1)


ADMIN = signed_in("ada", "admin")


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[httpx.AsyncClient, FakeDeadLetters, FakeDeadLetters]]:
    add = dead_letters_pb2_grpc.add_DeadLettersServiceServicer_to_server
    billing = FakeDeadLetters([letter("e-3", 3, "oms.billing")])
    orders = FakeDeadLetters(
        [letter("e-1", 1, "oms.orders"), letter("e-5", 5, "oms.orders.timeline")]
    )
    nowhere = f"127.0.0.1:{free_port()}"
    async with (
        fake_services([(add, billing)]) as billing_at,
        fake_services([(add, orders)]) as orders_at,
    ):
        targets = dict.fromkeys(SERVICES, nowhere) | {"billing": billing_at, "orders": orders_at}
        async with gateway_at(targets, "http://gw") as client:
            yield client, billing, orders


async def test_every_services_open_letters_oldest_first_and_who_did_not_answer(
    fakes: tuple[httpx.AsyncClient, FakeDeadLetters, FakeDeadLetters],
) -> None:
    api, _, _ = fakes
    response = await api.get("/api/v1/dead-letters", headers=ADMIN)
    assert response.status_code == 200
    body = response.json()
    assert [(x["service"], x["event_id"], x["group"]) for x in body["items"]] == [
        ("orders", "e-1", "oms.orders"),
        ("billing", "e-3", "oms.billing"),
        ("orders", "e-5", "oms.orders.timeline"),
    ]
    first = body["items"][0]
    assert first["topic"] == "oms.orders.order.v1"
    assert (first["partition"], first["offset"], first["key"]) == (1, 1, "order-1")
    assert first["error"] == "IntegrityError [23505]: duplicate key"
    assert first["at"].startswith("2026-03-01T09:01:00")
    assert sorted(body["missing"]) == sorted(set(SERVICES) - {"billing", "orders"})


async def test_an_admin_redrives_and_resolves_in_the_service_named_as_themselves(
    fakes: tuple[httpx.AsyncClient, FakeDeadLetters, FakeDeadLetters],
) -> None:
    api, billing, orders = fakes
    redriven = await api.post("/api/v1/dead-letters/billing/e-3/redrive", headers=ADMIN)
    assert redriven.status_code == 200
    assert redriven.json() == {"redriven": ["e-3"], "failed_again": []}
    resolved = await api.post(
        "/api/v1/dead-letters/orders/e-5/resolve", json={"note": "obsolete"}, headers=ADMIN
    )
    assert resolved.status_code == 200
    assert resolved.json() == {"resolved": 1}
    assert billing.done == [("redrive", "e-3", "", "ada")]
    assert orders.done == [("resolve", "e-5", "obsolete", "ada")]
    listed = (await api.get("/api/v1/dead-letters", headers=ADMIN)).json()
    assert [x["event_id"] for x in listed["items"]] == ["e-1"]


async def test_unknown_letters_gone_events_and_bad_input_are_problems(
    fakes: tuple[httpx.AsyncClient, FakeDeadLetters, FakeDeadLetters],
) -> None:
    api, billing, _ = fakes
    unknown = await api.post("/api/v1/dead-letters/billing/nope/redrive", headers=ADMIN)
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    gone = await api.post("/api/v1/dead-letters/billing/gone/redrive", headers=ADMIN)
    assert gone.status_code == 409
    no_service = await api.post("/api/v1/dead-letters/warehouse/e-3/redrive", headers=ADMIN)
    assert no_service.status_code == 422
    assert no_service.json()["errors"][0]["field"].endswith("service")
    long_note = await api.post(
        "/api/v1/dead-letters/billing/e-3/resolve", json={"note": "x" * 501}, headers=ADMIN
    )
    assert long_note.status_code == 422
    assert billing.done == []


async def test_only_admins(
    fakes: tuple[httpx.AsyncClient, FakeDeadLetters, FakeDeadLetters],
) -> None:
    api, billing, _ = fakes
    finance = signed_in("finn", "finance")
    assert (await api.get("/api/v1/dead-letters", headers=finance)).status_code == 403
    refused = await api.post("/api/v1/dead-letters/billing/e-3/redrive", headers=finance)
    assert refused.status_code == 403
    assert billing.done == []
