"""Invoices as callers see them: with their lines and what was paid and credited on them,
newest (highest number) first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from google.protobuf.json_format import ParseDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import invoice_lines, invoices
from billing.domain.model import InvoiceLine
from oms.types.v1.pricing_pb2 import PricedDocument
from pricing.money import Money


@dataclass(frozen=True)
class Invoice:
    id: str
    number: str
    order_id: str
    shipment_id: str
    customer_id: str
    lines: list[InvoiceLine]
    total: Money
    status: str
    issued_at: datetime
    quote_id: str = ""
    document: PricedDocument | None = None
    due_date: date | None = None
    amount_paid: Money | None = None
    amount_credited: Money | None = None

    @property
    def balance(self) -> Money:
        zero = self.total.times(0)
        return (self.total - (self.amount_paid or zero) - (self.amount_credited or zero)).rounded()


async def find_invoices(
    session: AsyncSession,
    order_id: str = "",
    invoice_id: str = "",
    *,
    before: str = "",
    limit: int | None = None,
) -> list[Invoice]:
    """Newest (highest number) first; `before` is the number of the last one already seen."""
    query = select(invoices).order_by(invoices.c.number.desc()).limit(limit)
    if order_id:
        query = query.where(invoices.c.order_id == order_id)
    if invoice_id:
        query = query.where(invoices.c.id == invoice_id)
    if before:
        query = query.where(invoices.c.number < before)
    heads = (await session.execute(query)).all()
    rows = await session.execute(
        select(invoice_lines)
        .where(invoice_lines.c.invoice_id.in_([h.id for h in heads]))
        .order_by(invoice_lines.c.invoice_id, invoice_lines.c.position)
    )
    lines: dict[str, list[InvoiceLine]] = {}
    currency = {h.id: h.currency for h in heads}
    for r in rows:
        lines.setdefault(r.invoice_id, []).append(
            InvoiceLine(
                r.order_line_id,
                r.product_id,
                r.sku,
                r.quantity,
                Money(r.unit_price, currency[r.invoice_id]).trimmed(),
                Money(r.line_total, currency[r.invoice_id]).trimmed(),
            )
        )
    return [
        Invoice(
            h.id,
            h.number,
            h.order_id or "",
            h.shipment_id or "",
            h.customer_id,
            lines.get(h.id, []),
            Money(h.total, h.currency).trimmed(),
            h.status,
            h.issued_at,
            h.quote_id or "",
            None if h.document is None else ParseDict(h.document, PricedDocument()),
            h.due_date,
            Money(h.amount_paid, h.currency).trimmed(),
            Money(h.amount_credited, h.currency).trimmed(),
        )
        for h in heads
    ]
