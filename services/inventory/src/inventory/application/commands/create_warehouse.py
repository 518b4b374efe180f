"""CreateWarehouse: a new warehouse, with a unique code and an allocation priority. A retry with
the same client request id answers the warehouse the first call created."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from inventory.application.ports import ClientRequest, UnitOfWork
from inventory.domain.checks import check_warehouse
from inventory.domain.warehouse import Warehouse
from servicekit.errors import AlreadyExists


@dataclass(frozen=True)
class CreateWarehouse:
    code: str
    name: str
    priority: int = 0
    request: ClientRequest | None = None


async def create_warehouse(uow: UnitOfWork, command: CreateWarehouse) -> Warehouse:
    """AlreadyExists when the code is taken (for a retry: the warehouse the first call made)."""
    check_warehouse(command.code, command.name, command.priority)
    warehouse = Warehouse(str(uuid.uuid4()), command.code, command.name.strip(), command.priority)
    async with uow:
        # a retry whose first try created the warehouse (its answer lost) would find its own
        # code taken: it gets that warehouse back instead
        done = await uow.requests.claim("create_warehouse", command.request)
        if done is not None:
            first = await uow.warehouses.get(done)
            assert first is not None  # a claim is completed with the warehouse it created
            return first
        if not await uow.warehouses.add(warehouse):
            raise AlreadyExists(f"warehouse code {command.code!r} already exists")
        await uow.audit.record(
            "warehouse",
            warehouse.id,
            "created",
            after={"code": warehouse.code, "name": warehouse.name, "priority": warehouse.priority},
        )
        await uow.requests.complete("create_warehouse", command.request, warehouse.id)
    return warehouse
