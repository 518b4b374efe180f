"""An open customer request will not become a quote: lost, with the reason."""

from __future__ import annotations

from dataclasses import dataclass

from quoting.application.ports import Ports
from quoting.application.request_changes import audited, reachable_request, save_change
from quoting.domain.request import CustomerRequest


@dataclass(frozen=True)
class MarkRequestLost:
    request_id: str
    reason: str
    note: str = ""


async def mark_request_lost(ports: Ports, command: MarkRequestLost) -> CustomerRequest:
    async with ports.uow() as uow:
        request = await reachable_request(uow, command.request_id, for_update=True)
        before = audited(request)
        events = request.lose(command.reason, command.note, ports.clock.now())
        await save_change(uow, request, "lost", before, events)
    return request
