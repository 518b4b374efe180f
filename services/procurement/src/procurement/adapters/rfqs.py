"""RFQs and their proposals in PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import insert

from pricing.money import parse_amount
from procurement.adapters.tables import older_than, rfq_proposals, rfqs
from procurement.domain.rfqs import Proposal, Rfq, RfqLine, RfqStatus
from servicekit.db import Transaction


def _proposal(row: Row[Any]) -> Proposal:
    return Proposal(
        row.supplier_id,
        {product: parse_amount(amount) for product, amount in row.prices.items()},
        row.lead_time_days,
        row.terms,
        row.valid_until,
        row.recorded_at,
        row.recorded_by,
    )


def _rfq(row: Row[Any], proposals: Iterable[Proposal]) -> Rfq:
    return Rfq(
        id=row.id,
        title=row.title,
        currency=row.currency,
        warehouse_id=row.warehouse_id,
        deadline=row.deadline,
        supplier_ids=tuple(row.supplier_ids),
        lines=tuple(RfqLine(**line) for line in row.lines),
        status=RfqStatus(row.status),
        notes=row.notes,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        proposals={p.supplier_id: p for p in proposals},
        awarded_supplier_id=row.awarded_supplier_id,
        purchase_order_id=row.purchase_order_id,
    )


class SqlRfqRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, rfq: Rfq) -> None:
        await self.session.execute(
            rfqs.insert().values(
                id=rfq.id,
                title=rfq.title,
                currency=rfq.currency,
                warehouse_id=rfq.warehouse_id,
                deadline=rfq.deadline,
                supplier_ids=list(rfq.supplier_ids),
                lines=[asdict(line) for line in rfq.lines],
                notes=rfq.notes,
                created_at=rfq.created_at,
                created_by=rfq.created_by,
                **self._state(rfq),
            )
        )

    def _state(self, rfq: Rfq) -> dict[str, Any]:
        return {
            "status": rfq.status.value,
            "awarded_supplier_id": rfq.awarded_supplier_id,
            "purchase_order_id": rfq.purchase_order_id,
            "updated_at": rfq.updated_at,
        }

    async def save(self, rfq: Rfq, proposal: Proposal | None = None) -> None:
        await self.session.execute(
            rfqs.update().where(rfqs.c.id == rfq.id).values(**self._state(rfq))
        )
        if proposal is not None:
            values = {
                "prices": {product: str(amount) for product, amount in proposal.prices.items()},
                "lead_time_days": proposal.lead_time_days,
                "terms": proposal.terms,
                "valid_until": proposal.valid_until,
                "recorded_at": proposal.recorded_at,
                "recorded_by": proposal.recorded_by,
            }
            await self.session.execute(
                insert(rfq_proposals)
                .values(rfq_id=rfq.id, supplier_id=proposal.supplier_id, **values)
                .on_conflict_do_update(index_elements=["rfq_id", "supplier_id"], set_=values)
            )

    async def _with_proposals(self, rows: Sequence[Row[Any]]) -> list[Rfq]:
        ids = [row.id for row in rows]
        proposals: dict[str, list[Proposal]] = {i: [] for i in ids}
        if ids:
            query = select(rfq_proposals).where(rfq_proposals.c.rfq_id.in_(ids))
            for row in await self.session.execute(query):
                proposals[row.rfq_id].append(_proposal(row))
        return [_rfq(row, proposals[row.id]) for row in rows]

    async def get(self, rfq_id: str, *, for_update: bool = False) -> Rfq | None:
        query = select(rfqs).where(rfqs.c.id == rfq_id)
        rows = (await self.session.execute(query.with_for_update() if for_update else query)).all()
        found = await self._with_proposals(rows)
        return found[0] if found else None

    async def page(self, status: str, after: tuple[datetime, str] | None, limit: int) -> list[Rfq]:
        query = select(rfqs)
        if status:
            query = query.where(rfqs.c.status == status)
        if after is not None:
            query = query.where(older_than(rfqs, after))
        query = query.order_by(rfqs.c.created_at.desc(), rfqs.c.id.desc()).limit(limit)
        return await self._with_proposals((await self.session.execute(query)).all())
