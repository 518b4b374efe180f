"""ReleaseBill: finance lets a held bill be paid (BillReleased); under dual control only a finance
user other than the one who recorded it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from billing.application.ports import UnitOfWork
from billing.application.reading import bill_of
from billing.domain.bills import Bill
from servicekit.changes import changed
from servicekit.context import current_principal
from servicekit.errors import InvalidArgument, NotFound

MAX_NOTE = 500


@dataclass(frozen=True)
class ReleaseBill:
    bill_id: str
    note: str = ""


async def release_bill(uow: UnitOfWork, command: ReleaseBill) -> Bill:
    """FAILED_PRECONDITION for a bill not held; PERMISSION_DENIED (with the reason) for the one
    who recorded a bill under dual control."""
    if len(command.note) > MAX_NOTE:
        raise InvalidArgument.of("note", f"at most {MAX_NOTE} characters")
    async with uow:
        bill = await uow.bills.get(command.bill_id, lock=True)
        if bill is None:
            raise NotFound(f"bill {command.bill_id} not found")
        before = bill.facts()
        events = bill.release(current_principal().subject, command.note, datetime.now(UTC))
        await uow.bills.save(bill)
        await uow.publish(events)
        after = await bill_of(uow, bill.id)
        was, now = changed(before, after.facts())
        # who recorded it stays the same, yet it is what a four-eyes review looks for
        now["recorded_by"] = after.recorded_by
        await uow.audit.record("bill", bill.id, "released", before=was, after=now)
    return after
