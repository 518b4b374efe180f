"""Reserving an order's stock (on SalesOrderPlaced) and shipping it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.tables import (
    reservations,
    shipment_lines,
    shipments,
    stock_levels,
    warehouses,
)
from inventory.application.stock import record_movement
from inventory.domain.model import candidate_warehouses, rejection_reason, shortages
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import orders_pb2
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import FailedPrecondition, Violations


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


async def _availability(
    session: AsyncSession, product_ids: set[str]
) -> tuple[list[str], dict[str, dict[str, int]]]:
    """Warehouses in priority order (by code) and what each has available of these products."""
    priority = [
        row.id for row in await session.execute(select(warehouses.c.id).order_by(warehouses.c.code))
    ]
    level = stock_levels.c
    rows = await session.execute(
        select(
            level.warehouse_id,
            level.product_id,
            (level.on_hand - level.reserved).label("available"),
        ).where(level.product_id.in_(product_ids))
    )
    availability: dict[str, dict[str, int]] = {}
    for row in rows:
        availability.setdefault(row.warehouse_id, {})[row.product_id] = row.available
    return priority, availability


async def _try_reserve(
    session: AsyncSession, order: orders_pb2.SalesOrderPlaced, warehouse_id: str
) -> bool:
    """Holds every line in `warehouse_id`, or nothing (the savepoint rolls back a partial hold).

    Each unit is taken by a conditional update, so concurrent orders and replicas can never
    reserve more than is on hand: the loser of a race sees no row updated."""
    level = stock_levels.c
    savepoint = await session.begin_nested()
    for line in order.lines:
        taken = await session.execute(
            stock_levels.update()
            .where(level.warehouse_id == warehouse_id, level.product_id == line.product_id)
            .where(level.on_hand - level.reserved >= line.quantity)
            .values(reserved=level.reserved + line.quantity)
            .returning(level.reserved)
        )
        if taken.first() is None:
            await savepoint.rollback()
            return False
    for line in order.lines:
        await session.execute(
            reservations.insert().values(
                order_id=order.order_id,
                line_id=line.line_id,
                product_id=line.product_id,
                warehouse_id=warehouse_id,
                quantity=line.quantity,
                status="reserved",
                created_by=current_principal().subject,
            )
        )
        await record_movement(
            session,
            warehouse_id,
            line.product_id,
            on_hand=0,
            reserved=line.quantity,
            kind="reservation",
            reason="sales order placed",
            reference=order.order_id,
        )
    await savepoint.commit()
    return True


class Reservations:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def on_sales_order_placed(
        self, session: AsyncSession, order: orders_pb2.SalesOrderPlaced, envelope: Envelope
    ) -> None:
        wanted = [(line.product_id, line.quantity) for line in order.lines]
        priority, availability = await _availability(session, {p for p, _ in wanted})
        for warehouse_id in candidate_warehouses(wanted, availability, priority):
            if await _try_reserve(session, order, warehouse_id):
                reserved = events.StockReserved(
                    order_id=order.order_id,
                    lines=[
                        events.ReservedLine(
                            line_id=line.line_id,
                            product_id=line.product_id,
                            warehouse_id=warehouse_id,
                            quantity=line.quantity,
                        )
                        for line in order.lines
                    ],
                )
                await self.outbox.add(session, reserved, key=order.order_id)
                return
        # Nothing could be held: report what is short, as seen now (the snapshot may have moved).
        _, availability = await _availability(session, {p for p, _ in wanted})
        found = shortages(wanted, availability)
        rejected = events.StockRejected(
            order_id=order.order_id,
            reason=rejection_reason(found, {line.product_id: line.sku for line in order.lines}),
            shortages=[
                events.Shortage(
                    product_id=s.product_id, requested=s.requested, available=s.available
                )
                for s in found
            ],
        )
        await self.outbox.add(session, rejected, key=order.order_id)

    async def ship(self, order_id: str, warehouse_id: str, carrier: str, tracking: str) -> Shipment:
        problems = Violations()
        for field, value in (
            ("order_id", order_id),
            ("warehouse_id", warehouse_id),
            ("carrier", carrier),
        ):
            if not value.strip():
                problems.add(field, "required")
        problems.raise_if_any()
        async with self.database.transaction() as session:
            held = (
                await session.execute(
                    select(reservations)
                    .where(
                        reservations.c.order_id == order_id,
                        reservations.c.warehouse_id == warehouse_id,
                    )
                    .where(reservations.c.status == "reserved")
                    .with_for_update()
                )
            ).all()
            if not held:
                raise FailedPrecondition(
                    f"nothing reserved for order {order_id} in warehouse {warehouse_id}"
                )
            shipment = Shipment(
                id=str(uuid.uuid4()),
                order_id=order_id,
                warehouse_id=warehouse_id,
                lines=[ShippedLine(r.line_id, r.product_id, r.quantity) for r in held],
                carrier=carrier.strip(),
                tracking_number=tracking.strip(),
                status="dispatched",
                created_at=datetime.now(UTC),
                created_by=current_principal().subject,
            )
            await session.execute(
                shipments.insert().values(
                    id=shipment.id,
                    order_id=order_id,
                    warehouse_id=warehouse_id,
                    carrier=shipment.carrier,
                    tracking_number=shipment.tracking_number,
                    status=shipment.status,
                    created_by=shipment.created_by,
                    created_at=shipment.created_at,
                )
            )
            level = stock_levels.c
            for row in held:
                await session.execute(
                    stock_levels.update()
                    .where(level.warehouse_id == warehouse_id, level.product_id == row.product_id)
                    .values(
                        on_hand=level.on_hand - row.quantity, reserved=level.reserved - row.quantity
                    )
                )
                await record_movement(
                    session,
                    warehouse_id,
                    row.product_id,
                    on_hand=-row.quantity,
                    reserved=-row.quantity,
                    kind="shipment",
                    reason=f"shipped with {shipment.carrier}",
                    reference=shipment.id,
                )
            await session.execute(
                shipment_lines.insert(),
                [
                    {
                        "shipment_id": shipment.id,
                        "line_id": line.line_id,
                        "product_id": line.product_id,
                        "quantity": line.quantity,
                    }
                    for line in shipment.lines
                ],
            )
            await session.execute(
                reservations.update()
                .where(reservations.c.id.in_([r.id for r in held]))
                .values(status="consumed")
            )
            dispatched = events.ShipmentDispatched(
                shipment_id=shipment.id,
                order_id=order_id,
                warehouse_id=warehouse_id,
                lines=[
                    events.ShippedLine(
                        line_id=x.line_id, product_id=x.product_id, quantity=x.quantity
                    )
                    for x in shipment.lines
                ],
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number,
            )
            await self.outbox.add(session, dispatched, key=order_id)
        return shipment

    async def shipments_of(self, order_id: str) -> list[Shipment]:
        async with self.database.transaction() as session:
            query = select(shipments).order_by(shipments.c.created_at)
            if order_id:
                query = query.where(shipments.c.order_id == order_id)
            heads = (await session.execute(query)).all()
            ids = [h.id for h in heads]
            lines: dict[str, list[ShippedLine]] = {}
            for row in await session.execute(
                select(shipment_lines).where(shipment_lines.c.shipment_id.in_(ids))
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
            )
            for h in heads
        ]
