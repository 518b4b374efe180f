"""CreateWarehouse: a new warehouse, with a unique code and an allocation priority."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from inventory.application.ports import UnitOfWork
from inventory.domain.checks import check_warehouse
from inventory.domain.warehouse import Warehouse
from servicekit.errors import AlreadyExists


@dataclass(frozen=True)
class CreateWarehouse:
    code: str
    name: str
    priority: int = 0


async def create_warehouse(uow: UnitOfWork, command: CreateWarehouse) -> Warehouse:
    """AlreadyExists when the code is taken."""
    check_warehouse(command.code, command.name, command.priority)
    warehouse = Warehouse(str(uuid.uuid4()), command.code, command.name.strip(), command.priority)
    async with uow:
        if not await uow.warehouses.add(warehouse):
            raise AlreadyExists(f"warehouse code {command.code!r} already exists")
        await uow.audit.record(
            "warehouse",
            warehouse.id,
            "created",
            after={"code": warehouse.code, "name": warehouse.name, "priority": warehouse.priority},
        )
    return warehouse
