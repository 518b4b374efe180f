"""Shipping what an order holds in a warehouse (all of it or the lines named), a shipment's
journey, and goods coming back from an authorised return."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.repository import InventoryStore
from inventory.adapters.tables import return_lines, returns, shipment_lines, shipments
from inventory.application.ledger import StockBook
from inventory.domain.ledger import next_shipment_status
from inventory.domain.model import check_shipment
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2 as events
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound, Violations


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


@dataclass(frozen=True)
class Return:
    return_id: str
    order_id: str
    warehouse_id: str
    lines: list[ShippedLine]
    status: str
    received_at: datetime | None
    received_by: str


class Shipments:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def ship(
        self,
        order_id: str,
        warehouse_id: str,
        carrier: str,
        tracking: str,
        lines: Sequence[tuple[str, int]] = (),
    ) -> Shipment:
        """Ships from `warehouse_id` what the order holds there: everything, or `lines`
        (line id, units), each at most what that line holds there."""
        check_shipment(order_id, warehouse_id, carrier, lines)
        async with self.database.transaction() as session:
            store = InventoryStore(session)
            here = await store.ledger(order_id, warehouse_id=warehouse_id)
            await store.lock_products(r.product_id for r in here)
            held = {
                r.line_id: r
                for r in await store.ledger(order_id, warehouse_id=warehouse_id, for_update=True)
                if r.reserved > 0
            }
            if not held:
                raise FailedPrecondition(
                    f"nothing reserved for order {order_id} in warehouse {warehouse_id}"
                )
            if lines:
                problems = Violations()
                for i, (line_id, quantity) in enumerate(lines):
                    if line_id not in held:
                        problems.add(f"lines[{i}].line_id", "has nothing reserved there")
                    elif quantity > held[line_id].reserved:
                        problems.add(
                            f"lines[{i}].quantity",
                            f"at most {held[line_id].reserved} reserved there",
                        )
                if problems.items:
                    raise FailedPrecondition(
                        "; ".join(f"{v.field}: {v.description}" for v in problems.items),
                        tuple(problems.items),
                    )
                picked = [
                    ShippedLine(line_id, held[line_id].product_id, quantity)
                    for line_id, quantity in lines
                ]
            else:
                picked = [
                    ShippedLine(r.line_id, r.product_id, int(r.reserved)) for r in held.values()
                ]
            now = datetime.now(UTC)
            shipment = Shipment(
                id=str(uuid.uuid4()),
                order_id=order_id,
                warehouse_id=warehouse_id,
                lines=picked,
                carrier=carrier.strip(),
                tracking_number=tracking.strip(),
                status="dispatched",
                created_at=now,
                created_by=current_principal().subject,
                updated_at=now,
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
                    updated_at=now,
                )
            )
            book = StockBook(store, self.outbox)
            for line in picked:
                await book.consume(
                    order_id,
                    line.line_id,
                    line.product_id,
                    warehouse_id,
                    line.quantity,
                    f"shipped with {shipment.carrier}",
                    shipment.id,
                )
            await session.execute(
                shipment_lines.insert(),
                [
                    {
                        "shipment_id": shipment.id,
                        "line_id": x.line_id,
                        "product_id": x.product_id,
                        "quantity": x.quantity,
                    }
                    for x in picked
                ],
            )
            dispatched = events.ShipmentDispatched(
                shipment_id=shipment.id,
                order_id=order_id,
                warehouse_id=warehouse_id,
                lines=[
                    events.ShippedLine(
                        line_id=x.line_id, product_id=x.product_id, quantity=x.quantity
                    )
                    for x in picked
                ],
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number,
            )
            await self.outbox.add(session, dispatched, key=order_id)
            await book.settle()
        return shipment

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
            return (await self._shipments(session, shipment_id=shipment_id))[0]

    async def shipments_of(self, order_id: str) -> list[Shipment]:
        async with self.database.transaction() as session:
            return await self._shipments(session, order_id=order_id)

    async def _shipments(
        self, session: AsyncSession, order_id: str = "", shipment_id: str = ""
    ) -> list[Shipment]:
        query = select(shipments).order_by(shipments.c.created_at)
        if order_id:
            query = query.where(shipments.c.order_id == order_id)
        if shipment_id:
            query = query.where(shipments.c.id == shipment_id)
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
                h.updated_at,
            )
            for h in heads
        ]

    async def receive_return(self, return_id: str, warehouse_id: str) -> Return:
        """Puts an authorised return's goods back on hand, once."""
        problems = Violations()
        if not return_id:
            problems.add("return_id", "required")
        if not warehouse_id:
            problems.add("warehouse_id", "required")
        problems.raise_if_any()
        async with self.database.transaction() as session:
            store = InventoryStore(session)
            if await store.missing_warehouses([warehouse_id]):
                raise NotFound(f"warehouse {warehouse_id} not found")
            head = (
                await session.execute(
                    select(returns).where(returns.c.return_id == return_id).with_for_update()
                )
            ).first()
            if head is None:
                raise NotFound(f"return {return_id} was not authorised")
            if head.status == "received":
                raise FailedPrecondition(
                    f"return {return_id} was received already, in warehouse {head.warehouse_id}"
                )
            lines = await self._return_lines(session, return_id)
            await store.lock_products(x.product_id for x in lines)
            book = StockBook(store, self.outbox)
            for line in lines:
                await book.put(
                    warehouse_id,
                    line.product_id,
                    line.quantity,
                    kind="return",
                    reason=f"returned with {return_id}",
                    reference=head.order_id,
                )
            now, who = datetime.now(UTC), current_principal().subject
            await session.execute(
                returns.update()
                .where(returns.c.return_id == return_id)
                .values(
                    status="received", warehouse_id=warehouse_id, received_at=now, received_by=who
                )
            )
            received = events.ReturnReceived(
                return_id=return_id,
                order_id=head.order_id,
                warehouse_id=warehouse_id,
                lines=[
                    events.ShippedLine(
                        line_id=x.line_id, product_id=x.product_id, quantity=x.quantity
                    )
                    for x in lines
                ],
            )
            await self.outbox.add(session, received, key=head.order_id)
            await book.settle()
            return Return(return_id, head.order_id, warehouse_id, lines, "received", now, who)

    async def _return_lines(self, session: AsyncSession, return_id: str) -> list[ShippedLine]:
        rows = await session.execute(
            select(return_lines)
            .where(return_lines.c.return_id == return_id)
            .order_by(return_lines.c.position)
        )
        return [ShippedLine(r.line_id, r.product_id, r.quantity) for r in rows]
