"""Credit notes: issuing one (a gap-free number, its row and lines, CreditNoteIssued, its entry in
the change log, and what it does to the invoice, the customer's credit and balance), credit notes
issued by hand (adjustments), and reading them back, newest first in pages.

Cancelled orders and returned goods issue theirs through `issue_against` (billing.application.
credits); locks are taken in the order billing.application.payments gives.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import credit_note_lines, credit_note_sequences, credit_notes, invoices
from billing.application.accounts import move_balance, move_credit, next_number
from billing.application.allocation import account_of
from billing.application.fields import money_in
from billing.application.records import ISSUE_CREDIT_NOTE, Retry, audit, claim, complete
from billing.domain.receivables import check_amount
from billing.domain.settlement import ADJUSTMENT, CANCELLED, PAID, CreditLine, credit_note_number
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2 as events
from oms.types.v1 import types_pb2
from pricing.money import Money
from pricing.wire import money_to_proto
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import NotFound, Violations
from servicekit.paging import page_after, page_limit, page_token

MAX_MEMO = 500
# In a customer's credit history: the unapplied part of a credit note.
FROM_CREDIT_NOTE = "credit_note"


@dataclass(frozen=True)
class CreditNote:
    id: str
    number: str
    invoice_id: str
    invoice_number: str
    order_id: str
    customer_id: str
    lines: list[CreditLine]
    total: Money
    unapplied: Money
    reason: str
    return_id: str
    issued_at: datetime
    memo: str = ""


@dataclass(frozen=True)
class Issued:
    """What a credit note says when it is issued."""

    customer_id: str
    total: Money
    unapplied: Money
    reason: str
    invoice_id: str | None = None
    order_id: str | None = None
    return_id: str = ""
    memo: str = ""

    def facts(self) -> dict[str, str]:
        """What the change log keeps of it."""
        return {
            "customer_id": self.customer_id,
            "invoice_id": self.invoice_id or "",
            "total": str(self.total),
            "unapplied": str(self.unapplied),
            "reason": self.reason,
            "return_id": self.return_id,
            "memo": self.memo,
        }


async def credited(session: AsyncSession, invoice_id: str) -> Decimal:
    """What credit notes credited against the invoice so far, applied or not."""
    total = await session.execute(
        select(func.coalesce(func.sum(credit_notes.c.total), 0)).where(
            credit_notes.c.invoice_id == invoice_id
        )
    )
    return Decimal(total.scalar_one())


async def issue_against(
    session: AsyncSession,
    outbox: Outbox,
    head: Row[Any],
    lines: Sequence[CreditLine],
    total: Money,
    reason: str,
    return_id: str = "",
    memo: str = "",
) -> str:
    """A credit note against the (locked) invoice: the part its balance can take is applied to
    it, the rest becomes the customer's credit."""
    before = account_of(head)
    after, unapplied = before.credit(total, cancelled=reason == CANCELLED)
    note = Issued(
        head.customer_id, total, unapplied, reason, head.id, head.order_id, return_id, memo
    )
    credit_note_id = await insert_credit_note(session, outbox, note)
    if lines:
        await session.execute(
            credit_note_lines.insert(),
            [
                {
                    "credit_note_id": credit_note_id,
                    "position": position,
                    "order_line_id": x.order_line_id,
                    "product_id": x.product_id,
                    "sku": x.sku,
                    "quantity": x.quantity,
                    "unit_price": x.unit_price.amount,
                    "line_total": x.amount.amount,
                }
                for position, x in enumerate(lines)
            ],
        )
    await session.execute(
        invoices.update()
        .where(invoices.c.id == head.id)
        .values(amount_credited=after.credited.amount, status=after.status)
    )
    if after.status == PAID and before.status != PAID:
        await outbox.add(
            session,
            events.InvoicePaid(
                invoice_id=head.id, order_id=head.order_id or "", customer_id=head.customer_id
            ),
            key=head.order_id or head.id,
        )
    if unapplied.amount > 0:
        await move_credit(
            session, head.customer_id, unapplied.rounded(), FROM_CREDIT_NOTE, credit_note_id
        )
    await move_balance(session, outbox, head.customer_id, (unapplied - total))
    return credit_note_id


async def insert_credit_note(session: AsyncSession, outbox: Outbox, note: Issued) -> str:
    """The credit note's next gap-free number, its row, CreditNoteIssued and its change log
    entry (the actor: whoever issued it, or the event's actor for a cancellation or return)."""
    issued_at = datetime.now(UTC)
    number = credit_note_number(
        issued_at.year, await next_number(session, issued_at.year, credit_note_sequences)
    )
    credit_note_id = str(uuid.uuid4())
    await session.execute(
        credit_notes.insert().values(
            id=credit_note_id,
            number=number,
            invoice_id=note.invoice_id,
            order_id=note.order_id,
            customer_id=note.customer_id,
            currency=note.total.currency,
            total=note.total.amount,
            unapplied=note.unapplied.amount,
            reason=note.reason,
            return_id=note.return_id or None,
            issued_at=issued_at,
            created_by=current_principal().subject,
            memo=note.memo,
        )
    )
    await outbox.add(
        session,
        events.CreditNoteIssued(
            credit_note_id=credit_note_id,
            number=number,
            invoice_id=note.invoice_id or "",
            order_id=note.order_id or "",
            customer_id=note.customer_id,
            total=money_to_proto(note.total),
            reason=note.reason,
            return_id=note.return_id,
        ),
        key=note.order_id or note.invoice_id or note.customer_id,
    )
    await audit.record(
        session, "credit_note", credit_note_id, "issued", after=note.facts() | {"number": number}
    )
    return credit_note_id


class CreditNotes:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def issue_adjustment(
        self, invoice_id: str, customer_id: str, amount: types_pb2.Money, memo: str, retry: Retry
    ) -> CreditNote:
        """A credit note for part of an invoice (at most what no credit note credited yet), or
        a free amount for a customer, which becomes the customer's credit. Reason "adjustment".
        """
        problems = Violations()
        money = money_in(problems, "amount", amount)
        if money is not None:
            check_amount(problems, "amount", money)
        if not memo.strip() or len(memo) > MAX_MEMO:
            problems.add("memo", f"required, at most {MAX_MEMO} characters")
        if not invoice_id and (not customer_id.strip() or len(customer_id) > 100):
            problems.add("customer_id", "required (at most 100 characters) without an invoice_id")
        if not invoice_id or money is None:
            problems.raise_if_any()
        assert money is not None
        money = money.rounded()
        async with self.database.transaction() as session:
            done = await claim(session, ISSUE_CREDIT_NOTE, retry)
            if done is not None:
                return await credit_note_in(session, done)
            if invoice_id:
                credit_note_id = await self._against_invoice(
                    session, problems, invoice_id, customer_id, money, memo.strip()
                )
            else:
                note = Issued(customer_id, money, money, ADJUSTMENT, memo=memo.strip())
                credit_note_id = await insert_credit_note(session, self.outbox, note)
                await move_credit(session, customer_id, money, FROM_CREDIT_NOTE, credit_note_id)
            await complete(session, ISSUE_CREDIT_NOTE, retry, credit_note_id)
            return await credit_note_in(session, credit_note_id)

    async def _against_invoice(
        self,
        session: AsyncSession,
        problems: Violations,
        invoice_id: str,
        customer_id: str,
        money: Money,
        memo: str,
    ) -> str:
        """Part of the (locked) invoice credited; refused with every field at fault so far."""
        head = (
            await session.execute(
                select(invoices).where(invoices.c.id == invoice_id).with_for_update()
            )
        ).first()
        if head is None:
            problems.add("invoice_id", f"no invoice {invoice_id}")
            problems.raise_if_any()
        assert head is not None
        if customer_id and customer_id != head.customer_id:
            problems.add("customer_id", f"invoice {head.number} is {head.customer_id}'s")
        if money.currency != head.currency:
            problems.add("amount.currency", f"must be the invoice's currency, {head.currency}")
        elif not problems.items:
            left = Money(head.total - await credited(session, head.id), head.currency)
            if money.amount > left.amount:
                problems.add(
                    "amount",
                    f"exceeds what no credit note credited yet of the invoice, {left.rounded()}",
                )
        problems.raise_if_any()
        return await issue_against(session, self.outbox, head, [], money, ADJUSTMENT, memo=memo)

    # Queries ------------------------------------------------------------------------------

    async def page(
        self, order_id: str, customer_id: str, page_size: int, token: str
    ) -> tuple[list[CreditNote], str]:
        """Newest (highest number) first."""
        limit = page_limit(page_size)
        after = page_after(token, 1)
        async with self.database.transaction() as session:
            found = await find_credit_notes(
                session, order_id, customer_id, before=after[0] if after else "", limit=limit + 1
            )
        if len(found) > limit:
            return found[:limit], page_token(found[limit - 1].number)
        return found, ""

    async def get(self, credit_note_id: str) -> CreditNote:
        async with self.database.transaction() as session:
            return await credit_note_in(session, credit_note_id)


async def credit_note_in(session: AsyncSession, credit_note_id: str) -> CreditNote:
    found = await find_credit_notes(session, credit_note_id=credit_note_id)
    if not found:
        raise NotFound(f"credit note {credit_note_id} not found")
    return found[0]


async def find_credit_notes(
    session: AsyncSession,
    order_id: str = "",
    customer_id: str = "",
    credit_note_id: str = "",
    *,
    before: str = "",
    limit: int | None = None,
) -> list[CreditNote]:
    """Newest (highest number) first; `before` is the number of the last one already seen."""
    query = (
        select(credit_notes, invoices.c.number.label("invoice_number"))
        .outerjoin(invoices, invoices.c.id == credit_notes.c.invoice_id)
        .order_by(credit_notes.c.number.desc())
        .limit(limit)
    )
    for column, value in (
        (credit_notes.c.order_id, order_id),
        (credit_notes.c.customer_id, customer_id),
        (credit_notes.c.id, credit_note_id),
    ):
        if value:
            query = query.where(column == value)
    if before:
        query = query.where(credit_notes.c.number < before)
    heads = (await session.execute(query)).all()
    lines = await _lines(session, heads)
    return [
        CreditNote(
            h.id,
            h.number,
            h.invoice_id or "",
            h.invoice_number or "",
            h.order_id or "",
            h.customer_id,
            lines.get(h.id, []),
            Money(h.total, h.currency).trimmed(),
            Money(h.unapplied, h.currency).trimmed(),
            h.reason,
            h.return_id or "",
            h.issued_at,
            h.memo,
        )
        for h in heads
    ]


async def _lines(session: AsyncSession, heads: Sequence[Row[Any]]) -> dict[str, list[CreditLine]]:
    currency = {h.id: h.currency for h in heads}
    invoice_of = {h.id: h.invoice_id for h in heads}
    rows = await session.execute(
        select(credit_note_lines)
        .where(credit_note_lines.c.credit_note_id.in_(list(currency)))
        .order_by(credit_note_lines.c.credit_note_id, credit_note_lines.c.position)
    )
    lines: dict[str, list[CreditLine]] = {}
    for r in rows:
        money = currency[r.credit_note_id]
        lines.setdefault(r.credit_note_id, []).append(
            CreditLine(
                invoice_of[r.credit_note_id] or "",
                r.order_line_id,
                r.product_id,
                r.sku,
                r.quantity,
                Money(r.unit_price, money).trimmed(),
                Money(r.line_total, money).trimmed(),
            )
        )
    return lines
