"""Invoices in PostgreSQL: the invoices and invoice_lines tables. Saving writes only what changed
since the invoice was read (its money and status, when it fell overdue, its lines' returns)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ARRAY, Select, String, any_, bindparam, select

from billing.adapters.tables import invoice_lines, invoices
from billing.domain.invoices import OPEN, PARTIALLY_PAID, Invoice, InvoiceLine
from billing.domain.taxes import (
    Buyer,
    line_taxes_from_json,
    line_taxes_json,
    totals_from_json,
    totals_json,
)
from pricing.money import Money
from servicekit.db import Columns, DriverStatement, Transaction


def _state(invoice: Invoice) -> tuple[Any, ...]:
    return (
        invoice.amount_paid,
        invoice.amount_credited,
        invoice.status,
        invoice.overdue_at,
        tuple((line.returned, line.credited_so_far) for line in invoice.lines),
    )


# Built once and sent on the driver: every invoice issued runs them.
_INSERT = DriverStatement(invoices.insert())
_LINES_INSERT = DriverStatement(invoice_lines.insert())
_BY_ID = select(invoices).where(invoices.c.id == bindparam("b_id"))
_BY_ID_READ = DriverStatement(_BY_ID)
_BY_ID_LOCKED = DriverStatement(_BY_ID.with_for_update())
_OF_SHIPMENT = DriverStatement(select(invoices).where(invoices.c.shipment_id == bindparam("b_id")))
_OF_ORDER_LOCKED = DriverStatement(
    select(invoices)
    .where(invoices.c.order_id == bindparam("b_id"))
    .order_by(invoices.c.number)
    .with_for_update()
)
_LOCK_OF_ORDER = DriverStatement(
    select(invoices.c.id)
    .where(invoices.c.order_id == bindparam("b_id"))
    .order_by(invoices.c.number)
    .with_for_update()
)
_LINES = DriverStatement(
    select(invoice_lines)
    .where(invoice_lines.c.invoice_id == any_(bindparam("b_ids", type_=ARRAY(String))))
    .order_by(invoice_lines.c.invoice_id, invoice_lines.c.position)
)


class SqlInvoices:
    def __init__(self, session: Transaction) -> None:
        self.session = session
        self._read: dict[str, tuple[Any, ...]] = {}

    async def add(self, invoice: Invoice) -> None:
        await _INSERT.execute(self.session, _head_row(invoice))
        await _LINES_INSERT.execute_many(
            self.session,
            [
                {
                    "invoice_id": invoice.id,
                    "position": position,
                    "order_line_id": x.order_line_id,
                    "product_id": x.product_id,
                    "sku": x.sku,
                    "quantity": x.quantity,
                    "unit_price": x.unit_price.amount,
                    "line_total": x.total.amount,
                    "taxes": line_taxes_json(x.taxes),
                }
                for position, x in enumerate(invoice.lines)
            ],
        )
        self._read[invoice.id] = _state(invoice)

    async def get(self, invoice_id: str, *, lock: bool = False) -> Invoice | None:
        found = await self._all(_BY_ID_LOCKED if lock else _BY_ID_READ, invoice_id)
        return found[0] if found else None

    async def of_shipment(self, shipment_id: str) -> Invoice | None:
        found = await self._all(_OF_SHIPMENT, shipment_id)
        return found[0] if found else None

    async def of_order(self, order_id: str) -> list[Invoice]:
        return await self._all(_OF_ORDER_LOCKED, order_id)

    async def lock_of_order(self, order_id: str) -> None:
        await _LOCK_OF_ORDER.fetch(self.session, {"b_id": order_id})

    async def locked(self, invoice_ids: Collection[str]) -> dict[str, Invoice]:
        query = select(invoices).where(invoices.c.id.in_(list(invoice_ids)))
        found = await self._all(query.order_by(invoices.c.number).with_for_update())
        return {invoice.id: invoice for invoice in found}

    async def open_of(self, customer_id: str, currency: str) -> dict[str, Invoice]:
        query = select(invoices).where(
            invoices.c.customer_id == customer_id,
            invoices.c.currency == currency,
            invoices.c.status.in_([OPEN, PARTIALLY_PAID]),
        )
        found = await self._all(query.order_by(invoices.c.number).with_for_update())
        return {invoice.id: invoice for invoice in found}

    async def falling_overdue(self, today: date, limit: int) -> list[Invoice]:
        query = (
            select(invoices)
            .where(
                invoices.c.overdue_at.is_(None),
                invoices.c.due_date < today,
                invoices.c.status.in_([OPEN, PARTIALLY_PAID]),
            )
            .order_by(invoices.c.due_date, invoices.c.number)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return await self._all(query)

    async def save(self, invoice: Invoice) -> None:
        before = self._read.get(invoice.id)
        after = _state(invoice)
        if before is None or before[:4] != after[:4]:
            await self.session.execute(
                invoices.update()
                .where(invoices.c.id == invoice.id)
                .values(
                    amount_paid=invoice.amount_paid.amount,
                    amount_credited=invoice.amount_credited.amount,
                    status=invoice.status,
                    overdue_at=invoice.overdue_at,
                )
            )
        lines_before = before[4] if before is not None else ()
        for i, line in enumerate(invoice.lines):
            if i < len(lines_before) and lines_before[i] == after[4][i]:
                continue
            await self.session.execute(
                invoice_lines.update()
                .where(
                    invoice_lines.c.invoice_id == invoice.id,
                    invoice_lines.c.order_line_id == line.order_line_id,
                )
                .values(returned=line.returned, credited=line.credited_so_far.amount)
            )
        self._read[invoice.id] = after

    async def page(self, order_id: str, before: str, limit: int) -> list[Invoice]:
        query = select(invoices).order_by(invoices.c.number.desc()).limit(limit)
        if order_id:
            query = query.where(invoices.c.order_id == order_id)
        if before:
            query = query.where(invoices.c.number < before)
        return await self._all(query)

    async def _all(self, query: Select[Any] | DriverStatement, key: str = "") -> list[Invoice]:
        """The invoices `query` selects; `key`: the `b_id` parameter of a statement built once."""
        heads: Sequence[Columns]
        if isinstance(query, DriverStatement):
            heads = await query.fetch(self.session, {"b_id": key})
        else:
            heads = [row._mapping for row in await self.session.execute(query)]
        lines = await self._lines(heads)
        found = [_invoice(head, lines.get(head["id"], [])) for head in heads]
        for invoice in found:
            self._read[invoice.id] = _state(invoice)
        return found

    async def _lines(self, heads: Sequence[Columns]) -> dict[str, list[InvoiceLine]]:
        if not heads:
            return {}
        currency = {h["id"]: h["currency"] for h in heads}
        rows = await _LINES.fetch(self.session, {"b_ids": list(currency)})
        lines: dict[str, list[InvoiceLine]] = {}
        for r in rows:
            money = currency[r["invoice_id"]]
            lines.setdefault(r["invoice_id"], []).append(
                InvoiceLine(
                    r["order_line_id"],
                    r["product_id"],
                    r["sku"],
                    int(r["quantity"]),
                    Money(r["unit_price"], money),
                    Money(r["line_total"], money),
                    int(r["returned"]),
                    Money(r["credited"], money),
                    line_taxes_from_json(r["taxes"], money),
                )
            )
        return lines


def _head_row(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "number": invoice.number,
        "order_id": invoice.order_id or None,
        "shipment_id": invoice.shipment_id or None,
        "quote_id": invoice.quote_id or None,
        "customer_id": invoice.customer_id,
        "currency": invoice.currency,
        "total": invoice.total.amount,
        "document": None if invoice.document is None else dict(invoice.document),
        "covers_order": invoice.covers_order,
        "status": invoice.status,
        "issued_at": invoice.issued_at,
        "created_by": invoice.created_by,
        "due_date": invoice.due_date,
        "amount_paid": invoice.amount_paid.amount,
        "amount_credited": invoice.amount_credited.amount,
        "overdue_at": invoice.overdue_at,
        "buyer": None if invoice.buyer is None else invoice.buyer.as_json(),
        "taxes": totals_json(invoice.taxes),
    }


def _invoice(head: Columns, lines: list[InvoiceLine]) -> Invoice:
    currency = head["currency"]
    return Invoice(
        head["id"],
        head["number"],
        head["customer_id"],
        Money(head["total"], currency),
        head["issued_at"],
        head["due_date"],
        head["created_by"],
        lines,
        Money(head["amount_paid"], currency),
        Money(head["amount_credited"], currency),
        head["status"],
        order_id=head["order_id"] or "",
        shipment_id=head["shipment_id"] or "",
        quote_id=head["quote_id"] or "",
        document=head["document"],
        overdue_at=head["overdue_at"],
        taxes=totals_from_json(head["taxes"], currency),
        buyer=Buyer.from_json(head["buyer"]),
    )
