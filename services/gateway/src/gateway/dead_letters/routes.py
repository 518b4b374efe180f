"""/dead-letters: the events services could not apply (docs/dead-letters.md), for admins.

Every service serves the dead letters of its own consumer groups as
`oms.ops.v1.DeadLettersService`; the list asks them all and names in `missing` those that did
not answer. A re-drive applies the event again in the service that failed it (after its key's
earlier open letters), a resolve closes it without applying it; both are recorded with who did
it, as the operator's `make dlq` records its own. Each service checks the caller is an admin.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import grpc
from fastapi import APIRouter, Path, Request

from gateway.clients import SERVICES, Clients
from gateway.dead_letters.schemas import DeadLetter, DeadLetterList, Redriven, Resolved, ResolveIn
from gateway.edge.auth import require
from gateway.edge.openapi import problems
from oms.ops.v1 import dead_letters_pb2 as pb

router = APIRouter(prefix="/dead-letters", tags=["dead letters"])
routers = (router,)
ADMIN = require("admin")
# A service slower than this is named in `missing` rather than holding up the answer.
TIMEOUT_SECONDS = 5.0

Service = Annotated[
    str,
    Path(
        pattern=f"^({'|'.join(SERVICES)})$",
        description="the service whose consumer group failed the event",
        examples=["billing"],
    ),
]
EventId = Annotated[str, Path(min_length=1, max_length=100, description="the event's id (ce_id)")]


async def _letters(clients: Clients, service: str) -> list[DeadLetter] | None:
    """The service's open letters, or None when it did not answer."""
    try:
        reply = await clients.dead_letters(service).ListDeadLetters(
            pb.ListDeadLettersRequest(), timeout=TIMEOUT_SECONDS
        )
    except grpc.aio.AioRpcError:
        return None
    return [
        DeadLetter(
            service=service,
            event_id=x.event_id,
            event_type=x.event_type,
            topic=x.topic,
            partition=x.partition,
            offset=x.offset,
            key=x.key,
            group=x.group,
            error=x.error,
            error_class=x.error_class,
            sqlstate=x.sqlstate,
            attempts=x.attempts,
            at=x.at,
        )
        for x in reply.dead_letters
    ]


@router.get(
    "",
    operation_id="listDeadLetters",
    summary="List open dead letters",
    response_model=DeadLetterList,
    dependencies=[ADMIN],
)
async def list_dead_letters(request: Request) -> DeadLetterList:
    """The open dead letters of every service, oldest first: events a consumer group could not
    apply, with where they were read, the group and the error. A service that does not answer
    is named in `missing` (the answer is still 200). Admins only."""
    clients: Clients = request.app.state.clients
    answers = await asyncio.gather(*[_letters(clients, s) for s in SERVICES])
    items = [x for found in answers if found for x in found]
    items.sort(key=lambda x: (x.at, x.service, x.offset))
    missing = [s for s, found in zip(SERVICES, answers, strict=True) if found is None]
    return DeadLetterList(items=items, missing=missing)


@router.post(
    "/{service}/{event_id}/redrive",
    operation_id="redriveDeadLetter",
    summary="Re-drive a dead letter",
    response_model=Redriven,
    dependencies=[ADMIN],
    responses=problems(404, 409),
)
async def redrive_dead_letter(service: Service, event_id: EventId, request: Request) -> Redriven:
    """Applies the event again in `service`, for the consumer group that failed it, after its
    key's earlier open letters, and closes the letters as re-driven by you. An event applied
    meanwhile is not applied twice; one that fails again is a new open letter (in
    `failed_again`). 404 when the service has no open letter of that event; 409 when the event
    is past its topic's retention (its owner must publish the change again). Admins only."""
    clients: Clients = request.app.state.clients
    reply = await clients.dead_letters(service).RedriveDeadLetter(
        pb.RedriveDeadLetterRequest(event_id=event_id)
    )
    return Redriven(
        redriven=list(reply.redriven_event_ids), failed_again=list(reply.failed_again_event_ids)
    )


@router.post(
    "/{service}/{event_id}/resolve",
    operation_id="resolveDeadLetter",
    summary="Resolve a dead letter without re-driving it",
    response_model=Resolved,
    dependencies=[ADMIN],
    responses=problems(404),
)
async def resolve_dead_letter(
    service: Service, event_id: EventId, body: ResolveIn, request: Request
) -> Resolved:
    """Sets the event aside for good, without applying it: its letters are closed as discarded
    by you, with `note`. 404 when the service has no open letter of that event. Admins only."""
    clients: Clients = request.app.state.clients
    reply = await clients.dead_letters(service).ResolveDeadLetter(
        pb.ResolveDeadLetterRequest(event_id=event_id, note=body.note)
    )
    return Resolved(resolved=reply.resolved)
