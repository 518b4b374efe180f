"""Supplier contract use cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from oms.procurement.v1 import procurement_pb2 as pb
from procurement.adapters.repository import ContractRepository, SupplierRepository
from procurement.application.suppliers import utc_now
from procurement.domain.contracts import AgreedPrice, SupplierContract, agreed_prices, new_contract
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument


async def prices_agreed(
    session: AsyncSession, supplier_id: str, currency: str, day: date
) -> dict[str, AgreedPrice]:
    """The supplier's contract prices in `currency` on `day`, by product id."""
    contracts = await ContractRepository(session).find(supplier_id, active_on=day)
    return dict(agreed_prices(contracts, currency, day))


class Contracts:
    def __init__(self, database: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self.database = database
        self.clock = clock

    async def create(self, request: pb.CreateContractRequest) -> SupplierContract:
        async with self.database.transaction() as session:
            supplier = await SupplierRepository(session).get(request.supplier_id)
            contract = new_contract(request, supplier, self.clock(), current_principal().subject)
            await ContractRepository(session).add(contract)
        return contract

    async def find(
        self, supplier_id: str, product_id: str, active_on: str
    ) -> list[SupplierContract]:
        day = None
        if active_on:
            try:
                day = date.fromisoformat(active_on)
            except ValueError as error:
                raise InvalidArgument.of("active_on", "an ISO date, YYYY-MM-DD") from error
        async with self.database.transaction() as session:
            return await ContractRepository(session).find(supplier_id, product_id, day)
