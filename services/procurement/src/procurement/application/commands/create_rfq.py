"""A request for quotation, open at once to every supplier it names until its deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from procurement.application.changes import RFQ, rfq_fields
from procurement.application.ports import Ports
from procurement.domain.rfq_content import RfqInput, new_rfq
from procurement.domain.rfqs import Rfq
from servicekit.context import current_principal


@dataclass(frozen=True)
class CreateRfq:
    rfq: RfqInput
    deadline: datetime | None  # None: not given


async def create_rfq(ports: Ports, command: CreateRfq) -> Rfq:
    async with ports.uow() as uow:
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
    return rfq
