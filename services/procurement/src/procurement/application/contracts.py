"""Supplier contract use cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from oms.procurement.v1 import procurement_pb2 as pb
from procurement.adapters.repository import ContractRepository, SupplierRepository
from procurement.application.changes import CONTRACT, contract_fields
from procurement.application.suppliers import utc_now
from procurement.domain.contracts import AgreedPrice, SupplierContract, agreed_prices, new_contract
from servicekit.audit import AuditLog
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument, NotFound
from servicekit.idempotency import ProcessedRequests
from servicekit.paging import keyed_page, page_after, page_limit

CREATE = "create_contract"


async def prices_agreed(
    session: AsyncSession, supplier_id: str, currency: str, day: date
) -> dict[str, AgreedPrice]:
    """The supplier's contract prices in `currency` on `day`, by product id."""
    contracts = await ContractRepository(session).find(supplier_id, day)
    return dict(agreed_prices(contracts, currency, day))


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InvalidArgument.of(field, "an ISO date, YYYY-MM-DD") from error


def _after(token: str) -> tuple[date, datetime, str] | None:
    """The (valid_from, created_at, id) a page token carries; None for the first page."""
    key = page_after(token, 3)
    if not key:
        return None
    try:
        return date.fromisoformat(key[0]), datetime.fromisoformat(key[1]), key[2]
    except ValueError as error:
        raise InvalidArgument.of("page_token", "not a token this API issued") from error


class Contracts:
    def __init__(
        self,
        database: Database,
        audit: AuditLog,
        requests: ProcessedRequests,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self.audit = audit
        self.requests = requests
        self.clock = clock

    async def create(self, request: pb.CreateContractRequest) -> SupplierContract:
        """A retry with the request's request_id answers the contract the first call made."""
        async with self.database.transaction() as session:
            repository = ContractRepository(session)
            done = await self.requests.claim(session, CREATE, request.request_id, request)
            if done is not None:
                first = await repository.get(done)
                if first is None:
                    raise NotFound(f"contract {done} not found")
                return first
            supplier = await SupplierRepository(session).get(request.supplier_id)
            contract = new_contract(request, supplier, self.clock(), current_principal().subject)
            await repository.add(contract)
            fields = contract_fields(contract)
            await self.audit.record(session, CONTRACT, contract.id, "created", after=fields)
            await self.requests.complete(session, CREATE, request.request_id, contract.id)
        return contract

    async def page(self, request: pb.ListContractsRequest) -> tuple[list[SupplierContract], str]:
        """Newest period first, a page at a time."""
        limit = page_limit(request.page_size)
        day = _day(request.active_on, "active_on") if request.active_on else None
        after = _after(request.page_token)
        async with self.database.transaction() as session:
            found = await ContractRepository(session).page(
                request.supplier_id, request.product_id, day, after, limit + 1
            )
        return keyed_page(
            found, limit, lambda c: (c.valid_from.isoformat(), c.created_at.isoformat(), c.id)
        )
