"""A new supplier, unique by name, announced (SupplierCreated) and recorded."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.application.changes import SUPPLIER, supplier_fields
from procurement.application.ports import Ports
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
    async with ports.uow() as uow:
        if not await uow.suppliers.add(supplier):
            raise AlreadyExists(f"a supplier named {supplier.name!r} already exists")
        await uow.publish(events)
        fields = supplier_fields(supplier)
        await uow.changes.record(SUPPLIER, supplier.id, "created", after=fields)
    return supplier
