"""Credit notes: every invoice of a cancelled order credited in full, returned units credited at
the order's prices; numbered without gaps, each with its events in one transaction."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from google.protobuf.json_format import ParseDict
from sqlalchemy import Row, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import (
    credit_note_lines,
    credit_note_sequences,
    credit_notes,
    invoice_lines,
    invoices,
    order_copies,
    order_copy_lines,
    returns_received,
)
from billing.application.accounts import move_balance, move_credit, next_number
from billing.application.fields import money_in
from billing.domain.receivables import check_amount
from billing.domain.settlement import (
    ADJUSTMENT,
    CANCELLED,
    CREDITED,
    PAID,
    RETURNED,
    Account,
    BilledLine,
    CannotCredit,
    CreditLine,
    KitPart,
    NotInvoicedYet,
    credit_note_number,
    credit_return,
    kit_part_line_id,
    kits_returned,
    unit_net,
)
from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import inventory_pb2, orders_pb2
from oms.types.v1 import types_pb2
from oms.types.v1.pricing_pb2 import PricedDocument
from pricing.money import Money
from pricing.wire import money_to_proto
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import NotFound, Violations

log = logging.getLogger(__name__)

# What became of a return received.
PENDING, DONE, NOTHING, REFUSED = "pending", "credited", "nothing_to_credit", "refused"
ORDER_CANCELLED = "the order was cancelled: its invoices were credited in full"
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


def account_of(head: Row[Any]) -> Account:
    return Account(
        Money(head.total, head.currency),
        Money(head.amount_paid, head.currency),
        Money(head.amount_credited, head.currency),
        head.status,
    )


class Credits:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    # Cancelled orders ---------------------------------------------------------------------

    async def on_sales_order_cancelled(
        self, session: AsyncSession, event: orders_pb2.SalesOrderCancelled, envelope: Envelope
    ) -> None:
        """Credits every invoice of the order for what no credit note has credited yet; an
        order cancelled twice (or an event redelivered) credits nothing more."""
        cancelled = await session.execute(
            order_copies.update()
            .where(order_copies.c.order_id == event.order_id, order_copies.c.cancelled.is_(False))
            .values(cancelled=True)
            .returning(order_copies.c.order_id)
        )
        if cancelled.first() is None:
            return
        for head in await self._invoices(session, event.order_id):
            await self._cancel(session, head)
        await session.execute(
            returns_received.update()
            .where(
                returns_received.c.order_id == event.order_id,
                returns_received.c.outcome == PENDING,
            )
            .values(outcome=NOTHING, detail=ORDER_CANCELLED)
        )

    async def _cancel(self, session: AsyncSession, head: Row[Any]) -> None:
        rest = Money(head.total - await self._credited(session, head.id), head.currency)
        if rest.amount <= 0:
            if head.status != CREDITED:
                await session.execute(
                    invoices.update().where(invoices.c.id == head.id).values(status=CREDITED)
                )
            return
        rows = await session.execute(
            select(invoice_lines)
            .where(invoice_lines.c.invoice_id == head.id)
            .order_by(invoice_lines.c.position)
        )
        lines = [
            CreditLine(
                head.id,
                r.order_line_id,
                r.product_id,
                r.sku,
                r.quantity - r.returned,
                Money(r.unit_price, head.currency).trimmed(),
                Money(r.line_total - r.credited, head.currency).rounded(),
            )
            for r in rows
            if r.quantity > r.returned
        ]
        await self._issue(session, head, lines, rest.rounded(), CANCELLED)

    async def after_invoice(self, session: AsyncSession, invoice_id: str, order_id: str) -> None:
        """An invoice was just issued for the order: credited at once if the order was
        cancelled, else the returns that waited for it are credited now."""
        cancelled = (
            await session.execute(
                select(order_copies.c.cancelled).where(order_copies.c.order_id == order_id)
            )
        ).scalar_one_or_none()
        if cancelled is None:
            return
        if cancelled:
            head = (
                await session.execute(
                    select(invoices).where(invoices.c.id == invoice_id).with_for_update()
                )
            ).one()
            await self._cancel(session, head)
            return
        waiting = await session.execute(
            select(returns_received.c.event)
            .where(returns_received.c.order_id == order_id, returns_received.c.outcome == PENDING)
            .order_by(returns_received.c.arrival)
        )
        for (raw,) in waiting.all():
            await self._credit_return(
                session, inventory_pb2.ReturnReceived.FromString(raw), retrying=True
            )

    # Returns ------------------------------------------------------------------------------

    async def on_return_received(
        self, session: AsyncSession, event: inventory_pb2.ReturnReceived, envelope: Envelope
    ) -> None:
        """Credits the units returned, once per return: a return already received (even with a
        new event id) credits nothing more; one whose invoice is not issued yet waits for it."""
        claimed = await session.execute(
            insert(returns_received)
            .values(
                return_id=event.return_id,
                order_id=event.order_id,
                outcome=PENDING,
                event=event.SerializeToString(),
            )
            .on_conflict_do_nothing()
            .returning(returns_received.c.return_id)
        )
        if claimed.first() is None:
            return
        await self._credit_return(session, event, retrying=False)

    async def _credit_return(
        self, session: AsyncSession, event: inventory_pb2.ReturnReceived, *, retrying: bool
    ) -> None:
        copy = (
            await session.execute(
                select(order_copies).where(order_copies.c.order_id == event.order_id)
            )
        ).first()
        if copy is None:
            return  # its shipments wait for the order too; their invoices will retry it
        if copy.cancelled:
            await self._settle(session, event.return_id, NOTHING, ORDER_CANCELLED)
            return
        heads = await self._invoices(session, event.order_id)
        try:
            credits, parts = await self._plan(session, copy, heads, event)
        except NotInvoicedYet:
            return
        except CannotCredit as error:
            if not retrying:
                raise PoisonEvent(f"return {event.return_id}: {error}") from error
            log.warning("return %s cannot be credited: %s", event.return_id, error)
            await self._settle(session, event.return_id, REFUSED, str(error)[:500])
            return
        for line_id, returned in parts.items():
            await session.execute(
                order_copy_lines.update()
                .where(order_copy_lines.c.line_id == line_id)
                .values(returned=returned)
            )
        issued = 0
        for head in heads:
            mine = [c for c in credits if c.invoice_id == head.id]
            for c in mine:
                await session.execute(
                    invoice_lines.update()
                    .where(
                        invoice_lines.c.invoice_id == head.id,
                        invoice_lines.c.order_line_id == c.order_line_id,
                    )
                    .values(
                        returned=invoice_lines.c.returned + c.quantity,
                        credited=invoice_lines.c.credited + c.amount.amount,
                    )
                )
            rest = head.total - await self._credited(session, head.id)
            total = Money(
                min(sum((c.amount.amount for c in mine), Decimal(0)), rest), head.currency
            ).rounded()
            if total.amount > 0:
                await self._issue(session, head, mine, total, RETURNED, event.return_id)
                issued += 1
        if issued:
            await self._settle(session, event.return_id, DONE, "")
        else:
            why = "no whole kit is back yet" if parts else "nothing is left to credit"
            await self._settle(session, event.return_id, NOTHING, why)

    async def _plan(
        self,
        session: AsyncSession,
        copy: Row[Any],
        heads: Sequence[Row[Any]],
        event: inventory_pb2.ReturnReceived,
    ) -> tuple[list[CreditLine], dict[str, int]]:
        """The credit lines for a return, and the returned counts of the kit parts it brought
        back. An order made from a quote credits its document's lines at their net per unit,
        a kit once all its parts are back."""
        order_lines = {
            r.line_id: r
            for r in await session.execute(
                select(order_copy_lines).where(order_copy_lines.c.order_id == copy.order_id)
            )
        }
        positions = {head.id: i for i, head in enumerate(heads)}
        rows = sorted(
            (
                await session.execute(
                    select(invoice_lines).where(invoice_lines.c.invoice_id.in_(list(positions)))
                )
            ).all(),
            key=lambda r: (positions[r.invoice_id], r.position),
        )
        returned = [(x.line_id, int(x.quantity)) for x in event.lines]
        parts: dict[str, int] = {}
        if copy.document is None:
            ordered = {line_id: int(r.quantity) for line_id, r in order_lines.items()}
        else:
            document = ParseDict(copy.document, PricedDocument())
            lines = [line for group in document.groups for line in group.lines]
            ordered = {line.line_id: int(line.quantity) for line in lines}
            kit_parts = []
            for line in lines:
                for part in line.kit_parts:
                    picked = order_lines.get(kit_part_line_id(line.line_id, part.product_id))
                    if picked is not None:
                        kit_parts.append(
                            KitPart(
                                picked.line_id,
                                line.line_id,
                                int(part.quantity),
                                int(picked.quantity),
                                int(picked.returned),
                            )
                        )
            part_ids = {p.part_line_id for p in kit_parts}
            back: dict[str, int] = {}
            for line_id, quantity in returned:
                if line_id in part_ids:
                    if quantity <= 0:
                        raise CannotCredit(f"returned {quantity} of kit part {line_id}")
                    back[line_id] = back.get(line_id, 0) + quantity
            complete, counts = kits_returned(kit_parts, back)
            returned = [(i, q) for i, q in returned if i not in part_ids] + list(complete.items())
            parts = {line_id: counts[line_id] for line_id in back}
        currency = copy.currency
        billed = [
            BilledLine(
                r.invoice_id,
                r.order_line_id,
                r.product_id,
                r.sku,
                int(r.quantity),
                Money(r.line_total, currency),
                Money(r.unit_price, currency).trimmed()
                if copy.document is None
                else unit_net(Money(r.line_total, currency), int(r.quantity)),
                int(r.returned),
                Money(r.credited, currency),
            )
            for r in rows
        ]
        return credit_return(billed, returned, ordered), parts

    async def _settle(self, session: AsyncSession, return_id: str, outcome: str, why: str) -> None:
        await session.execute(
            returns_received.update()
            .where(returns_received.c.return_id == return_id)
            .values(outcome=outcome, detail=why)
        )

    # Shared -------------------------------------------------------------------------------

    async def _invoices(self, session: AsyncSession, order_id: str) -> Sequence[Row[Any]]:
        """The order's invoices, oldest first, locked against concurrent payments."""
        return (
            await session.execute(
                select(invoices)
                .where(invoices.c.order_id == order_id)
                .order_by(invoices.c.number)
                .with_for_update()
            )
        ).all()

    async def _credited(self, session: AsyncSession, invoice_id: str) -> Decimal:
        """What credit notes credited against the invoice so far, applied or not."""
        total = await session.execute(
            select(func.coalesce(func.sum(credit_notes.c.total), 0)).where(
                credit_notes.c.invoice_id == invoice_id
            )
        )
        return Decimal(total.scalar_one())

    async def _issue(
        self,
        session: AsyncSession,
        head: Row[Any],
        lines: Sequence[CreditLine],
        total: Money,
        reason: str,
        return_id: str = "",
        memo: str = "",
    ) -> str:
        """A credit note against the (locked) invoice: the part its balance can take is applied
        to it, the rest becomes the customer's credit."""
        before = account_of(head)
        after, unapplied = before.credit(total, cancelled=reason == CANCELLED)
        credit_note_id = await self._insert(
            session,
            head.customer_id,
            total,
            unapplied,
            reason,
            invoice_id=head.id,
            order_id=head.order_id,
            return_id=return_id,
            memo=memo,
        )
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
            await self.outbox.add(
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
        await move_balance(session, self.outbox, head.customer_id, (unapplied - total))
        return credit_note_id

    async def _insert(
        self,
        session: AsyncSession,
        customer_id: str,
        total: Money,
        unapplied: Money,
        reason: str,
        *,
        invoice_id: str | None = None,
        order_id: str | None = None,
        return_id: str = "",
        memo: str = "",
    ) -> str:
        """The credit note's next gap-free number, its row and CreditNoteIssued."""
        issued_at = datetime.now(UTC)
        number = credit_note_number(
            issued_at.year, await next_number(session, issued_at.year, credit_note_sequences)
        )
        credit_note_id = str(uuid.uuid4())
        await session.execute(
            credit_notes.insert().values(
                id=credit_note_id,
                number=number,
                invoice_id=invoice_id,
                order_id=order_id,
                customer_id=customer_id,
                currency=total.currency,
                total=total.amount,
                unapplied=unapplied.amount,
                reason=reason,
                return_id=return_id or None,
                issued_at=issued_at,
                created_by=current_principal().subject,
                memo=memo,
            )
        )
        await self.outbox.add(
            session,
            events.CreditNoteIssued(
                credit_note_id=credit_note_id,
                number=number,
                invoice_id=invoice_id or "",
                order_id=order_id or "",
                customer_id=customer_id,
                total=money_to_proto(total),
                reason=reason,
                return_id=return_id,
            ),
            key=order_id or invoice_id or customer_id,
        )
        return credit_note_id

    # Adjustments --------------------------------------------------------------------------

    async def issue_adjustment(
        self, invoice_id: str, customer_id: str, amount: types_pb2.Money, memo: str
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
            if not invoice_id:
                credit_note_id = await self._insert(
                    session, customer_id, money, money, ADJUSTMENT, memo=memo.strip()
                )
                await move_credit(session, customer_id, money, FROM_CREDIT_NOTE, credit_note_id)
                return await self._get_in(session, credit_note_id)
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
                left = Money(head.total - await self._credited(session, head.id), head.currency)
                if money.amount > left.amount:
                    problems.add(
                        "amount",
                        f"exceeds what no credit note credited yet of the invoice, "
                        f"{left.rounded()}",
                    )
            problems.raise_if_any()
            credit_note_id = await self._issue(
                session, head, [], money, ADJUSTMENT, memo=memo.strip()
            )
            return await self._get_in(session, credit_note_id)

    # Queries ------------------------------------------------------------------------------

    async def find(
        self, order_id: str = "", customer_id: str = "", credit_note_id: str = ""
    ) -> list[CreditNote]:
        async with self.database.transaction() as session:
            return await self._find(session, order_id, customer_id, credit_note_id)

    async def _get_in(self, session: AsyncSession, credit_note_id: str) -> CreditNote:
        (note,) = await self._find(session, credit_note_id=credit_note_id)
        return note

    async def _find(
        self,
        session: AsyncSession,
        order_id: str = "",
        customer_id: str = "",
        credit_note_id: str = "",
    ) -> list[CreditNote]:
        query = (
            select(credit_notes, invoices.c.number.label("invoice_number"))
            .outerjoin(invoices, invoices.c.id == credit_notes.c.invoice_id)
            .order_by(credit_notes.c.number)
        )
        if order_id:
            query = query.where(credit_notes.c.order_id == order_id)
        if customer_id:
            query = query.where(credit_notes.c.customer_id == customer_id)
        if credit_note_id:
            query = query.where(credit_notes.c.id == credit_note_id)
        heads = (await session.execute(query)).all()
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

    async def get(self, credit_note_id: str) -> CreditNote:
        found = await self.find(credit_note_id=credit_note_id)
        if not found:
            raise NotFound(f"credit note {credit_note_id} not found")
        return found[0]
