"""Sales orders in PostgreSQL: rows to domain objects and back, with an optimistic version, and
their journal (who made each change, when, and what caused it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, or_, select, tuple_

from orders.adapters.tables import order_history, sales_order_lines, sales_orders, stalled_steps
from orders.application.ports import ConcurrentUpdate, HistoryEntry, OrderQuery, OrderTotals
from orders.domain import pipeline as stages
from orders.domain.events import SalesOrderEvent
from orders.domain.forecast import OpenOrder
from orders.domain.journal import journal_of
from orders.domain.lines import Line
from orders.domain.sales_order import SalesOrder
from orders.domain.stalled import STALLED
from pricing.document import PricedDocument
from pricing.money import Money
from pricing.wire import document_from_json, document_from_stored, document_to_json
from servicekit.context import causation_id, current_principal
from servicekit.db import (
    Columns,
    DriverStatement,
    GatheredRows,
    Transaction,
    driver,
    quoted,
    rows_of,
    select_every_column,
)
from servicekit.sales_reach import Reach

# Orders not yet invoiced: what credit control counts as on order, and the forecast weighs.
OPEN_STAGES = (
    stages.REQUEST,
    stages.APPROVAL,
    stages.EXECUTION,
    stages.PARTIALLY_SHIPPED,
    stages.SHIPPED,
)


def _address(value: Any) -> dict[str, str] | None:
    return None if value is None else {str(k): str(v) for k, v in dict(value).items()}


def _order(
    h: Columns, lines: Sequence[Columns], read: Callable[[Any], PricedDocument] = document_from_json
) -> SalesOrder:
    """The order from its head and lines, by column name (SQLAlchemy's row mappings or the
    driver's records), its document read by `read` (from JSON, or from its stored text)."""
    currency = h["currency"]
    document = h["document"]
    return SalesOrder(
        id=h["id"],
        customer_id=h["customer_id"],
        currency=currency,
        channel=h["channel"],
        lines=[
            Line(
                r["id"],
                r["product_id"],
                r["sku"],
                r["quantity"],
                Money(r["unit_price"], currency).trimmed(),
                r["shipped_quantity"],
                r["needed_by"],
                r["unit_cost"],
                r["category_id"],
                r["reserved_quantity"],
                r["backordered_quantity"],
                r["returned_quantity"],
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
        shipping_address=_address(h["shipping_address"]),
        stock_status=h["stock_status"],
        credit_hold=h["credit_hold"],
        estimated_cost=h["estimated_cost"],
        shipments=h["shipments"],
        invoices=h["invoices"],
        invoices_paid=h["invoices_paid"],
        invoiced_in_full=h["invoiced_in_full"],
        document=None if document is None else read(document),
        quote_id=h["quote_id"] or "",
        external_reference=h["external_reference"],
        review_note=h["review_note"],
        team=h["team"],
        version=h["version"],
        updated_at=h["updated_at"],
    )


def _head(order: SalesOrder, document: bool = True) -> dict[str, Any]:
    """The head's changing columns; `document` False: all but the document."""
    head = {
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
    if document:  # a direct order's document is repriced when its quantities change
        head["document"] = None if order.document is None else document_to_json(order.document)
    return head


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


def _filtered(query: OrderQuery) -> Any:
    conditions: list[Any] = []
    if query.status == STALLED:  # not a stage: the orders with a saga step stalled
        steps = stalled_steps.c
        stuck = exists().where(steps.order_id == sales_orders.c.id, steps.status == STALLED)
        conditions.append(stuck)
    for column, wanted in (
        (sales_orders.c.status, "" if query.status == STALLED else query.status),
        (sales_orders.c.customer_id, query.customer_id),
        (sales_orders.c.id, query.order_id),
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
    reach = query.reach
    if not reach.everything:
        mine = sales_orders.c.salesperson == reach.salesperson
        conditions.append(or_(mine, sales_orders.c.team == reach.team) if reach.team else mine)
    return and_(True, *conditions)


# An order's head and lines, and its journal entries, are read and written by every event of
# the saga: built once and sent on the driver (servicekit.db), without SQLAlchemy's work per
# execution. The UPDATEs set the columns their parameters name; the WHERE parameters are
# prefixed `b_` apart from them.
_ORDER_INSERT = DriverStatement(sales_orders.insert())
_LINES_INSERT = DriverStatement(sales_order_lines.insert())
# The document as its stored text, parsed once per text (pricing.wire.document_from_stored).
_ORDER_READ = select_every_column(
    sales_orders,
    "WHERE id = $1",
    also=(rows_of(sales_order_lines, "order_id = $1 ORDER BY position", "lines"),),
    texts=("document",),
)
_ORDER_LOCKED = _ORDER_READ + " FOR UPDATE"
# The journal is gathered and sent as the transaction commits (servicekit.db.GatheredRows).
_JOURNAL = GatheredRows(
    f"INSERT INTO {quoted(order_history)}"
    " (order_id, from_status, to_status, reason, note, actor, caused_by, at)"
    " SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::text[],"
    " $5::text[], $6::varchar[], $7::varchar[], $8::timestamptz[])",
    8,
)
_ORDER_UPDATE = DriverStatement(
    sales_orders.update().where(
        sales_orders.c.id == bindparam("b_id"), sales_orders.c.version == bindparam("b_version")
    )
)
_LINE_UPDATE = DriverStatement(
    sales_order_lines.update().where(sales_order_lines.c.id == bindparam("b_id"))
)


class SqlSalesOrders:
    def __init__(self, session: Transaction) -> None:
        self.session = session
        # Each order's lines as read, so saving writes only the lines that changed.
        self.read_lines: dict[str, dict[str, dict[str, Any]]] = {}
        # Each order's document as read or saved (immutable: the same object is unchanged), so
        # saving writes it only when it was replaced.
        self.read_documents: dict[str, PricedDocument | None] = {}

    async def add(self, order: SalesOrder, events: Sequence[SalesOrderEvent]) -> None:
        await _ORDER_INSERT.execute(
            self.session,
            {
                "id": order.id,
                "customer_id": order.customer_id,
                "currency": order.currency,
                "channel": order.channel,
                "order_type": order.order_type,
                "salesperson": order.salesperson,
                "quote_id": order.quote_id or None,
                "external_reference": order.external_reference,
                "review_note": order.review_note,
                "team": order.team,
                "version": 1,
                "created_at": order.created_at,
                "created_by": order.created_by,
                "updated_at": order.created_at,
                "updated_by": current_principal().subject,
                **_head(order),
            },
        )
        if order.lines:  # an order of services only picks nothing
            await _LINES_INSERT.execute_many(
                self.session, [_line(order.id, i, line) for i, line in enumerate(order.lines)]
            )
        self._journal(order, events, order.created_at)
        order.version = 1

    async def get(self, order_id: str, for_update: bool = False) -> SalesOrder | None:
        connection = await driver(self.session)
        head = await connection.fetchrow(_ORDER_LOCKED if for_update else _ORDER_READ, order_id)
        if head is None:
            return None
        order = _order(head, head["lines"], document_from_stored)
        self.read_lines[order.id] = {
            line.id: _line(order.id, i, line) for i, line in enumerate(order.lines)
        }
        self.read_documents[order.id] = order.document
        return order

    async def save(self, order: SalesOrder, events: Sequence[SalesOrderEvent]) -> None:
        """Writes the order's new state and journals what its transitions returned."""
        now = datetime.now(UTC)
        replaced = order.id not in self.read_documents or (
            order.document is not self.read_documents[order.id]
        )
        saved = await _ORDER_UPDATE.execute(
            self.session,
            {
                "b_id": order.id,
                "b_version": order.version,
                "version": order.version + 1,
                "updated_at": now,
                "updated_by": current_principal().subject,
                **_head(order, document=replaced),
            },
        )
        if saved != 1:
            raise ConcurrentUpdate(order.id)
        self.read_documents[order.id] = order.document
        await self._save_lines(order)
        self._journal(order, events, now)
        order.version += 1

    async def _save_lines(self, order: SalesOrder) -> None:
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
            await _LINE_UPDATE.execute(self.session, {"b_id": line.id, **values})

    def _journal(self, order: SalesOrder, events: Sequence[SalesOrderEvent], at: datetime) -> None:
        entries = journal_of(order.status, events)
        if not entries:
            return
        n = len(entries)
        self.session.gather(
            _JOURNAL,
            [
                [order.id] * n,
                [e.from_status for e in entries],
                [e.to_status for e in entries],
                [e.reason for e in entries],
                [e.note for e in entries],
                [current_principal().subject] * n,
                [causation_id()] * n,
                [at] * n,
            ],
        )

    async def history(self, order_id: str, after: int, limit: int) -> list[HistoryEntry]:
        rows = await self.session.execute(
            select(order_history)
            .where(order_history.c.order_id == order_id, order_history.c.id > after)
            .order_by(order_history.c.id)
            .limit(limit)
        )
        return [
            HistoryEntry(
                r.id, r.from_status, r.to_status, r.reason, r.note, r.actor, r.caused_by, r.at
            )
            for r in rows
        ]

    async def page(
        self, query: OrderQuery, after: tuple[datetime, str] | None, limit: int
    ) -> list[SalesOrder]:
        statement = (
            select(sales_orders)
            .where(_filtered(query))
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
        by_order: dict[str, list[Columns]] = {}
        for row in rows:
            by_order.setdefault(row.order_id, []).append(row._mapping)
        return [_order(h._mapping, by_order.get(h.id, [])) for h in heads]

    async def totals(self, query: OrderQuery) -> list[OrderTotals]:
        rows = await self.session.execute(
            select(sales_orders.c.currency, func.count(), func.sum(sales_orders.c.total))
            .where(_filtered(query))
            .group_by(sales_orders.c.currency)
            .order_by(sales_orders.c.currency)
        )
        return [OrderTotals(r[0], int(r[1]), Decimal(r[2])) for r in rows]

    async def open_orders(self, customer_id: str, besides: str) -> tuple[Money, ...]:
        rows = await self.session.execute(
            select(sales_orders.c.currency, func.sum(sales_orders.c.total))
            .where(
                sales_orders.c.customer_id == customer_id,
                sales_orders.c.status.in_(OPEN_STAGES),
                sales_orders.c.id != besides,
            )
            .group_by(sales_orders.c.currency)
            .order_by(sales_orders.c.currency)
        )
        return tuple(Money(Decimal(total), currency) for currency, total in rows)

    async def open_for_forecast(self, reach: Reach) -> list[OpenOrder]:
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
            ).where(
                sales_orders.c.status.in_(OPEN_STAGES),
                _filtered(OrderQuery(reach=reach)),
            )
        )
        return [OpenOrder(Money(r[0], r[1]), r[2], r[3], r[4]) for r in rows]
