"""Suppliers' bills: recorded and matched three ways against billing's copy of the purchase order
and the goods received, held when they stray or when they are large enough to need a second
person (dual control), and released by finance. Each change is one transaction with its event
and its entry in the change log; recording may be retried under its request id.

Locks: a bill takes its purchase order's copy first, so two bills of one order are matched one
after the other.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import (
    bill_lines,
    bills,
    goods_receipt_lines,
    purchase_order_copies,
    purchase_order_copy_lines,
)
from billing.application.bill_views import Bill, bill_in, facts, find_bills
from billing.application.exchange_rates import convert
from billing.application.records import RECORD_BILL, Retry, audit, claim, complete
from billing.domain.payables import (
    HELD,
    RELEASED,
    DualControl,
    LineIn,
    Match,
    OrderedLine,
    Tolerance,
    bill_status,
    match_bill,
)
from billing.domain.settlement import due_date
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2 as events
from pricing.money import InvalidMoney, Money, check_currency
from pricing.wire import money_to_proto
from servicekit.audit import changed
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
from servicekit.paging import newest_after, newest_page, page_limit

MAX_REFERENCE = 100
MAX_NOTE = 500


class Bills:
    def __init__(
        self, database: Database, outbox: Outbox, tolerance: Tolerance, dual_control: DualControl
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.tolerance = tolerance
        self.dual_control = dual_control

    async def record(
        self,
        purchase_order_id: str,
        supplier_id: str,
        supplier_reference: str,
        currency: str,
        lines: Sequence[LineIn],
        retry: Retry,
    ) -> Bill:
        """A supplier's bill matched three ways: "matched" (payable) or "held" with the reason
        per line -- or held for a second person when it is above the dual-control amount. Bad
        input -- another currency than the order's, more than was received -- is refused by
        field and changes nothing."""
        reference = _checked_request(purchase_order_id, supplier_id, supplier_reference, currency)
        async with self.database.transaction() as session:
            done = await claim(session, RECORD_BILL, retry)
            if done is not None:
                return await bill_in(session, done)
            order = await _checked_order(
                session, purchase_order_id, supplier_id, reference, currency
            )
            match = await self._match(session, purchase_order_id, currency, lines)
            bill_id = await self._insert(session, order, reference, match)
            bill = await bill_in(session, bill_id)
            await self.outbox.add(
                session,
                events.BillRecorded(
                    bill_id=bill_id,
                    purchase_order_id=purchase_order_id,
                    supplier_id=supplier_id,
                    total=money_to_proto(match.total),
                    status=bill.match_status,
                    reason=bill.reason,
                ),
                key=purchase_order_id,
            )
            await audit.record(session, "bill", bill_id, "recorded", after=facts(bill))
            await complete(session, RECORD_BILL, retry, bill_id)
        return bill

    async def _match(
        self, session: AsyncSession, purchase_order_id: str, currency: str, lines: Sequence[LineIn]
    ) -> Match:
        """The lines against what the order ordered, what was received and billed before."""
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
        received = await _sums(
            session,
            select(goods_receipt_lines.c.product_id, func.sum(goods_receipt_lines.c.quantity))
            .where(goods_receipt_lines.c.purchase_order_id == purchase_order_id)
            .group_by(goods_receipt_lines.c.product_id),
        )
        billed = await _sums(
            session,
            select(bill_lines.c.product_id, func.sum(bill_lines.c.quantity))
            .join(bills, bills.c.id == bill_lines.c.bill_id)
            .where(bills.c.purchase_order_id == purchase_order_id)
            .group_by(bill_lines.c.product_id),
        )
        return match_bill(currency, ordered, received, billed, lines, self.tolerance)

    async def _insert(
        self, session: AsyncSession, order: Row[Any], reference: str, match: Match
    ) -> str:
        """The bill and its lines: held for a mismatch, or for a second person when its total,
        converted with today's rates (or not convertible), is above the dual-control amount."""
        bill_id, now = str(uuid.uuid4()), datetime.now(UTC)
        limit = self.dual_control.above
        dual = self.dual_control.applies(
            await convert(session, match.total, limit.currency, now.date())
        )
        status = HELD if dual else match.status
        reasons = [match.reason, self.dual_control.reason(match.total) if dual else ""]
        try:
            await session.execute(
                bills.insert().values(
                    id=bill_id,
                    purchase_order_id=order.purchase_order_id,
                    supplier_id=order.supplier_id,
                    supplier_reference=reference,
                    currency=order.currency,
                    total=match.total.amount,
                    status=bill_status(match.total, Money.zero(order.currency), status),
                    match_status=status,
                    reason="; ".join(r for r in reasons if r),
                    due_date=due_date(now.date(), order.payment_terms),
                    recorded_at=now,
                    recorded_by=current_principal().subject,
                    dual_control=dual,
                )
            )
        except IntegrityError as error:  # the same reference recorded at the same instant
            raise AlreadyExists(
                f"supplier reference {reference} is already recorded",
                (FieldViolation("supplier_reference", "already recorded"),),
            ) from error
        await _insert_lines(session, bill_id, match)
        return bill_id

    async def release(self, bill_id: str, note: str) -> Bill:
        """Finance lets a held bill be paid; under dual control, only someone other than the
        one who recorded it (PermissionDenied, with the reason, otherwise)."""
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
            releasing = current_principal().subject
            if head.dual_control:
                DualControl.check_release(bill_id, head.recorded_by, releasing)
            before = await bill_in(session, bill_id)
            total = Money(head.total, head.currency)
            await session.execute(
                bills.update()
                .where(bills.c.id == bill_id)
                .values(
                    match_status=RELEASED,
                    status=bill_status(total, Money(head.amount_paid, head.currency), RELEASED),
                    released_at=datetime.now(UTC),
                    released_by=releasing,
                    release_note=note.strip(),
                )
            )
            await self.outbox.add(
                session,
                events.BillReleased(bill_id=bill_id, purchase_order_id=head.purchase_order_id),
                key=head.purchase_order_id,
            )
            after = await bill_in(session, bill_id)
            was, now = changed(facts(before), facts(after))
            # who recorded it stays the same, yet it is what a four-eyes review looks for
            now["recorded_by"] = after.recorded_by
            await audit.record(session, "bill", bill_id, "released", before=was, after=now)
        return after

    # Queries ------------------------------------------------------------------------------

    async def page(
        self, purchase_order_id: str, supplier_id: str, status: str, page_size: int, token: str
    ) -> tuple[list[Bill], str]:
        limit = page_limit(page_size)
        after = newest_after(token)
        async with self.database.transaction() as session:
            found = await find_bills(
                session, purchase_order_id, supplier_id, status, after=after, limit=limit + 1
            )
        return newest_page(found, limit)

    async def get(self, bill_id: str) -> Bill:
        async with self.database.transaction() as session:
            return await bill_in(session, bill_id)


def _checked_request(
    purchase_order_id: str, supplier_id: str, supplier_reference: str, currency: str
) -> str:
    """The supplier's reference as kept, once the request names an order, a supplier, a
    reference and a currency; else every field at fault."""
    problems = Violations()
    if not purchase_order_id:
        problems.add("purchase_order_id", "required")
    if not supplier_id:
        problems.add("supplier_id", "required")
    reference = supplier_reference.strip()
    if not reference or len(supplier_reference) > MAX_REFERENCE:
        problems.add("supplier_reference", f"required, at most {MAX_REFERENCE} characters")
    try:
        check_currency(currency)
    except InvalidMoney as error:
        problems.add("currency", str(error))
    problems.raise_if_any()
    return reference


async def _insert_lines(session: AsyncSession, bill_id: str, match: Match) -> None:
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


async def _checked_order(
    session: AsyncSession, purchase_order_id: str, supplier_id: str, reference: str, currency: str
) -> Row[Any]:
    """The bill's purchase order (locked), once the bill is its supplier's, in its currency, and
    under a reference the supplier has not used; else every field at fault."""
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
    problems = Violations()
    if supplier_id != order.supplier_id:
        problems.add("supplier_id", f"the purchase order is {order.supplier_id}'s")
    if currency != order.currency:
        problems.add("currency", f"must be the purchase order's, {order.currency}")
    duplicate = (
        await session.execute(
            select(bills.c.id).where(
                bills.c.supplier_id == supplier_id, bills.c.supplier_reference == reference
            )
        )
    ).scalar_one_or_none()
    if duplicate is not None:
        problems.add("supplier_reference", f"already recorded as bill {duplicate}")
    problems.raise_if_any()
    return order


async def _sums(session: AsyncSession, query: Any) -> dict[str, int]:
    return {product_id: int(total) for product_id, total in await session.execute(query)}
