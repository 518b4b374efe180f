"""A request for quotation, open at once to every supplier it names until its deadline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from procurement.application.changes import RFQ, rfq_fields
from procurement.application.lookups import found_rfq
from procurement.application.ports import Ports, RequestKey
from procurement.domain.rfq_content import RfqInput, new_rfq
from procurement.domain.rfqs import Rfq
from servicekit.context import current_principal

CREATE = "create_rfq"


@dataclass(frozen=True)
class CreateRfq:
    rfq: RfqInput
    deadline: datetime | None  # None: not given
    request: RequestKey = field(default_factory=RequestKey)


async def create_rfq(ports: Ports, command: CreateRfq) -> Rfq:
    """A retry with the command's request id answers the RFQ the first call made."""
    key = command.request
    async with ports.uow() as uow:
        done = await uow.requests.claim(CREATE, key.request_id, key.fingerprint)
        if done is not None:
            return await found_rfq(uow, done)
        known = await uow.suppliers.find(command.rfq.supplier_ids)
        rfq = new_rfq(
            command.rfq,
            command.deadline,
            {s.id for s in known},
            ports.clock.now(),
            current_principal().subject,
        )
        await uow.rfqs.add(rfq)
        await uow.changes.record(RFQ, rfq.id, "created", after=rfq_fields(rfq))
        await uow.requests.complete(CREATE, key.request_id, rfq.id)
    return rfq
