"""Commands a client may retry: each claims its request id first thing in its unit of work, before
any other lock, so two calls with one id take turns, and a retry returns the first call's result
without a second effect. The same id with other content is ALREADY_EXISTS on `request_id`."""

from __future__ import annotations

from dataclasses import dataclass

# The commands a client may retry, as they are named among the requests done.
RECORD_PAYMENT = "record_payment"
RECORD_CUSTOMER_PAYMENT = "record_customer_payment"
APPLY_CUSTOMER_CREDIT = "apply_customer_credit"
UNALLOCATE_PAYMENT = "unallocate_payment"
ISSUE_CREDIT_NOTE = "issue_credit_note"
RECORD_BILL = "record_bill"
RECORD_SUPPLIER_PAYMENT = "record_supplier_payment"
APPLY_SUPPLIER_ADVANCE = "apply_supplier_advance"


@dataclass(frozen=True)
class Retry:
    """A command as its client sent it: its request id ("" for none) and the fingerprint of its
    content without the id (servicekit.idempotency.fingerprint), which a retry must repeat."""

    request_id: str = ""
    fingerprint: str = ""
