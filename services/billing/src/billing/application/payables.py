"""Payables: billing's copy of each purchase order and of the goods received against it, the
suppliers' bills matched three ways against both, held bills released, and payments sent.

Locks: a bill takes its purchase order's copy first, so two bills of one order are matched one
after the other; supplier payments lock their bills by id.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import (
    bill_lines,
    bills,
    goods_receipt_lines,
    purchase_order_copies,
    purchase_order_copy_lines,
    supplier_payment_allocations,
    supplier_payments,
)
from billing.application.fields import day_in, money_in
from billing.domain.payables import (
    HELD,
    OPEN,
    PAID,
    PARTIALLY_PAID,
    RELEASED,
    LineIn,
    MatchedLine,
    OrderedLine,
    Tolerance,
    bill_status,
    match_bill,
)
from billing.domain.receivables import OpenItem, Requested, check_amount, plan
from billing.domain.settlement import due_date
from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import inventory_pb2, procurement_pb2
from oms.types.v1 import types_pb2
from pricing.money import InvalidMoney, Money, check_currency
from pricing.wire import money_from_proto, money_to_proto
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import (
    AlreadyExists,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    Violations,
)

MAX_REFERENCE = 100
MAX_NOTE = 500


@dataclass(frozen=True)
class Bill:
    id: str
    purchase_order_id: str
    purchase_order_number: str
    supplier_id: str
    supplier_reference: str
    lines: list[MatchedLine]
    total: Money
    status: str
    match_status: str
    reason: str
    amount_paid: Money
    due_date: date
    recorded_at: datetime
    recorded_by: str
    released_at: datetime | None = None
    released_by: str = ""
    release_note: str = ""

    @property
    def balance(self) -> Money:
        return (self.total - self.amount_paid).rounded()


@dataclass(frozen=True)
class SupplierAllocation:
    bill_id: str
    supplier_reference: str
    amount: Money


@dataclass(frozen=True)
class SupplierPayment:
    id: str
    supplier_id: str
    amount: Money
    reference: str
    paid_on: date
    unapplied: Money
    recorded_at: datetime
    recorded_by: str
    allocations: tuple[SupplierAllocation, ...] = field(default_factory=tuple)


class Payables:
    def __init__(self, database: Database, outbox: Outbox, tolerance: Tolerance) -> None:
        self.database = database
        self.outbox = outbox
        self.tolerance = tolerance

    # Copies -------------------------------------------------------------------------------

    async def on_purchase_order_issued(
        self,
        session: AsyncSession,
        event: procurement_pb2.PurchaseOrderIssued,
        envelope: Envelope,
    ) -> None:
        """Keeps the order's lines by product (the contract promises one line per product;
        should a product come twice, its quantities add up at the first line's price)."""
        lines: dict[str, dict[str, Any]] = {}
        for position, line in enumerate(event.lines):
            try:
                price = money_from_proto(line.unit_price)
            except InvalidMoney as error:
                raise PoisonEvent(f"purchase order {event.purchase_order_id}: {error}") from error
            if price.currency != event.currency or line.quantity <= 0:
                raise PoisonEvent(
                    f"purchase order {event.purchase_order_id}: line {line.line_id} has "
                    f"{line.quantity} at {price}, the order is in {event.currency}"
                )
            if line.product_id in lines:
                lines[line.product_id]["quantity"] += line.quantity
                continue
            lines[line.product_id] = {
                "purchase_order_id": event.purchase_order_id,
                "product_id": line.product_id,
                "position": position,
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price": price.amount,
            }
        copied = await session.execute(
            insert(purchase_order_copies)
            .values(
                purchase_order_id=event.purchase_order_id,
                number=event.number,
                supplier_id=event.supplier_id,
                currency=event.currency,
                payment_terms=event.payment_terms,
            )
            .on_conflict_do_nothing()
            .returning(purchase_order_copies.c.purchase_order_id)
        )
        if copied.first() is None or not lines:
            return
        await session.execute(purchase_order_copy_lines.insert(), list(lines.values()))

    async def on_goods_received(
        self, session: AsyncSession, event: inventory_pb2.GoodsReceived, envelope: Envelope
    ) -> None:
        """Counts goods received against a purchase order, once per receipt (even one that
        arrives before the order's copy)."""
        if not event.purchase_order_id:
            return
        quantities: dict[str, int] = {}
        for line in event.lines:
            quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
        if not quantities:
            return
        await session.execute(
            insert(goods_receipt_lines)
            .values(
                [
                    {
                        "receipt_id": event.receipt_id,
                        "product_id": product_id,
                        "purchase_order_id": event.purchase_order_id,
                        "quantity": quantity,
                    }
                    for product_id, quantity in quantities.items()
                ]
            )
            .on_conflict_do_nothing()
        )

    # Bills --------------------------------------------------------------------------------

    async def record_bill(
        self,
        purchase_order_id: str,
        supplier_id: str,
        supplier_reference: str,
        currency: str,
        lines: Sequence[LineIn],
    ) -> Bill:
        """A supplier's bill matched three ways: "matched" (payable) or "held" with the reason
        per line. Bad input -- another currency than the order's, more than was received --
        is refused by field and changes nothing."""
        problems = Violations()
        if not purchase_order_id:
            problems.add("purchase_order_id", "required")
        if not supplier_id:
            problems.add("supplier_id", "required")
        if not supplier_reference.strip() or len(supplier_reference) > MAX_REFERENCE:
            problems.add("supplier_reference", f"required, at most {MAX_REFERENCE} characters")
        try:
            check_currency(currency)
        except InvalidMoney as error:
            problems.add("currency", str(error))
        problems.raise_if_any()
        async with self.database.transaction() as session:
            order = (
                await session.execute(
                    select(purchase_order_copies)
                    .where(purchase_order_copies.c.purchase_order_id == purchase_order_id)
                    .with_for_update()
                )
            ).first()
            if order is None:
                raise InvalidArgument.of(
                    "purchase_order_id", f"no purchase order {purchase_order_id} issued"
                )
            if supplier_id != order.supplier_id:
                problems.add("supplier_id", f"the purchase order is {order.supplier_id}'s")
            if currency != order.currency:
                problems.add("currency", f"must be the purchase order's, {order.currency}")
            duplicate = (
                await session.execute(
                    select(bills.c.id).where(
                        bills.c.supplier_id == supplier_id,
                        bills.c.supplier_reference == supplier_reference.strip(),
                    )
                )
            ).scalar_one_or_none()
            if duplicate is not None:
                problems.add("supplier_reference", f"already recorded as bill {duplicate}")
            problems.raise_if_any()
            ordered = {
                r.product_id: OrderedLine(
                    r.product_id, r.sku, int(r.quantity), Money(r.unit_price, currency)
                )
                for r in await session.execute(
                    select(purchase_order_copy_lines).where(
                        purchase_order_copy_lines.c.purchase_order_id == purchase_order_id
                    )
                )
            }
            received = await self._sums(
                session,
                select(goods_receipt_lines.c.product_id, func.sum(goods_receipt_lines.c.quantity))
                .where(goods_receipt_lines.c.purchase_order_id == purchase_order_id)
                .group_by(goods_receipt_lines.c.product_id),
            )
            billed = await self._sums(
                session,
                select(bill_lines.c.product_id, func.sum(bill_lines.c.quantity))
                .join(bills, bills.c.id == bill_lines.c.bill_id)
                .where(bills.c.purchase_order_id == purchase_order_id)
                .group_by(bill_lines.c.product_id),
            )
            match = match_bill(currency, ordered, received, billed, lines, self.tolerance)
            bill_id, now = str(uuid.uuid4()), datetime.now(UTC)
            match_status = match.status
            try:
                await session.execute(
                    bills.insert().values(
                        id=bill_id,
                        purchase_order_id=purchase_order_id,
                        supplier_id=supplier_id,
                        supplier_reference=supplier_reference.strip(),
                        currency=currency,
                        total=match.total.amount,
                        status=bill_status(match.total, Money.zero(currency), match_status),
                        match_status=match_status,
                        reason=match.reason,
                        due_date=due_date(now.date(), order.payment_terms),
                        recorded_at=now,
                        recorded_by=current_principal().subject,
                    )
                )
            except IntegrityError as error:  # the same reference recorded at the same instant
                raise AlreadyExists(
                    f"supplier reference {supplier_reference.strip()} is already recorded",
                    (FieldViolation("supplier_reference", "already recorded"),),
                ) from error
            await session.execute(
                bill_lines.insert(),
                [
                    {
                        "bill_id": bill_id,
                        "product_id": x.product_id,
                        "position": position,
                        "sku": x.sku,
                        "quantity": x.quantity,
                        "unit_price": x.unit_price.amount,
                        "line_total": x.line_total.amount,
                        "ordered_quantity": x.ordered_quantity,
                        "received_quantity": x.received_quantity,
                        "ordered_unit_price": x.ordered_unit_price.amount,
                        "billed_before": x.billed_before,
                        "issue": x.issue,
                    }
                    for position, x in enumerate(match.lines)
                ],
            )
            await self.outbox.add(
                session,
                events.BillRecorded(
                    bill_id=bill_id,
                    purchase_order_id=purchase_order_id,
                    supplier_id=supplier_id,
                    total=money_to_proto(match.total),
                    status=match_status,
                    reason=match.reason,
                ),
                key=purchase_order_id,
            )
            (bill,) = await self._find(session, bill_id=bill_id)
        return bill

    async def release_bill(self, bill_id: str, note: str) -> Bill:
        """Finance lets a held bill be paid."""
        if len(note) > MAX_NOTE:
            raise InvalidArgument.of("note", f"at most {MAX_NOTE} characters")
        async with self.database.transaction() as session:
            head = (
                await session.execute(select(bills).where(bills.c.id == bill_id).with_for_update())
            ).first()
            if head is None:
                raise NotFound(f"bill {bill_id} not found")
            if head.match_status != HELD:
                raise FailedPrecondition(
                    f"bill {bill_id} is {head.match_status}: only a held bill can be released"
                )
            total = Money(head.total, head.currency)
            await session.execute(
                bills.update()
                .where(bills.c.id == bill_id)
                .values(
                    match_status=RELEASED,
                    status=bill_status(total, Money(head.amount_paid, head.currency), RELEASED),
                    released_at=datetime.now(UTC),
                    released_by=current_principal().subject,
                    release_note=note.strip(),
                )
            )
            await self.outbox.add(
                session,
                events.BillReleased(bill_id=bill_id, purchase_order_id=head.purchase_order_id),
                key=head.purchase_order_id,
            )
            (bill,) = await self._find(session, bill_id=bill_id)
        return bill

    # Payments sent ------------------------------------------------------------------------

    async def record_payment(
        self,
        supplier_id: str,
        amount: types_pb2.Money,
        reference: str,
        paid_on: str,
        allocations: Sequence[Any],
    ) -> SupplierPayment:
        """Money sent to a supplier, allocated to its payable bills as asked (or oldest due
        first); what no bill takes is an advance. Held bills cannot be paid."""
        problems = Violations()
        if not supplier_id.strip() or len(supplier_id) > 100:
            problems.add("supplier_id", "required, at most 100 characters")
        money = money_in(problems, "amount", amount)
        if money is not None:
            check_amount(problems, "amount", money)
        if len(reference) > 200:
            problems.add("reference", "at most 200 characters")
        day = day_in(problems, "paid_on", paid_on)
        requested = []
        for i, ask in enumerate(allocations):
            share = money_in(problems, f"allocations[{i}].amount", ask.amount)
            if share is not None:
                requested.append(Requested(ask.bill_id, share))
        problems.raise_if_any()
        assert money is not None
        async with self.database.transaction() as session:
            query = select(bills).order_by(bills.c.id).with_for_update()
            if requested:
                query = query.where(bills.c.id.in_([r.item_id for r in requested]))
            else:
                query = query.where(
                    bills.c.supplier_id == supplier_id,
                    bills.c.currency == money.currency,
                    bills.c.status.in_([OPEN, PARTIALLY_PAID]),
                )
            heads = {h.id: h for h in (await session.execute(query)).all()}
            items = {
                h.id: OpenItem(
                    h.id,
                    h.supplier_id,
                    h.due_date,
                    Money(h.total - h.amount_paid, h.currency).rounded(),
                    h.supplier_reference,
                    h.status != HELD,
                )
                for h in heads.values()
            }
            where = plan(
                money,
                supplier_id,
                items,
                requested or None,
                id_field="bill_id",
                what="bill",
                party="supplier",
            )
            payment_id, now = str(uuid.uuid4()), datetime.now(UTC)
            await session.execute(
                supplier_payments.insert().values(
                    id=payment_id,
                    supplier_id=supplier_id,
                    currency=money.currency,
                    amount=money.amount,
                    unapplied=where.unapplied.amount,
                    reference=reference,
                    paid_on=day,
                    recorded_at=now,
                    recorded_by=current_principal().subject,
                )
            )
            for position, allocation in enumerate(where.allocations):
                head = heads[allocation.item_id]
                paid = Money(head.amount_paid, head.currency) + allocation.amount
                status = bill_status(Money(head.total, head.currency), paid, head.match_status)
                await session.execute(
                    supplier_payment_allocations.insert().values(
                        payment_id=payment_id,
                        bill_id=head.id,
                        position=position,
                        amount=allocation.amount.amount,
                        allocated_at=now,
                    )
                )
                await session.execute(
                    bills.update()
                    .where(bills.c.id == head.id)
                    .values(amount_paid=paid.amount, status=status)
                )
                if status == PAID:
                    await self.outbox.add(
                        session,
                        events.BillPaid(
                            bill_id=head.id,
                            purchase_order_id=head.purchase_order_id,
                            supplier_id=head.supplier_id,
                        ),
                        key=head.purchase_order_id,
                    )
            (payment,) = await self._payments(session, payment_id=payment_id)
        return payment

    # Queries ------------------------------------------------------------------------------

    async def _sums(self, session: AsyncSession, query: Any) -> dict[str, int]:
        return {product_id: int(total) for product_id, total in await session.execute(query)}

    async def find(
        self, purchase_order_id: str = "", supplier_id: str = "", status: str = ""
    ) -> list[Bill]:
        async with self.database.transaction() as session:
            return await self._find(session, purchase_order_id, supplier_id, status)

    async def get(self, bill_id: str) -> Bill:
        async with self.database.transaction() as session:
            found = await self._find(session, bill_id=bill_id)
        if not found:
            raise NotFound(f"bill {bill_id} not found")
        return found[0]

    async def _find(
        self,
        session: AsyncSession,
        purchase_order_id: str = "",
        supplier_id: str = "",
        status: str = "",
        bill_id: str = "",
    ) -> list[Bill]:
        query = (
            select(bills, purchase_order_copies.c.number)
            .outerjoin(
                purchase_order_copies,
                purchase_order_copies.c.purchase_order_id == bills.c.purchase_order_id,
            )
            .order_by(bills.c.recorded_at, bills.c.id)
        )
        for column, value in (
            (bills.c.purchase_order_id, purchase_order_id),
            (bills.c.supplier_id, supplier_id),
            (bills.c.status, status),
            (bills.c.id, bill_id),
        ):
            if value:
                query = query.where(column == value)
        heads = (await session.execute(query)).all()
        currency = {h.id: h.currency for h in heads}
        lines: dict[str, list[MatchedLine]] = {}
        for r in await session.execute(
            select(bill_lines)
            .where(bill_lines.c.bill_id.in_(list(currency)))
            .order_by(bill_lines.c.bill_id, bill_lines.c.position)
        ):
            money = currency[r.bill_id]
            lines.setdefault(r.bill_id, []).append(
                MatchedLine(
                    r.product_id,
                    r.sku,
                    int(r.quantity),
                    Money(r.unit_price, money).trimmed(),
                    Money(r.line_total, money).trimmed(),
                    int(r.ordered_quantity),
                    int(r.received_quantity),
                    Money(r.ordered_unit_price, money).trimmed(),
                    int(r.billed_before),
                    r.issue,
                )
            )
        return [_bill(h, lines.get(h.id, [])) for h in heads]

    async def payments(self, supplier_id: str = "", bill_id: str = "") -> list[SupplierPayment]:
        async with self.database.transaction() as session:
            return await self._payments(session, supplier_id=supplier_id, bill_id=bill_id)

    async def _payments(
        self,
        session: AsyncSession,
        supplier_id: str = "",
        bill_id: str = "",
        payment_id: str = "",
    ) -> list[SupplierPayment]:
        query = select(supplier_payments).order_by(
            supplier_payments.c.recorded_at, supplier_payments.c.id
        )
        if supplier_id:
            query = query.where(supplier_payments.c.supplier_id == supplier_id)
        if payment_id:
            query = query.where(supplier_payments.c.id == payment_id)
        if bill_id:
            query = query.where(
                supplier_payments.c.id.in_(
                    select(supplier_payment_allocations.c.payment_id).where(
                        supplier_payment_allocations.c.bill_id == bill_id
                    )
                )
            )
        heads = (await session.execute(query)).all()
        shares: dict[str, list[SupplierAllocation]] = {}
        for r in await session.execute(
            select(supplier_payment_allocations, bills.c.supplier_reference, bills.c.currency)
            .join(bills, bills.c.id == supplier_payment_allocations.c.bill_id)
            .where(supplier_payment_allocations.c.payment_id.in_([h.id for h in heads]))
            .order_by(
                supplier_payment_allocations.c.payment_id, supplier_payment_allocations.c.position
            )
        ):
            shares.setdefault(r.payment_id, []).append(
                SupplierAllocation(
                    r.bill_id, r.supplier_reference, Money(r.amount, r.currency).trimmed()
                )
            )
        return [
            SupplierPayment(
                h.id,
                h.supplier_id,
                Money(h.amount, h.currency).trimmed(),
                h.reference,
                h.paid_on,
                Money(h.unapplied, h.currency).trimmed(),
                h.recorded_at,
                h.recorded_by,
                tuple(shares.get(h.id, [])),
            )
            for h in heads
        ]


def _bill(head: Row[Any], lines: list[MatchedLine]) -> Bill:
    return Bill(
        head.id,
        head.purchase_order_id,
        head.number or "",
        head.supplier_id,
        head.supplier_reference,
        lines,
        Money(head.total, head.currency).trimmed(),
        head.status,
        head.match_status,
        head.reason,
        Money(head.amount_paid, head.currency).trimmed(),
        head.due_date,
        head.recorded_at,
        head.recorded_by,
        head.released_at,
        head.released_by or "",
        head.release_note,
    )
