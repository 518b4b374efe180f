"""The activity journal: what happened to an order across the suite, one entry per event. Plain
Python: an event comes in as its wire type and its fields (names as in the contract), out come
the entries and the links it teaches.

An event names an order directly (`order_id`; a quote accepted into an order names it as its
`target_id`), or through an invoice or a quote the journal links to an order once it sees one
issued or accepted for it (a payment names only its invoice, a reminder its invoices). An entry
is kept under its subject (the order, `invoice:<id>`, `quote:<id>`), so a payment read before
its invoice still lands on the order once the link exists. Summaries never carry an amount of
money: everyone who reads the order reads its timeline, the warehouse included.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

MAX_SUMMARY = 500
INVOICE, QUOTE = "invoice:", "quote:"

Fields = Mapping[str, Any]


@dataclass(frozen=True)
class Happened:
    """One event as it came: its envelope's facts and its fields."""

    event_id: str
    event_type: str
    at: datetime
    service: str
    actor: str
    cause_id: str
    correlation_id: str
    traceparent: str
    fields: Fields


@dataclass(frozen=True)
class Entry:
    # The order's id, or `invoice:<id>` / `quote:<id>` for an event naming only those.
    subject: str
    event_id: str
    at: datetime
    service: str
    event_type: str
    summary: str
    actor: str
    cause_id: str
    correlation_id: str
    trace_id: str


@dataclass(frozen=True)
class Link:
    """An invoice or quote subject (`invoice:<id>`) belongs to an order."""

    subject: str
    order_id: str


def short_type(event_type: str) -> str:
    """ "oms.billing.InvoicePaid.v1" -> "InvoicePaid"."""
    parts = event_type.split(".")
    return parts[-2] if len(parts) >= 3 else event_type


def trace_id_of(traceparent: str) -> str:
    """The trace id of a W3C traceparent ("00-<32 hex>-<16 hex>-<2 hex>"); "" when malformed."""
    parts = traceparent.split("-")
    if len(parts) != 4 or len(parts[1]) != 32:
        return ""
    trace = parts[1].lower()
    if trace == "0" * 32 or any(c not in "0123456789abcdef" for c in trace):
        return ""
    return trace


def subjects_of(event_type: str, fields: Fields) -> tuple[list[str], list[Link]]:
    """Whom the event concerns (orders, else invoices or quotes) and the links it teaches."""
    order_id = str(fields.get("order_id") or "")
    quote_id = str(fields.get("quote_id") or "")
    invoice_id = str(fields.get("invoice_id") or "")
    if short_type(event_type) == "QuoteAccepted" and fields.get("convert_to") == "sales_order":
        order_id = str(fields.get("target_id") or "")
    if order_id:
        links = [Link(INVOICE + invoice_id, order_id)] if invoice_id else []
        links += [Link(QUOTE + quote_id, order_id)] if quote_id else []
        return [order_id], links
    invoices = [invoice_id] if invoice_id else [str(i) for i in fields.get("invoice_ids", [])]
    if invoices:
        return [INVOICE + i for i in dict.fromkeys(invoices) if i], []
    return ([QUOTE + quote_id] if quote_id else []), []


def entries_of(event: Happened) -> tuple[list[Entry], list[Link]]:
    """The event's entries (none for one that concerns no order, invoice or quote)."""
    subjects, links = subjects_of(event.event_type, event.fields)
    text = summary(event.event_type, event.fields)
    trace = trace_id_of(event.traceparent)
    entries = [
        Entry(
            subject,
            event.event_id,
            event.at,
            event.service,
            event.event_type,
            text,
            event.actor,
            event.cause_id,
            event.correlation_id,
            trace,
        )
        for subject in subjects
    ]
    return entries, links


def summary(event_type: str, fields: Fields) -> str:
    """One line a person reads; the event's type for one the journal has no wording for."""
    write = SUMMARIES.get(short_type(event_type))
    text = write(fields) if write is not None else event_type
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


def _n(items: Any) -> int:
    return len(items) if isinstance(items, Sequence) else 0


def _units(lines: Any) -> int:
    return sum(int(line.get("quantity", 0)) for line in lines) if isinstance(lines, list) else 0


def _lines(count: int) -> str:
    return f"{count} line" if count == 1 else f"{count} lines"


def _because(reason: Any) -> str:
    return f": {reason}" if reason else ""


def _placed(f: Fields) -> str:
    source = f" from quote {f['quote_id']}" if f.get("quote_id") else ""
    return (
        f"Order placed through {f.get('channel') or 'direct'}{source}, {_lines(_n(f.get('lines')))}"
    )


def _partly(f: Fields) -> str:
    reserved, back = _n(f.get("reserved")), _n(f.get("backordered"))
    return f"Stock reserved for {_lines(reserved)}, {_lines(back)} backordered"


def _allocated(f: Fields) -> str:
    done = ", order fully reserved" if f.get("complete") else ""
    return f"Backorder allocated for {_lines(_n(f.get('lines')))}{done}"


def _dispatched(f: Fields) -> str:
    carrier = f" via {f['carrier']}" if f.get("carrier") else ""
    tracking = f" (tracking {f['tracking_number']})" if f.get("tracking_number") else ""
    units = _units(f.get("lines"))
    return f"Shipment {f.get('shipment_id', '')} dispatched, {units} units{carrier}{tracking}"


SUMMARIES: dict[str, Callable[[Fields], str]] = {
    # orders
    "SalesOrderPlaced": _placed,
    "SalesOrderStatusChanged": lambda f: (
        f"Status {f.get('from_status') or 'new'} -> {f.get('to_status', '')}"
        f"{_because(f.get('reason'))}"
    ),
    "SalesOrderApproved": lambda f: "Order approved for execution",
    "SalesOrderLinesChanged": lambda f: f"Lines changed, now {_lines(_n(f.get('lines')))}",
    "SalesOrderCancelled": lambda f: f"Order cancelled{_because(f.get('reason'))}",
    "ReturnAuthorized": lambda f: (
        f"Return {f.get('return_id', '')} authorised for {_units(f.get('lines'))} units"
        f"{_because(f.get('reason'))}"
    ),
    "SalesOrderHoldChanged": lambda f: (
        f"Put on hold{_because(f.get('reason'))}" if f.get("on_hold") else "Hold released"
    ),
    "SalesOrderStalled": lambda f: f"Step stalled ({f.get('step', '')}){_because(f.get('reason'))}",
    "SalesOrderStallCleared": lambda f: "Stalled steps went through",
    # inventory
    "StockReserved": lambda f: f"Stock reserved for {_lines(_n(f.get('lines')))}",
    "StockRejected": lambda f: f"Stock could not be reserved{_because(f.get('reason'))}",
    "StockPartiallyReserved": _partly,
    "BackorderAllocated": _allocated,
    "ReservationReleased": lambda f: f"Reservation released{_because(f.get('reason'))}",
    "ShipmentDispatched": _dispatched,
    "ShipmentStatusChanged": lambda f: (
        f"Shipment {f.get('shipment_id', '')} "
        f"{f.get('from_status', '')} -> {f.get('to_status', '')}"
    ),
    "ReturnReceived": lambda f: (
        f"Return {f.get('return_id', '')} received, {_units(f.get('lines'))} units"
    ),
    # billing
    "InvoiceIssued": lambda f: f"Invoice {f.get('number') or f.get('invoice_id', '')} issued",
    "PaymentReceived": lambda f: f"Payment received on invoice {f.get('invoice_id', '')}",
    "InvoicePaid": lambda f: f"Invoice {f.get('invoice_id', '')} paid in full",
    "CreditNoteIssued": lambda f: (
        f"Credit note {f.get('number', '')} issued on invoice {f.get('invoice_id', '')}"
        f"{_because(f.get('reason'))}"
    ),
    "InvoiceOverdue": lambda f: (
        f"Invoice {f.get('number') or f.get('invoice_id', '')} overdue"
        f" (due {f.get('due_date', '')})"
    ),
    "InvoiceReopened": lambda f: f"Invoice {f.get('invoice_id', '')} reopened",
    "ReminderSent": lambda f: f"Payment reminder sent (level {f.get('level', 1)})",
    # quoting
    "QuoteCreated": lambda f: f"Quote {f.get('quote_id', '')} drafted",
    "QuoteSent": lambda f: f"Quote version {f.get('version', 1)} sent to the customer",
    "QuoteRevised": lambda f: f"Quote revised to version {f.get('version', '')}",
    "QuoteAccepted": lambda f: (
        f"Quote {f.get('quote_id', '')} (version {f.get('version', 1)}) accepted"
        + (" into this order" if f.get("convert_to") == "sales_order" else "")
    ),
    "QuoteRejected": lambda f: f"Quote rejected{_because(f.get('reason'))}",
    "QuoteExpired": lambda f: f"Quote expired (valid until {f.get('valid_until', '')})",
    "QuoteApprovalRequested": lambda f: (
        f"Quote version {f.get('version', 1)} waits for a sales manager's approval"
        f"{_because(f.get('reason'))}"
    ),
    "QuoteDiscountDecided": lambda f: (
        f"Quote discounts {f.get('decision', 'decided')} by {f.get('decided_by', '')}"
        f"{_because(f.get('note'))}"
    ),
}
