"""Unit prices agreed with a supplier for a period; purchase order lines take them."""

from __future__ import annotations

from dataclasses import dataclass, field

from procurement.application.changes import CONTRACT, contract_fields
from procurement.application.ports import Ports, RequestKey
from procurement.domain.contracts import ContractInput, SupplierContract, new_contract
from servicekit.context import current_principal
from servicekit.errors import NotFound

CREATE = "create_contract"


@dataclass(frozen=True)
class CreateContract:
    contract: ContractInput
    request: RequestKey = field(default_factory=RequestKey)


async def create_contract(ports: Ports, command: CreateContract) -> SupplierContract:
    """A retry with the command's request id answers the contract the first call made."""
    key = command.request
    async with ports.uow() as uow:
        done = await uow.requests.claim(CREATE, key.request_id, key.fingerprint)
        if done is not None:
            first = await uow.contracts.get(done)
            if first is None:
                raise NotFound(f"contract {done} not found")
            return first
        supplier = await uow.suppliers.get(command.contract.supplier_id)
        contract = new_contract(
            command.contract, supplier, ports.clock.now(), current_principal().subject
        )
        await uow.contracts.add(contract)
        fields = contract_fields(contract)
        await uow.changes.record(CONTRACT, contract.id, "created", after=fields)
        await uow.requests.complete(CREATE, key.request_id, contract.id)
    return contract
