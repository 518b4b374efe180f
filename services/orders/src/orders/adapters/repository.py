"""Sales orders in PostgreSQL: rows to domain objects and back, with an optimistic version."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.json_format import MessageToDict, ParseDict
from sqlalchemy import Row, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from oms.types.v1.pricing_pb2 import PricedDocument
from orders.adapters.tables import order_history, sales_order_lines, sales_orders
from orders.domain.model import Line, SalesOrder, Status
from pricing.money import Money
from servicekit.context import causation_id, current_principal


class ConcurrentUpdate(Exception):
    """Someone else changed the order since it was read."""


def _order(head: Row[tuple[object, ...]], lines: list[Row[tuple[object, ...]]]) -> SalesOrder:
    h = head._mapping
    return SalesOrder(
        id=h["id"],
        customer_id=h["customer_id"],
        currency=h["currency"],
        channel=h["channel"],
        lines=[
            Line(
                r.id,
                r.product_id,
                r.sku,
                r.quantity,
                Money(r.unit_price, h["currency"]).trimmed(),
                r.shipped_quantity,
            )
            for r in lines
        ],
        created_at=h["created_at"],
        created_by=h["created_by"],
        status=Status(h["status"]),
        status_reason=h["status_reason"],
        shipments=h["shipments"],
        invoices=h["invoices"],
        invoiced_in_full=h["invoiced_in_full"],
        document=None if h["document"] is None else ParseDict(h["document"], PricedDocument()),
        quote_id=h["quote_id"] or "",
        version=h["version"],
        updated_at=h["updated_at"],
    )


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, order: SalesOrder) -> None:
        actor = current_principal().subject
        await self.session.execute(
            sales_orders.insert().values(
                id=order.id,
                customer_id=order.customer_id,
                status=order.status,
                status_reason=order.status_reason,
                currency=order.currency,
                channel=order.channel,
                total=order.total.amount,
                document=None if order.document is None else MessageToDict(order.document),
                quote_id=order.quote_id or None,
                version=1,
                created_at=order.created_at,
                created_by=order.created_by,
                updated_at=order.created_at,
                updated_by=actor,
            )
        )
        if not order.lines:  # an order of services only picks nothing
            await self._journal(order.id, None, order.status, "", order.created_at)
            return
        await self.session.execute(
            sales_order_lines.insert(),
            [
                {
                    "id": line.id,
                    "order_id": order.id,
                    "position": i,
                    "product_id": line.product_id,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price.amount,
                    "line_total": line.total.amount,
                }
                for i, line in enumerate(order.lines)
            ],
        )
        await self._journal(order.id, None, order.status, "", order.created_at)

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
        return _order(head, list(lines))

    async def save(self, order: SalesOrder) -> None:
        """Writes the order's new state and journals each change since it was read."""
        now = datetime.now(UTC)
        saved = await self.session.execute(
            sales_orders.update()
            .where(sales_orders.c.id == order.id, sales_orders.c.version == order.version)
            .values(
                status=order.status,
                status_reason=order.status_reason,
                shipments=order.shipments,
                invoices=order.invoices,
                invoiced_in_full=order.invoiced_in_full,
                version=order.version + 1,
                updated_at=now,
                updated_by=current_principal().subject,
            )
        )
        if saved.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentUpdate(order.id)
        for line in order.lines:
            await self.session.execute(
                sales_order_lines.update()
                .where(sales_order_lines.c.id == line.id)
                .values(shipped_quantity=line.shipped)
            )
        for change in order.changes:
            await self._journal(order.id, change.from_status, change.to_status, change.reason, now)

    async def _journal(
        self, order_id: str, from_status: Status | None, to: Status, reason: str, at: datetime
    ) -> None:
        await self.session.execute(
            order_history.insert().values(
                order_id=order_id,
                from_status=from_status,
                to_status=to,
                reason=reason,
                actor=current_principal().subject,
                caused_by=causation_id(),
                at=at,
            )
        )

    async def page(
        self, status: str, customer_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[SalesOrder]:
        """Newest first; `after` is the (created_at, id) of the last order already seen."""
        query = select(sales_orders).order_by(
            sales_orders.c.created_at.desc(), sales_orders.c.id.desc()
        )
        if status:
            query = query.where(sales_orders.c.status == status)
        if customer_id:
            query = query.where(sales_orders.c.customer_id == customer_id)
        if after is not None:
            query = query.where(tuple_(sales_orders.c.created_at, sales_orders.c.id) < after)
        heads = list(await self.session.execute(query.limit(limit)))
        rows = await self.session.execute(
            select(sales_order_lines)
            .where(sales_order_lines.c.order_id.in_([h.id for h in heads]))
            .order_by(sales_order_lines.c.position)
        )
        by_order: dict[str, list[Row[tuple[object, ...]]]] = {}
        for row in rows:
            by_order.setdefault(row.order_id, []).append(row)
        return [_order(h, by_order.get(h.id, [])) for h in heads]
