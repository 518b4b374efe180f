"""/audit: the changes made to an entity, from the change log of every service that owns it.

Each service (and the gateway, for API keys) keeps the log of its own entities and serves it as
`oms.audit.v1.AuditService`; this route asks them all and merges the answers newest first. A
service that does not answer is named in `unavailable`, and the page holds what the others said.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC
from typing import Annotated

import grpc
from fastapi import APIRouter, Query, Request

from gateway.audit.schemas import AuditEntry, AuditPage, Unavailable
from gateway.bodies import PageSize, PageToken
from gateway.clients import SERVICES, Clients
from gateway.edge.auth import require
from oms.audit.v1 import audit_pb2
from servicekit.errors import ServiceError
from servicekit.paging import newest_after, page_limit
from servicekit.paging import page_token as token_after

router = APIRouter(tags=["audit"])
routers = (router,)
READERS = require("finance")  # and admin, who passes every check
# A service slower than this is reported as unavailable rather than holding up the answer.
TIMEOUT_SECONDS = 5.0

Source = Callable[
    [audit_pb2.ListAuditEntriesRequest], Awaitable[audit_pb2.ListAuditEntriesResponse]
]


def _sources(request: Request) -> dict[str, Source]:
    """Who keeps a change log: the gateway (its API keys) and every service."""
    clients: Clients = request.app.state.clients

    def remote(service: str) -> Source:
        stub = clients.audit(service)

        async def ask(
            message: audit_pb2.ListAuditEntriesRequest,
        ) -> audit_pb2.ListAuditEntriesResponse:
            reply: audit_pb2.ListAuditEntriesResponse = await stub.ListAuditEntries(
                message, timeout=TIMEOUT_SECONDS
            )
            return reply

        return ask

    return {"gateway": request.app.state.stores.audit.list_entries} | {
        service: remote(service) for service in SERVICES
    }


async def _answer(
    source: Source, message: audit_pb2.ListAuditEntriesRequest
) -> audit_pb2.ListAuditEntriesResponse | str:
    """The source's page, or why there is none."""
    try:
        return await source(message)
    except grpc.aio.AioRpcError as error:
        return f"{error.code().name}: {error.details() or 'no answer'}"
    except ServiceError as error:
        return error.message


def _entry(entry: audit_pb2.AuditEntry) -> AuditEntry:
    return AuditEntry(
        id=entry.id,
        service=entry.service,
        entity_type=entry.entity_type,
        entity_id=entry.entity_id,
        action=entry.action,
        actor=entry.actor,
        actor_roles=list(entry.actor_roles),
        at=entry.at.ToDatetime(tzinfo=UTC),
        before=json.loads(entry.before_json) if entry.before_json else None,
        after=json.loads(entry.after_json) if entry.after_json else None,
        correlation_id=entry.correlation_id,
    )


@router.get(
    "/audit",
    operation_id="listAuditEntries",
    summary="List the changes to an entity",
    response_model=AuditPage,
    dependencies=[READERS],
)
async def audit(
    request: Request,
    entity_type: Annotated[
        str, Query(min_length=1, max_length=40, description="product, customer, payment, ...")
    ],
    entity_id: Annotated[str, Query(max_length=100, description="empty: every one")] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> AuditPage:
    """Who changed what and when, newest first, with the changed fields before and after: the
    changes to entities of `entity_type` (to one with `entity_id`) from every service that keeps
    them. A service that does not answer is named in `unavailable` and its changes are missing
    from the page (the page is still 200). Finance and admins may read it."""
    limit = page_limit(page_size)
    newest_after(page_token)  # refuses a token this API did not issue, before asking anyone
    message = audit_pb2.ListAuditEntriesRequest(
        entity_type=entity_type, entity_id=entity_id, page_size=limit, page_token=page_token
    )
    sources = _sources(request)
    answers = await asyncio.gather(*[_answer(source, message) for source in sources.values()])
    found: list[audit_pb2.AuditEntry] = []
    unavailable: list[Unavailable] = []
    more = False
    for service, answer in zip(sources, answers, strict=True):
        if isinstance(answer, str):
            unavailable.append(Unavailable(service=service, detail=answer))
            continue
        found += answer.entries
        more = more or bool(answer.next_page_token)
    # one order across services, the one every service pages by: newest first, then id
    found.sort(key=lambda e: (e.at.seconds, e.at.nanos, e.id), reverse=True)
    page = found[:limit]
    more = more or len(found) > limit
    last = page[-1] if page else None
    next_token = (
        token_after(last.at.ToDatetime(tzinfo=UTC).isoformat(), last.id) if more and last else ""
    )
    return AuditPage(
        items=[_entry(e) for e in page], next_page_token=next_token, unavailable=unavailable
    )
