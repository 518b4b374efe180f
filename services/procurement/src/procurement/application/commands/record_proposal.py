"""One supplier's proposal to an RFQ, replacing its earlier one, until the deadline."""

from __future__ import annotations

from dataclasses import dataclass, field

from procurement.application.changes import RFQ, proposal_fields
from procurement.application.lookups import found_rfq
from procurement.application.ports import Ports, RequestKey
from procurement.domain.rfqs import ProposalInput, Rfq
from servicekit.context import current_principal

RECORD = "record_proposal"


@dataclass(frozen=True)
class RecordProposal:
    rfq_id: str
    proposal: ProposalInput
    request: RequestKey = field(default_factory=RequestKey)


async def record_proposal(ports: Ports, command: RecordProposal) -> Rfq:
    """A retry with the command's request id records nothing again (a later proposal from the
    same supplier is not undone) and answers the RFQ as it is."""
    key = command.request
    async with ports.uow() as uow:
        if await uow.requests.claim(RECORD, key.request_id, key.fingerprint):
            return await found_rfq(uow, command.rfq_id, for_update=True)
        rfq = await found_rfq(uow, command.rfq_id, for_update=True)
        before = rfq.proposals.get(command.proposal.supplier_id)
        proposal = rfq.record(command.proposal, ports.clock.now(), current_principal().subject)
        await uow.rfqs.save(rfq, proposal)
        await uow.changes.record(
            RFQ,
            rfq.id,
            "proposal_recorded",
            before=proposal_fields(before) if before else None,
            after=proposal_fields(proposal),
        )
        await uow.requests.complete(RECORD, key.request_id, rfq.id)
    return rfq
