"""Sales orders in PostgreSQL: rows to domain objects and back, with an optimistic version."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict
from sqlalchemy import Row, and_, exists, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from oms.types.v1.pricing_pb2 import PricedDocument
from orders.adapters.tables import (
    order_costs,
    order_history,
    order_returns,
    pipelines,
    sales_order_lines,
    sales_orders,
)
from orders.domain import pipeline as stages
from orders.domain.model import Line, ReturnRequest, SalesOrder, as_dict
from orders.domain.pipeline import Pipeline, from_definition, to_definition
from pricing.money import Money
from servicekit.context import causation_id, current_principal

OPEN_STAGES = (
    stages.REQUEST,
    stages.APPROVAL,
    stages.EXECUTION,
    stages.PARTIALLY_SHIPPED,
    stages.SHIPPED,
)


class ConcurrentUpdate(Exception):
    """Someone else changed the order since it was read."""


@dataclass(frozen=True)
class OrderQuery:
    """The order desk's filters; empty means any."""

    status: str = ""
    customer_id: str = ""
    salesperson: str = ""
    channel: str = ""
    order_type: str = ""
    category_id: str = ""
    created_from: datetime | None = None
    created_to: datetime | None = None


@dataclass(frozen=True)
class HistoryEntry:
    from_status: str | None
    to_status: str
    reason: str
    note: str
    actor: str
    caused_by: str | None
    at: datetime


def _order(head: Row[Any], lines: Sequence[Row[Any]]) -> SalesOrder:
    h = head._mapping
    currency = h["currency"]
    return SalesOrder(
        id=h["id"],
        customer_id=h["customer_id"],
        currency=currency,
        channel=h["channel"],
        lines=[
            Line(
                r.id,
                r.product_id,
                r.sku,
                r.quantity,
                Money(r.unit_price, currency).trimmed(),
                r.shipped_quantity,
                r.needed_by,
                r.unit_cost,
                r.category_id,
                r.reserved_quantity,
                r.backordered_quantity,
                r.returned_quantity,
            )
            for r in lines
        ],
        created_at=h["created_at"],
        created_by=h["created_by"],
        status=h["status"],
        status_reason=h["status_reason"],
        order_type=h["order_type"],
        salesperson=h["salesperson"],
        contract_number=h["contract_number"],
        payment_terms=h["payment_terms"],
        shipping_address=as_dict(h["shipping_address"]),
        stock_status=h["stock_status"],
        credit_hold=h["credit_hold"],
        estimated_cost=h["estimated_cost"],
        shipments=h["shipments"],
        invoices=h["invoices"],
        invoices_paid=h["invoices_paid"],
        invoiced_in_full=h["invoiced_in_full"],
        document=None if h["document"] is None else ParseDict(h["document"], PricedDocument()),
        quote_id=h["quote_id"] or "",
        version=h["version"],
        updated_at=h["updated_at"],
    )


def _head(order: SalesOrder) -> dict[str, Any]:
    return {
        "status": order.status,
        "status_reason": order.status_reason,
        "total": order.total.amount,
        "shipments": order.shipments,
        "invoices": order.invoices,
        "invoices_paid": order.invoices_paid,
        "invoiced_in_full": order.invoiced_in_full,
        "contract_number": order.contract_number,
        "payment_terms": order.payment_terms,
        "shipping_address": order.shipping_address,
        "stock_status": order.stock_status,
        "credit_hold": order.credit_hold,
        "estimated_cost": order.estimated_cost,
    }


def _line(order_id: str, position: int, line: Line) -> dict[str, Any]:
    return {
        "id": line.id,
        "order_id": order_id,
        "position": position,
        "product_id": line.product_id,
        "sku": line.sku,
        "quantity": line.quantity,
        "unit_price": line.unit_price.amount,
        "line_total": line.total.amount,
        "shipped_quantity": line.shipped,
        "needed_by": line.needed_by,
        "unit_cost": line.unit_cost,
        "category_id": line.category_id,
        "reserved_quantity": line.reserved,
        "backordered_quantity": line.backordered,
        "returned_quantity": line.returned,
    }


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Each order's lines as read, so saving writes only the lines that changed.
        self.read_lines: dict[str, dict[str, dict[str, Any]]] = {}

    async def add(self, order: SalesOrder) -> None:
        actor = current_principal().subject
        await self.session.execute(
            sales_orders.insert().values(
                id=order.id,
                customer_id=order.customer_id,
                currency=order.currency,
                channel=order.channel,
                order_type=order.order_type,
                salesperson=order.salesperson,
                document=None if order.document is None else MessageToDict(order.document),
                quote_id=order.quote_id or None,
                version=1,
                created_at=order.created_at,
                created_by=order.created_by,
                updated_at=order.created_at,
                updated_by=actor,
                **_head(order),
            )
        )
        if order.lines:  # an order of services only picks nothing
            await self.session.execute(
                sales_order_lines.insert(),
                [_line(order.id, i, line) for i, line in enumerate(order.lines)],
            )
        first = order.changes[0].from_status if order.changes else order.status
        await self._journal(order.id, None, first, "", "", order.created_at)
        await self._record(order, order.created_at)
        order.version = 1

    async def get(self, order_id: str, for_update: bool = False) -> SalesOrder | None:
        query = select(sales_orders).where(sales_orders.c.id == order_id)
        head = (
            await self.session.execute(query.with_for_update() if for_update else query)
        ).first()
        if head is None:
            return None
        lines = await self.session.execute(
            select(sales_order_lines)
            .where(sales_order_lines.c.order_id == order_id)
            .order_by(sales_order_lines.c.position)
        )
        order = _order(head, list(lines))
        self.read_lines[order.id] = {
            line.id: _line(order.id, i, line) for i, line in enumerate(order.lines)
        }
        return order

    async def save(self, order: SalesOrder) -> None:
        """Writes the order's new state and journals each change since it was read."""
        now = datetime.now(UTC)
        saved = await self.session.execute(
            sales_orders.update()
            .where(sales_orders.c.id == order.id, sales_orders.c.version == order.version)
            .values(
                version=order.version + 1,
                updated_at=now,
                updated_by=current_principal().subject,
                **_head(order),
            )
        )
        if saved.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentUpdate(order.id)
        before = self.read_lines.pop(order.id, None)
        kept = [line.id for line in order.lines]
        if before is None or set(before) != set(kept):
            await self.session.execute(
                sales_order_lines.delete().where(
                    sales_order_lines.c.order_id == order.id, sales_order_lines.c.id.not_in(kept)
                )
            )
        for position, line in enumerate(order.lines):
            values = _line(order.id, position, line)
            if before is not None and before.get(line.id) == values:
                continue  # most events touch no line: no statement for it
            await self.session.execute(
                sales_order_lines.update().where(sales_order_lines.c.id == line.id).values(values)
            )
        await self._record(order, now)
        order.version += 1

    async def _record(self, order: SalesOrder, at: datetime) -> None:
        for change in order.changes:
            await self._journal(
                order.id, change.from_status, change.to_status, change.reason, "", at
            )
        for note in order.notes:
            await self._journal(order.id, None, order.status, "", note, at)

    async def _journal(
        self,
        order_id: str,
        from_status: str | None,
        to: str,
        reason: str,
        note: str,
        at: datetime,
    ) -> None:
        await self.session.execute(
            order_history.insert().values(
                order_id=order_id,
                from_status=from_status,
                to_status=to,
                reason=reason,
                note=note,
                actor=current_principal().subject,
                caused_by=causation_id(),
                at=at,
            )
        )

    async def history(self, order_id: str) -> list[HistoryEntry]:
        rows = await self.session.execute(
            select(order_history)
            .where(order_history.c.order_id == order_id)
            .order_by(order_history.c.id)
        )
        return [
            HistoryEntry(r.from_status, r.to_status, r.reason, r.note, r.actor, r.caused_by, r.at)
            for r in rows
        ]

    def _filtered(self, query: OrderQuery) -> Any:
        conditions = []
        for column, wanted in (
            (sales_orders.c.status, query.status),
            (sales_orders.c.customer_id, query.customer_id),
            (sales_orders.c.salesperson, query.salesperson),
            (sales_orders.c.channel, query.channel),
            (sales_orders.c.order_type, query.order_type),
        ):
            if wanted:
                conditions.append(column == wanted)
        if query.category_id:
            conditions.append(
                exists().where(
                    sales_order_lines.c.order_id == sales_orders.c.id,
                    sales_order_lines.c.category_id == query.category_id,
                )
            )
        if query.created_from is not None:
            conditions.append(sales_orders.c.created_at >= query.created_from)
        if query.created_to is not None:
            conditions.append(sales_orders.c.created_at < query.created_to)
        return and_(True, *conditions)

    async def page(
        self, query: OrderQuery, after: tuple[datetime, str] | None, limit: int
    ) -> list[SalesOrder]:
        """Newest first; `after` is the (created_at, id) of the last order already seen."""
        statement = (
            select(sales_orders)
            .where(self._filtered(query))
            .order_by(sales_orders.c.created_at.desc(), sales_orders.c.id.desc())
        )
        if after is not None:
            statement = statement.where(
                tuple_(sales_orders.c.created_at, sales_orders.c.id) < after
            )
        heads = list(await self.session.execute(statement.limit(limit)))
        rows = await self.session.execute(
            select(sales_order_lines)
            .where(sales_order_lines.c.order_id.in_([h.id for h in heads]))
            .order_by(sales_order_lines.c.position)
        )
        by_order: dict[str, list[Row[Any]]] = {}
        for row in rows:
            by_order.setdefault(row.order_id, []).append(row)
        return [_order(h, by_order.get(h.id, [])) for h in heads]

    async def totals(self, query: OrderQuery) -> list[tuple[str, int, Decimal]]:
        """(currency, orders, sum of totals) of every order the query matches."""
        rows = await self.session.execute(
            select(sales_orders.c.currency, func.count(), func.sum(sales_orders.c.total))
            .where(self._filtered(query))
            .group_by(sales_orders.c.currency)
            .order_by(sales_orders.c.currency)
        )
        return [(r[0], int(r[1]), Decimal(r[2])) for r in rows]

    async def open_orders_total(self, customer_id: str, currency: str, besides: str) -> Money:
        """What the customer has on order and not yet invoiced, other than order `besides`."""
        total = await self.session.scalar(
            select(func.coalesce(func.sum(sales_orders.c.total), 0)).where(
                sales_orders.c.customer_id == customer_id,
                sales_orders.c.currency == currency,
                sales_orders.c.status.in_(OPEN_STAGES),
                sales_orders.c.id != besides,
            )
        )
        return Money(Decimal(total or 0), currency)

    async def open_for_forecast(self) -> list[tuple[Money, str, date]]:
        """(total, "order_type:stage", month) of every open order, for the sales forecast."""
        needed = (
            select(func.min(sales_order_lines.c.needed_by))
            .where(sales_order_lines.c.order_id == sales_orders.c.id)
            .scalar_subquery()
        )
        rows = await self.session.execute(
            select(
                sales_orders.c.total,
                sales_orders.c.currency,
                sales_orders.c.order_type,
                sales_orders.c.status,
                func.coalesce(needed, func.date(sales_orders.c.created_at)),
            ).where(sales_orders.c.status.in_(OPEN_STAGES))
        )
        return [(Money(r[0], r[1]), f"{r[2]}:{r[3]}", r[4]) for r in rows]

    # -- costs and returns ---------------------------------------------------------------------

    async def add_cost(
        self, order_id: str, kind: str, amount: Decimal, description: str, source: str | None
    ) -> bool:
        """Records a cost; False when `source` (a shipment) was recorded already."""
        added = await self.session.execute(
            insert(order_costs)
            .values(
                id=str(uuid.uuid4()),
                order_id=order_id,
                kind=kind,
                amount=amount,
                description=description,
                source=source,
                at=datetime.now(UTC),
                actor=current_principal().subject,
            )
            .on_conflict_do_nothing()
            .returning(order_costs.c.id)
        )
        return added.first() is not None

    async def costs(self, order_ids: Sequence[str]) -> dict[str, list[tuple[str, Decimal, str]]]:
        rows = await self.session.execute(
            select(order_costs)
            .where(order_costs.c.order_id.in_(list(order_ids)))
            .order_by(order_costs.c.at)
        )
        found: dict[str, list[tuple[str, Decimal, str]]] = {}
        for r in rows:
            found.setdefault(r.order_id, []).append((r.kind, r.amount, r.description))
        return found

    async def add_return(self, order_id: str, request: ReturnRequest) -> None:
        await self.session.execute(
            order_returns.insert().values(
                id=request.id,
                order_id=order_id,
                status="authorized",
                lines=request.lines,
                reason=request.reason,
                created_at=datetime.now(UTC),
                created_by=current_principal().subject,
            )
        )

    async def returned_or_authorised(self, order_id: str) -> dict[str, int]:
        """Per line, the units already under a return authorisation."""
        rows = await self.session.execute(
            select(order_returns.c.lines).where(order_returns.c.order_id == order_id)
        )
        found: dict[str, int] = {}
        for (lines,) in rows:
            for line_id, quantity in lines.items():
                found[line_id] = found.get(line_id, 0) + int(quantity)
        return found

    async def mark_return_received(self, return_id: str) -> bool:
        """False when the return was already marked received (a redelivered event)."""
        marked = await self.session.execute(
            order_returns.update()
            .where(order_returns.c.id == return_id, order_returns.c.status == "authorized")
            .values(status="received")
            .returning(order_returns.c.id)
        )
        return marked.first() is not None

    # -- pipelines -----------------------------------------------------------------------------

    async def pipeline(self, order_type: str) -> Pipeline:
        stored = await self.session.scalar(
            select(pipelines.c.definition).where(pipelines.c.order_type == order_type)
        )
        if stored is None:
            return stages.DEFAULTS.get(order_type, stages.STANDARD)
        return from_definition(order_type, stored)

    async def all_pipelines(self) -> dict[str, Pipeline]:
        found = dict(stages.DEFAULTS)
        for row in await self.session.execute(select(pipelines)):
            found[row.order_type] = from_definition(row.order_type, row.definition)
        return found

    async def save_pipeline(self, pipeline: Pipeline) -> None:
        values = {
            "definition": to_definition(pipeline),
            "updated_at": datetime.now(UTC),
            "updated_by": current_principal().subject,
        }
        await self.session.execute(
            insert(pipelines)
            .values(order_type=pipeline.order_type, **values)
            .on_conflict_do_update(index_elements=["order_type"], set_=values)
        )
