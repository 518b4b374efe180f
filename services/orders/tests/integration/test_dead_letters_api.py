"""The orders service serves the dead letters of its own consumer groups to admins
(oms.ops.v1.DeadLettersService, wired by servicehost for every service), reading them and the
original events with its own Kafka identity: listed, re-driven (still refused: a new open
letter) and resolved, in agreement with the operator's `messaging.dlq`."""

from __future__ import annotations

import grpc
import pytest

from messaging.dlq import read_dead_letters
from oms.ops.v1 import dead_letters_pb2 as ops
from oms.ops.v1 import dead_letters_pb2_grpc
from services.orders.tests.integration.conftest import Service
from services.orders.tests.integration.test_orders_from_quotes import accepted
from testkit.services import as_user, dead_letter, operator, publish

ADMIN = as_user("ada", "admin")


async def test_an_admin_lists_redrives_and_resolves_the_services_dead_letters(
    service: Service, kafka_bootstrap: str
) -> None:
    api = dead_letters_pb2_grpc.DeadLettersServiceStub(service.channel)
    quote = accepted()
    quote.document.breakdown.lines[0].net = "0.01"  # refused: does not price as stated
    await publish(kafka_bootstrap, quote, key=quote.quote_id, namespace=service.namespace)
    event_id = (await dead_letter(kafka_bootstrap, quote.quote_id)).event_id

    async def mine() -> list[ops.DeadLetter]:
        reply = await api.ListDeadLetters(ops.ListDeadLettersRequest(), metadata=ADMIN)
        return [x for x in reply.dead_letters if x.event_id == event_id]

    (letter,) = await mine()
    assert (letter.group, letter.key, letter.attempts) == ("oms.orders", quote.quote_id, 1)
    assert letter.topic == f"{service.namespace}oms.quoting.quote.v1"
    assert "does not price as stated" in letter.error

    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await api.ListDeadLetters(ops.ListDeadLettersRequest(), metadata=as_user("fin", "finance"))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED

    # the cause is still there: applied again, refused again, a new open letter
    again = await api.RedriveDeadLetter(
        ops.RedriveDeadLetterRequest(event_id=event_id), metadata=ADMIN
    )
    assert list(again.failed_again_event_ids) == [event_id]
    (letter,) = await mine()
    assert letter.attempts == 2

    resolved = await api.ResolveDeadLetter(
        ops.ResolveDeadLetterRequest(event_id=event_id, note="quote withdrawn"), metadata=ADMIN
    )
    assert resolved.resolved == 1
    assert await mine() == []
    closed = [
        (x.resolution, x.resolved_by)
        for x in await read_dead_letters(operator(kafka_bootstrap), resolved=True)
        if x.event_id == event_id
    ]
    assert sorted(closed) == [("discarded", "ada"), ("redriven", "ada")]

    with pytest.raises(grpc.aio.AioRpcError) as gone:
        await api.RedriveDeadLetter(ops.RedriveDeadLetterRequest(event_id=event_id), metadata=ADMIN)
    assert gone.value.code() == grpc.StatusCode.NOT_FOUND  # resolved: nothing open to re-drive
    with pytest.raises(grpc.aio.AioRpcError) as unnamed:
        await api.ResolveDeadLetter(ops.ResolveDeadLetterRequest(event_id=""), metadata=ADMIN)
    assert unnamed.value.code() == grpc.StatusCode.INVALID_ARGUMENT
