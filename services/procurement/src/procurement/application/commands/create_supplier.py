"""A new supplier, unique by name, announced (SupplierCreated) and recorded. A retry with the
command's request id answers the supplier the first call created."""

from __future__ import annotations

from dataclasses import dataclass, field

from procurement.application.changes import SUPPLIER, supplier_fields
from procurement.application.lookups import found_supplier
from procurement.application.ports import Ports, RequestKey
from procurement.domain.suppliers import Contact, Supplier, new_supplier
from servicekit.context import current_principal
from servicekit.errors import AlreadyExists


@dataclass(frozen=True)
class CreateSupplier:
    name: str
    email: str
    currency: str
    contacts: tuple[Contact, ...] = ()
    payment_terms: str = ""
    rating: int = 0
    request: RequestKey = field(default_factory=RequestKey)


CREATE = "create_supplier"


async def create_supplier(ports: Ports, command: CreateSupplier) -> Supplier:
    supplier, events = new_supplier(
        command.name,
        command.email,
        command.currency,
        ports.clock.now(),
        current_principal().subject,
        command.contacts,
        command.payment_terms,
        command.rating,
    )
    key = command.request
    async with ports.uow() as uow:
        # a retry whose first try created the supplier (its answer lost) would find its own name
        # taken: it gets that supplier back instead
        done = await uow.requests.claim(CREATE, key.request_id, key.fingerprint)
        if done is not None:
            return await found_supplier(uow, done)
        if not await uow.suppliers.add(supplier):
            raise AlreadyExists(f"a supplier named {supplier.name!r} already exists")
        await uow.publish(events)
        fields = supplier_fields(supplier)
        await uow.changes.record(SUPPLIER, supplier.id, "created", after=fields)
        await uow.requests.complete(CREATE, key.request_id, supplier.id)
    return supplier
