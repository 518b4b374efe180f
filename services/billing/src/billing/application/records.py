"""What billing keeps beside its data: the change log (who changed what, servicekit.audit) and
the requests already done, so a command retried under its request id has its first effect only
(servicekit.idempotency).

A command that moves money claims its request first thing in its transaction, before any other
lock, so two calls with one id take turns instead of waiting on each other's locks:

    async with database.transaction() as session:
        done = await claim(session, RECORD_PAYMENT, retry)
        if done is not None:
            return await payment_in(session, done)
        ... the work, and its audit entry ...
        await complete(session, RECORD_PAYMENT, retry, payment_id)
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import audit_log, processed_requests
from servicekit.audit import AuditLog
from servicekit.idempotency import ProcessedRequests

audit = AuditLog(audit_log)
_requests = ProcessedRequests(processed_requests)

# The commands a client may retry, as they are named in processed_requests.
RECORD_PAYMENT = "record_payment"
RECORD_CUSTOMER_PAYMENT = "record_customer_payment"
APPLY_CUSTOMER_CREDIT = "apply_customer_credit"
UNALLOCATE_PAYMENT = "unallocate_payment"
ISSUE_CREDIT_NOTE = "issue_credit_note"
RECORD_BILL = "record_bill"
RECORD_SUPPLIER_PAYMENT = "record_supplier_payment"


@dataclass(frozen=True)
class Retry:
    """A command as its client sent it: its `request_id` (empty: none) and its content, which a
    retry must repeat exactly."""

    request: Message

    @property
    def request_id(self) -> str:
        return str(getattr(self.request, "request_id", ""))


async def claim(session: AsyncSession, operation: str, retry: Retry) -> str | None:
    """The first result's id when this request was done already; None when this transaction now
    owns it (or it has no id): do the work, then `complete` it."""
    return await _requests.claim(session, operation, retry.request_id, retry.request)


async def complete(session: AsyncSession, operation: str, retry: Retry, result_id: str) -> None:
    await _requests.complete(session, operation, retry.request_id, result_id)
