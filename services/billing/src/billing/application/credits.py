"""Credit for what customers did not keep: every invoice of a cancelled order credited in full,
returned units credited at the order's prices. The credit notes are issued by
billing.application.credit_notes, each with its events in the event's transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from google.protobuf.json_format import ParseDict
from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import (
    invoice_lines,
    invoices,
    order_copies,
    order_copy_lines,
    returns_received,
)
from billing.application.credit_notes import credited, issue_against
from billing.domain.settlement import (
    CANCELLED,
    CREDITED,
    RETURNED,
    BilledLine,
    CannotCredit,
    CreditLine,
    KitPart,
    NotInvoicedYet,
    credit_return,
    kit_part_line_id,
    kits_returned,
    unit_net,
)
from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2, orders_pb2
from oms.types.v1.pricing_pb2 import PricedDocument
from pricing.money import Money
from servicekit.db import Database

log = logging.getLogger(__name__)

# What became of a return received.
PENDING, DONE, NOTHING, REFUSED = "pending", "credited", "nothing_to_credit", "refused"
ORDER_CANCELLED = "the order was cancelled: its invoices were credited in full"


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
        rest = Money(head.total - await credited(session, head.id), head.currency)
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
        await issue_against(session, self.outbox, head, lines, rest.rounded(), CANCELLED)

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
            rest = head.total - await credited(session, head.id)
            total = Money(
                min(sum((c.amount.amount for c in mine), Decimal(0)), rest), head.currency
            ).rounded()
            if total.amount > 0:
                await issue_against(
                    session, self.outbox, head, mine, total, RETURNED, event.return_id
                )
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
