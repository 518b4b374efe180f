"""Registering an incoming customer request, numbered like quotes ("REQ-2026-000001"). A retry
with the same client request id answers the request the first call registered."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from quoting.application.ports import Ports
from quoting.application.request_changes import REQUEST, audited, owner_for
from quoting.domain.limits import TEAM
from quoting.domain.request import CustomerRequest, RequestInput, request_number
from servicekit.context import current_principal
from servicekit.errors import InvalidArgument

REGISTER = "register_request"


@dataclass(frozen=True)
class RegisterRequest:
    given: RequestInput
    owner: str = ""
    # The client's id for the call ("" when it gives none) and the call's content without it
    # (servicekit.idempotency.fingerprint), which a retry must repeat exactly.
    request_id: str = ""
    fingerprint: str = ""


async def register_request(ports: Ports, command: RegisterRequest) -> CustomerRequest:
    caller = current_principal()
    if len(caller.team) > TEAM:
        raise InvalidArgument.of("team", f"the token's team claim is over {TEAM} characters")
    owner = owner_for(caller, command.owner)
    now = ports.clock.now()
    async with ports.uow() as uow:
        # a retry whose first try registered the request (its answer lost) gets that one back
        done = await uow.retries.claim(REGISTER, command.request_id, command.fingerprint)
        if done is not None:
            first = await uow.customer_requests.get(done)
            assert first is not None  # a claim is completed with the request it registered
            return first
        number = request_number(now.year, await uow.customer_requests.next_number(now.year))
        request, events = CustomerRequest.register(
            str(uuid.uuid4()), number, command.given, owner, caller.team, now, caller.subject
        )
        await uow.retries.complete(REGISTER, command.request_id, request.id)
        await uow.customer_requests.add(request)
        await uow.publish(events)
        await uow.record(REQUEST, request.id, "registered", after=audited(request))
    return request
