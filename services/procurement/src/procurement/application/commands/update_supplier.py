"""A supplier's e-mail, contacts, terms and rating replaced (its name and currency stay)."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.application.changes import SUPPLIER, supplier_fields
from procurement.application.lookups import found_supplier
from procurement.application.ports import Ports
from procurement.domain.suppliers import Supplier, SupplierChange, changed_supplier
from servicekit.changes import changed


@dataclass(frozen=True)
class UpdateSupplier:
    supplier_id: str
    change: SupplierChange


async def update_supplier(ports: Ports, command: UpdateSupplier) -> Supplier:
    async with ports.uow() as uow:
        supplier = await found_supplier(uow, command.supplier_id, for_update=True)
        before, supplier = supplier, changed_supplier(supplier, command.change, ports.clock.now())
        await uow.suppliers.save(supplier)
        old, new = changed(supplier_fields(before), supplier_fields(supplier))
        if new:
            await uow.changes.record(SUPPLIER, supplier.id, "changed", before=old, after=new)
    return supplier
