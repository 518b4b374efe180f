"""Shipping what an order holds in a warehouse (all of it or the lines named) once orders has
approved it and does not hold it, and a shipment's journey."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.repository import InventoryStore
from inventory.adapters.tables import shipment_lines, shipments
from inventory.application.ledger import StockBook
from inventory.application.ports import ClientRequest, Retries
from inventory.domain.commands import check_shipment, shipping_refusal
from inventory.domain.ledger import next_shipment_status
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2 as events
from servicekit.audit import AuditLog
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound, Violations
from servicekit.paging import newest_after, newest_page, page_limit


@dataclass(frozen=True)
class ShippedLine:
    line_id: str
    product_id: str
    quantity: int


@dataclass(frozen=True)
class Shipment:
    id: str
    order_id: str
    warehouse_id: str
    lines: list[ShippedLine]
    carrier: str
    tracking_number: str
    status: str
    created_at: datetime
    created_by: str
    updated_at: datetime | None = None


def _pick(held: dict[str, Row[Any]], lines: Sequence[tuple[str, int]]) -> list[ShippedLine]:
    """What leaves: the lines named (each at most what it holds here), else everything held."""
    if not lines:
        return [ShippedLine(r.line_id, r.product_id, int(r.reserved)) for r in held.values()]
    problems = Violations()
    for i, (line_id, quantity) in enumerate(lines):
        if line_id not in held:
            problems.add(f"lines[{i}].line_id", "has nothing reserved there")
        elif quantity > held[line_id].reserved:
            problems.add(f"lines[{i}].quantity", f"at most {held[line_id].reserved} reserved there")
    if problems.items:
        raise FailedPrecondition(
            "; ".join(f"{v.field}: {v.description}" for v in problems.items),
            tuple(problems.items),
        )
    return [ShippedLine(line_id, held[line_id].product_id, units) for line_id, units in lines]


def _audited(shipment: Shipment) -> dict[str, Any]:
    return {
        "order_id": shipment.order_id,
        "warehouse_id": shipment.warehouse_id,
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "status": shipment.status,
        "lines": [{"line_id": x.line_id, "quantity": x.quantity} for x in shipment.lines],
    }


def _dispatched(shipment: Shipment) -> events.ShipmentDispatched:
    return events.ShipmentDispatched(
        shipment_id=shipment.id,
        order_id=shipment.order_id,
        warehouse_id=shipment.warehouse_id,
        lines=[
            events.ShippedLine(line_id=x.line_id, product_id=x.product_id, quantity=x.quantity)
            for x in shipment.lines
        ],
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
    )


class Shipments:
    def __init__(
        self, database: Database, outbox: Outbox, audit: AuditLog, retries: Retries
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.audit = audit
        self.retries = retries

    async def ship(
        self,
        order_id: str,
        warehouse_id: str,
        carrier: str,
        tracking: str,
        lines: Sequence[tuple[str, int]] = (),
        request: ClientRequest | None = None,
    ) -> Shipment:
        """Ships from `warehouse_id` what the order holds there: everything, or `lines`
        (line id, units), each at most what that line holds there."""
        check_shipment(order_id, warehouse_id, carrier, tracking, lines)
        async with self.database.transaction() as session:
            done = await self.retries.claim(session, "ship_order", request)
            if done is not None:
                return (await self._shipments(session, shipment_id=done))[0]
            store = InventoryStore(session)
            here = await store.ledger(order_id, warehouse_id=warehouse_id)
            await store.lock_products(r.product_id for r in here)
            await self._cleared(store, order_id, warehouse_id)
            held = {
                r.line_id: r
                for r in await store.ledger(order_id, warehouse_id=warehouse_id, for_update=True)
                if r.reserved > 0
            }
            if not held:
                raise FailedPrecondition(
                    f"nothing reserved for order {order_id} in warehouse {warehouse_id}"
                )
            now = datetime.now(UTC)
            shipment = Shipment(
                id=str(uuid.uuid4()),
                order_id=order_id,
                warehouse_id=warehouse_id,
                lines=_pick(held, lines),
                carrier=carrier.strip(),
                tracking_number=tracking.strip(),
                status="dispatched",
                created_at=now,
                created_by=current_principal().subject,
                updated_at=now,
            )
            await self._dispatch(store, shipment)
            await self.audit.record(
                session, "shipment", shipment.id, "dispatched", after=_audited(shipment)
            )
            await self.retries.complete(session, "ship_order", request, shipment.id)
        return shipment

    @staticmethod
    async def _cleared(store: InventoryStore, order_id: str, warehouse_id: str) -> None:
        """FailedPrecondition unless orders approved the order and does not hold it (the row
        stays locked, so a hold arriving now waits for this shipment or stops it)."""
        order = await store.order(order_id, for_update=True)
        if order is None:
            raise FailedPrecondition(
                f"nothing reserved for order {order_id} in warehouse {warehouse_id}"
            )
        refusal = shipping_refusal(
            order_id, order.approved_at is not None, order.on_hold, order.hold_reason
        )
        if refusal:
            raise FailedPrecondition(refusal)

    async def _dispatch(self, store: InventoryStore, shipment: Shipment) -> None:
        """The shipment recorded, its units consumed from the reservations, and announced."""
        await store.session.execute(
            shipments.insert().values(
                id=shipment.id,
                order_id=shipment.order_id,
                warehouse_id=shipment.warehouse_id,
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number,
                status=shipment.status,
                created_by=shipment.created_by,
                created_at=shipment.created_at,
                updated_at=shipment.updated_at,
            )
        )
        book = StockBook(store, self.outbox)
        for line in shipment.lines:
            await book.consume(
                shipment.order_id,
                line.line_id,
                line.product_id,
                shipment.warehouse_id,
                line.quantity,
                f"shipped with {shipment.carrier}",
                shipment.id,
            )
        await store.session.execute(
            shipment_lines.insert(),
            [
                {
                    "shipment_id": shipment.id,
                    "line_id": x.line_id,
                    "product_id": x.product_id,
                    "quantity": x.quantity,
                }
                for x in shipment.lines
            ],
        )
        await self.outbox.add(store.session, _dispatched(shipment), key=shipment.order_id)
        await book.settle()

    async def change_status(self, shipment_id: str, status: str) -> Shipment:
        if not shipment_id:
            raise InvalidArgument.of("shipment_id", "required")
        async with self.database.transaction() as session:
            row = (
                await session.execute(
                    select(shipments).where(shipments.c.id == shipment_id).with_for_update()
                )
            ).first()
            if row is None:
                raise NotFound(f"shipment {shipment_id} not found")
            if next_shipment_status(row.status, status):
                await session.execute(
                    shipments.update()
                    .where(shipments.c.id == shipment_id)
                    .values(status=status, updated_at=datetime.now(UTC))
                )
                changed = events.ShipmentStatusChanged(
                    shipment_id=shipment_id,
                    order_id=row.order_id,
                    from_status=row.status,
                    to_status=status,
                )
                await self.outbox.add(session, changed, key=row.order_id)
                await self.audit.record(
                    session,
                    "shipment",
                    shipment_id,
                    "status_changed",
                    before={"status": row.status},
                    after={"status": status},
                )
            return (await self._shipments(session, shipment_id=shipment_id))[0]

    async def page(
        self, order_id: str = "", page_size: int = 0, token: str = ""
    ) -> tuple[list[Shipment], str]:
        """A page of shipments (of one order, when given), newest first, and the next page's
        token."""
        limit = page_limit(page_size)
        after = newest_after(token)
        async with self.database.transaction() as session:
            found = await self._shipments(session, order_id=order_id, limit=limit + 1, after=after)
        return newest_page(found, limit)

    async def _shipments(
        self,
        session: AsyncSession,
        order_id: str = "",
        shipment_id: str = "",
        limit: int | None = None,
        after: tuple[datetime, str] | None = None,
    ) -> list[Shipment]:
        c = shipments.c
        query = select(shipments).order_by(c.created_at.desc(), c.id.desc()).limit(limit)
        if order_id:
            query = query.where(c.order_id == order_id)
        if shipment_id:
            query = query.where(c.id == shipment_id)
        if after is not None:
            query = query.where(tuple_(c.created_at, c.id) < tuple_(*after))
        heads = (await session.execute(query)).all()
        lines: dict[str, list[ShippedLine]] = {}
        for row in await session.execute(
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
