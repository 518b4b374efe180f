"""A customer request, if the caller reaches it."""

from __future__ import annotations

from quoting.application.ports import Ports
from quoting.application.request_changes import reachable_request
from quoting.domain.request import CustomerRequest


async def get_request(ports: Ports, request_id: str) -> CustomerRequest:
    async with ports.uow() as uow:
        return await reachable_request(uow, request_id)
