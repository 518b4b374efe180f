"""Shipments on PostgreSQL: the shipment (shipments) and what left with it (shipment_lines)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, tuple_

from inventory.adapters.tables import shipment_lines, shipments
from inventory.domain.events import ShippedLine
from inventory.domain.shipment import Shipment
from servicekit.db import GatheredRows, Transaction, quoted

# Nothing reads a shipment in the transaction that dispatches it (a retry of the request reads
# it in its own, once this one committed), so its rows are gathered and sent as the transaction
# commits (servicekit.db.GatheredRows), in the one statement with its ledger, audit and outbox
# rows: two round trips fewer while the products' locks are held. The shipment is made first,
# so its row goes before its lines'.
_INSERT = GatheredRows(
    f"INSERT INTO {quoted(shipments)} (id, order_id, warehouse_id, carrier, tracking_number,"
    " status, created_by, created_at, updated_at)"
    " SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[],"
    " $5::varchar[], $6::varchar[], $7::varchar[], $8::timestamptz[], $9::timestamptz[])",
    9,
)
_LINES_INSERT = GatheredRows(
    f"INSERT INTO {quoted(shipment_lines)} (shipment_id, line_id, product_id, quantity)"
    " SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::integer[])",
    4,
)


class SqlShipmentRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def get(self, shipment_id: str, *, for_update: bool = False) -> Shipment | None:
        query = select(shipments).where(shipments.c.id == shipment_id)
        found = await self._read(query.with_for_update() if for_update else query)
        return found[0] if found else None

    async def add(self, shipment: Shipment) -> None:
        s = shipment
        self.session.gather(
            _INSERT,
            [
                [s.id], [s.order_id], [s.warehouse_id], [s.carrier], [s.tracking_number],
                [s.status], [s.created_by], [s.created_at], [s.updated_at],
            ],
        )  # fmt: skip
        self.session.gather(
            _LINES_INSERT,
            [
                [s.id] * len(s.lines),
                [x.line_id for x in s.lines],
                [x.product_id for x in s.lines],
                [x.quantity for x in s.lines],
            ],
        )

    async def save(self, shipment: Shipment) -> None:
        await self.session.execute(
            shipments.update()
            .where(shipments.c.id == shipment.id)
            .values(status=shipment.status, updated_at=shipment.updated_at)
        )

    async def page(
        self, limit: int, order_id: str = "", after: tuple[datetime, str] | None = None
    ) -> list[Shipment]:
        c = shipments.c
        query = select(shipments).order_by(c.created_at.desc(), c.id.desc()).limit(limit)
        if order_id:
            query = query.where(c.order_id == order_id)
        if after is not None:
            query = query.where(tuple_(c.created_at, c.id) < tuple_(*after))
        return await self._read(query)

    async def _read(self, query: Select[Any]) -> list[Shipment]:
        heads = (await self.session.execute(query)).all()
        lines: dict[str, list[ShippedLine]] = {}
        for row in await self.session.execute(
            select(shipment_lines).where(shipment_lines.c.shipment_id.in_([h.id for h in heads]))
        ):
            lines.setdefault(row.shipment_id, []).append(
                ShippedLine(row.line_id, row.product_id, row.quantity)
            )
        return [
            Shipment(
                h.id,
                h.order_id,
                h.warehouse_id,
                lines.get(h.id, []),
                h.carrier,
                h.tracking_number,
                h.status,
                h.created_at,
                h.created_by,
                h.updated_at,
            )
            for h in heads
        ]
