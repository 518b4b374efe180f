"""Billing's ports in memory, for use-case tests in milliseconds. They pass the same contract tests
as the PostgreSQL adapters (tests/repository_contracts.py), so they cannot drift from them.

`FakeBilling()` is the database: calling it gives a unit of work, which works on a copy of the
committed state and commits it when its block ends normally (rolls back when it raises). What
it stores comes back as PostgreSQL gives it back: amounts with the six decimals their columns
keep, invoice lines with their totals, payments with their invoices' numbers."""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Self

from billing.application.ports import CREDIT_NOTES, INVOICES
from billing.application.retries import Retry
from billing.domain.bills import Bill, PurchaseOrderCopy, Receipt
from billing.domain.credit_notes import CreditNote
from billing.domain.customers import Customer
from billing.domain.dunning import CreditHold, OpenInvoice, Reminder
from billing.domain.events import DomainEvent
from billing.domain.exchange import Rate, SetRate
from billing.domain.invoices import OPEN, PARTIALLY_PAID, Invoice
from billing.domain.orders import OrderCopy, Shipment
from billing.domain.payables import MatchedLine
from billing.domain.payments import RECEIVED, Payment
from billing.domain.receivables import AgedItem
from billing.domain.returns import PENDING, Return
from billing.domain.revenue import QUOTE, UNASSIGNED, Entry, document_tax
from billing.domain.supplier_payments import SupplierAllocation, SupplierPayment
from pricing.money import Money
from servicekit.context import current_principal
from servicekit.errors import AlreadyExists, FieldViolation, InvalidArgument
from servicekit.idempotency import MAX_REQUEST_ID

SIX, TWELVE = Decimal("0.000001"), Decimal("0.000000000001")


class DuplicateRow(Exception):
    """What a unique column refuses (PostgreSQL raises IntegrityError)."""


def kept(money: Money) -> Money:
    """An amount as a NUMERIC(18, 6) column gives it back."""
    return Money(money.amount.quantize(SIX), money.currency)


@dataclass(frozen=True)
class Change:
    """An entry of the change log."""

    entity_type: str
    entity_id: str
    action: str
    actor: str
    before: Any
    after: Any


@dataclass
class ReturnRecord:
    back: Return
    arrival: int
    outcome: str = PENDING
    detail: str = ""


@dataclass
class State:
    invoices: dict[str, Invoice] = field(default_factory=dict)
    credit_notes: dict[str, CreditNote] = field(default_factory=dict)
    payments: dict[str, Payment] = field(default_factory=dict)
    orders: dict[str, OrderCopy] = field(default_factory=dict)
    parked: dict[str, Shipment] = field(default_factory=dict)
    # (series, events published, shipments parked) when a reaction took its turn at a counter
    turns: list[tuple[str, int, int]] = field(default_factory=list)
    counted: set[str] = field(default_factory=set)
    returns: dict[str, ReturnRecord] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    balances: dict[tuple[str, str], Money] = field(default_factory=dict)
    credits: dict[tuple[str, str], Money] = field(default_factory=dict)
    # (customer, currency, change, source, source id, at)
    credit_entries: list[tuple[str, str, Money, str, str, datetime]] = field(default_factory=list)
    purchase_orders: dict[str, PurchaseOrderCopy] = field(default_factory=dict)
    # (receipt, product): (purchase order, quantity)
    receipts: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    bills: dict[str, Bill] = field(default_factory=dict)
    supplier_payments: dict[str, SupplierPayment] = field(default_factory=dict)
    rates: dict[tuple[str, str, date], SetRate] = field(default_factory=dict)
    reminders: list[Reminder] = field(default_factory=list)
    holds: dict[str, CreditHold] = field(default_factory=dict)
    # (operation, request id): (fingerprint, result id)
    requests: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)
    numbers: dict[tuple[str, int], int] = field(default_factory=dict)
    published: list[DomainEvent] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


class FakeBilling:
    """The database: `billing()` is a new unit of work on it."""

    def __init__(self) -> None:
        self.state = State()
        self.commits = 0

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)

    @property
    def published(self) -> list[DomainEvent]:
        return self.state.published

    @property
    def changes(self) -> list[Change]:
        return self.state.changes


class FakeUnitOfWork:
    def __init__(self, billing: FakeBilling) -> None:
        self.billing = billing
        self._bind(copy.deepcopy(billing.state))

    def _bind(self, state: State) -> None:
        self.state = state
        self.invoices = FakeInvoices(state)
        self.credit_notes = FakeCreditNotes(state)
        self.payments = FakePayments(state)
        self.orders = FakeOrderCopies(state)
        self.returns = FakeReturns(state)
        self.customers = FakeCustomers(state)
        self.accounts = FakeAccounts(state)
        self.purchase_orders = FakePurchaseOrders(state)
        self.bills = FakeBills(state)
        self.supplier_payments = FakeSupplierPayments(state)
        self.rates = FakeExchangeRates(state)
        self.dunning = FakeDunning(state)
        self.ledger = FakeLedger(state)
        self.audit = FakeAudit(state)
        self.requests = FakeRequests(state)
        self.numbers = FakeNumbers(state)

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        self.state.published.extend(events)

    async def __aenter__(self) -> Self:
        self._bind(copy.deepcopy(self.billing.state))
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.billing.state = self.state
            self.billing.commits += 1


class _Repository:
    def __init__(self, state: State) -> None:
        self.state = state


# Receivables ----------------------------------------------------------------------------------


def _kept_invoice(invoice: Invoice) -> Invoice:
    lines = [
        replace(
            line,
            unit_price=kept(line.unit_price),
            line_total=kept(line.total),
            credited=kept(line.credited_so_far),
        )
        for line in invoice.lines
    ]
    return replace(
        copy.deepcopy(invoice),
        total=kept(invoice.total),
        amount_paid=kept(invoice.amount_paid),
        amount_credited=kept(invoice.amount_credited),
        lines=lines,
    )


class FakeInvoices(_Repository):
    async def add(self, invoice: Invoice) -> None:
        for other in self.state.invoices.values():
            for column in ("id", "number", "shipment_id", "quote_id"):
                if getattr(invoice, column) and getattr(other, column) == getattr(invoice, column):
                    raise DuplicateRow(f"invoice {column} {getattr(invoice, column)}")
        self.state.invoices[invoice.id] = _kept_invoice(invoice)

    async def get(self, invoice_id: str, *, lock: bool = False) -> Invoice | None:
        found = self.state.invoices.get(invoice_id)
        return None if found is None else copy.deepcopy(found)

    async def of_shipment(self, shipment_id: str) -> Invoice | None:
        return next(iter(self._where(lambda i: i.shipment_id == shipment_id)), None)

    async def of_order(self, order_id: str) -> list[Invoice]:
        return self._where(lambda i: i.order_id == order_id)

    async def lock_of_order(self, order_id: str) -> None:
        pass

    async def locked(self, invoice_ids: Collection[str]) -> dict[str, Invoice]:
        return {i.id: i for i in self._where(lambda i: i.id in invoice_ids)}

    async def open_of(self, customer_id: str, currency: str) -> dict[str, Invoice]:
        found = self._where(
            lambda i: (
                i.customer_id == customer_id
                and i.currency == currency
                and i.status in (OPEN, PARTIALLY_PAID)
            )
        )
        return {i.id: i for i in found}

    async def falling_overdue(self, today: date, limit: int) -> list[Invoice]:
        found = self._where(
            lambda i: (
                i.overdue_at is None and i.due_date < today and i.status in (OPEN, PARTIALLY_PAID)
            )
        )
        return sorted(found, key=lambda i: (i.due_date, i.number))[:limit]

    async def save(self, invoice: Invoice) -> None:
        stored = self.state.invoices[invoice.id]
        lines = [
            replace(old, returned=new.returned, credited=kept(new.credited_so_far))
            for old, new in zip(stored.lines, invoice.lines, strict=True)
        ]
        self.state.invoices[invoice.id] = replace(
            stored,
            amount_paid=kept(invoice.amount_paid),
            amount_credited=kept(invoice.amount_credited),
            status=invoice.status,
            overdue_at=invoice.overdue_at,
            lines=lines,
        )

    async def page(self, order_id: str, before: str, limit: int) -> list[Invoice]:
        found = self._where(
            lambda i: (not order_id or i.order_id == order_id) and (not before or i.number < before)
        )
        return list(reversed(found))[:limit]

    def _where(self, test: Any) -> list[Invoice]:
        """Copies of the invoices that pass, by number."""
        found = [i for i in self.state.invoices.values() if test(i)]
        return [copy.deepcopy(i) for i in sorted(found, key=lambda i: i.number)]


class FakeCreditNotes(_Repository):
    async def add(self, note: CreditNote) -> None:
        if any(n.number == note.number for n in self.state.credit_notes.values()):
            raise DuplicateRow(f"credit note {note.number}")
        lines = [
            replace(x, unit_price=kept(x.unit_price), amount=kept(x.amount)) for x in note.lines
        ]
        self.state.credit_notes[note.id] = replace(
            copy.deepcopy(note),
            total=kept(note.total),
            unapplied=kept(note.unapplied),
            lines=lines,
            invoice_number="",
        )

    async def get(self, credit_note_id: str) -> CreditNote | None:
        found = self.state.credit_notes.get(credit_note_id)
        return None if found is None else self._read(found)

    async def credited_against(self, invoice_id: str) -> Decimal:
        notes = self.state.credit_notes.values()
        return sum((n.total.amount for n in notes if n.invoice_id == invoice_id), Decimal(0))

    async def page(
        self, order_id: str, customer_id: str, before: str, limit: int
    ) -> list[CreditNote]:
        found = [
            n
            for n in self.state.credit_notes.values()
            if (not order_id or n.order_id == order_id)
            and (not customer_id or n.customer_id == customer_id)
            and (not before or n.number < before)
        ]
        found.sort(key=lambda n: n.number, reverse=True)
        return [self._read(n) for n in found[:limit]]

    def _read(self, note: CreditNote) -> CreditNote:
        invoice = self.state.invoices.get(note.invoice_id)
        number = invoice.number if invoice is not None else ""
        lines = [replace(x, invoice_id=note.invoice_id) for x in note.lines]
        return replace(copy.deepcopy(note), invoice_number=number, lines=lines)


def _natural_key(payment: Payment) -> tuple[str, str] | None:
    """A customer's reference names one payment of money received (not credit applied)."""
    if payment.kind == RECEIVED and payment.reference and payment.fingerprint is not None:
        return payment.customer_id, payment.reference
    return None


class FakePayments(_Repository):
    async def add(self, payment: Payment) -> bool:
        key = _natural_key(payment)
        if key is not None and any(_natural_key(p) == key for p in self.state.payments.values()):
            return False
        self.state.payments[payment.id] = replace(
            copy.deepcopy(payment), invoice_number="", order_id="", allocations=[]
        )
        await self.save(payment)
        return True

    async def of_reference(self, customer_id: str, reference: str) -> Payment:
        (found,) = [
            p for p in self.state.payments.values() if _natural_key(p) == (customer_id, reference)
        ]
        return self._read(found)

    async def get(self, payment_id: str) -> Payment | None:
        found = self.state.payments.get(payment_id)
        return None if found is None else self._read(found)

    async def lock_active(self, allocation_ids: Collection[str]) -> int:
        every = [a for p in self.state.payments.values() for a in p.allocations]
        return sum(1 for a in every if a.id in allocation_ids and a.active)

    async def save(self, payment: Payment) -> None:
        stored = self.state.payments[payment.id]
        allocations = [
            replace(a, amount=kept(a.amount), invoice_number="") for a in payment.allocations
        ]
        self.state.payments[payment.id] = replace(
            stored,
            invoice_id=payment.invoice_id,
            unapplied=kept(payment.unapplied or payment.amount.times(0)),
            allocations=allocations,
        )

    async def page(
        self, invoice_id: str, customer_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[Payment]:
        found = [
            p
            for p in self.state.payments.values()
            if (
                not invoice_id
                or p.invoice_id == invoice_id
                or any(a.invoice_id == invoice_id for a in p.allocations)
            )
            and (not customer_id or p.customer_id == customer_id)
            and (after is None or (p.recorded_at, p.id) < after)
        ]
        found.sort(key=lambda p: (p.recorded_at, p.id), reverse=True)
        return [self._read(p) for p in found[:limit]]

    def _read(self, payment: Payment) -> Payment:
        invoices = self.state.invoices
        invoice = invoices.get(payment.invoice_id)
        return replace(
            copy.deepcopy(payment),
            amount=kept(payment.amount),
            invoice_number=invoice.number if invoice else "",
            order_id=invoice.order_id if invoice else "",
            allocations=[
                replace(a, invoice_number=invoices[a.invoice_id].number)
                for a in payment.allocations
            ],
        )


class FakeOrderCopies(_Repository):
    async def add(self, copy_: OrderCopy) -> bool:
        if copy_.order_id in self.state.orders:
            return False
        lines = {i: replace(x, unit_price=kept(x.unit_price)) for i, x in copy_.lines.items()}
        self.state.orders[copy_.order_id] = replace(copy.deepcopy(copy_), lines=lines)
        return True

    async def get(self, order_id: str, *, lock: bool = False) -> OrderCopy | None:
        return copy.deepcopy(self.state.orders.get(order_id))

    async def save(self, copy_: OrderCopy) -> None:
        stored = self.state.orders[copy_.order_id]
        lines = {i: replace(x, unit_price=kept(x.unit_price)) for i, x in copy_.lines.items()}
        self.state.orders[copy_.order_id] = replace(
            stored,
            cancelled=copy_.cancelled,
            lines=copy.deepcopy(lines),
            document=copy_.document if copy_.document is not None else stored.document,
        )

    async def hold(self, order_id: str) -> None:
        """Nothing to hold: one event at a time is applied to the fake's state."""

    async def park(self, shipment: Shipment) -> None:
        self.state.parked.setdefault(shipment.shipment_id, shipment)

    async def unpark(self, order_id: str) -> list[Shipment]:
        mine = [s for s in self.state.parked.values() if s.order_id == order_id]
        for shipment in mine:
            del self.state.parked[shipment.shipment_id]
        return mine

    async def count(self, shipment: Shipment) -> bool:
        if shipment.shipment_id in self.state.counted:
            return False
        self.state.counted.add(shipment.shipment_id)
        return True


class FakeReturns(_Repository):
    async def claim(self, back: Return) -> bool:
        if back.return_id in self.state.returns:
            return False
        self.state.returns[back.return_id] = ReturnRecord(back, len(self.state.returns))
        return True

    async def waiting(self, order_id: str) -> list[Return]:
        found = [
            r
            for r in self.state.returns.values()
            if r.back.order_id == order_id and r.outcome == PENDING
        ]
        return [r.back for r in sorted(found, key=lambda r: r.arrival)]

    async def settle(self, return_id: str, outcome: str, detail: str) -> None:
        if return_id in self.state.returns:
            record = self.state.returns[return_id]
            record.outcome, record.detail = outcome, detail

    async def settle_waiting(self, order_id: str, outcome: str, detail: str) -> None:
        for record in self.state.returns.values():
            if record.back.order_id == order_id and record.outcome == PENDING:
                record.outcome, record.detail = outcome, detail


class FakeCustomers(_Repository):
    async def keep(self, customer: Customer) -> None:
        self.state.customers[customer.customer_id] = customer

    async def get(self, customer_id: str) -> Customer | None:
        return self.state.customers.get(customer_id)


class FakeAccounts(_Repository):
    async def move_balance(self, customer_id: str, change: Money) -> Money:
        key = (customer_id, change.currency)
        now = self.state.balances.get(key, Money.zero(change.currency)) + change
        self.state.balances[key] = kept(now)
        return kept(now)

    async def balances(self, customer_id: str) -> list[Money]:
        return [m for (c, _), m in sorted(self.state.balances.items()) if c == customer_id]

    async def credit(self, customer_id: str, currency: str) -> Money:
        return self.state.credits.get((customer_id, currency), Money.zero(currency))

    async def move_credit(
        self, customer_id: str, change: Money, source: str, source_id: str, at: datetime
    ) -> Money:
        key = (customer_id, change.currency)
        now = kept(self.state.credits.get(key, Money.zero(change.currency)) + change)
        self.state.credits[key] = now
        entry = (customer_id, change.currency, kept(change), source, source_id, at)
        self.state.credit_entries.append(entry)
        return now

    async def credits(self, customer_id: str) -> list[Money]:
        return [m for (c, _), m in sorted(self.state.credits.items()) if c == customer_id]


# Payables -------------------------------------------------------------------------------------


class FakePurchaseOrders(_Repository):
    async def add(self, copy_: PurchaseOrderCopy) -> bool:
        if copy_.purchase_order_id in self.state.purchase_orders:
            return False
        lines = {p: replace(x, unit_price=kept(x.unit_price)) for p, x in copy_.lines.items()}
        self.state.purchase_orders[copy_.purchase_order_id] = replace(copy_, lines=lines)
        return True

    async def get(self, purchase_order_id: str, *, lock: bool = False) -> PurchaseOrderCopy | None:
        return copy.deepcopy(self.state.purchase_orders.get(purchase_order_id))

    async def receive(self, receipt: Receipt) -> None:
        for product_id, quantity in receipt.quantities.items():
            key = (receipt.receipt_id, product_id)
            self.state.receipts.setdefault(key, (receipt.purchase_order_id, quantity))

    async def cancel_units(self, copy_: PurchaseOrderCopy) -> None:
        kept_copy = self.state.purchase_orders[copy_.purchase_order_id]
        for product_id, line in copy_.lines.items():
            kept_copy.lines[product_id] = replace(
                kept_copy.lines[product_id], cancelled=line.cancelled
            )

    async def received(self, purchase_order_id: str) -> dict[str, int]:
        sums: dict[str, int] = {}
        for (_, product_id), (order_id, quantity) in self.state.receipts.items():
            if order_id == purchase_order_id:
                sums[product_id] = sums.get(product_id, 0) + quantity
        return sums


def _kept_line(line: MatchedLine) -> MatchedLine:
    return replace(
        line,
        unit_price=kept(line.unit_price),
        line_total=kept(line.line_total),
        ordered_unit_price=kept(line.ordered_unit_price),
    )


class FakeBills(_Repository):
    async def add(self, bill: Bill) -> None:
        for other in self.state.bills.values():
            if (other.supplier_id, other.supplier_reference) == (
                bill.supplier_id,
                bill.supplier_reference,
            ):
                raise AlreadyExists(
                    f"supplier reference {bill.supplier_reference} is already recorded",
                    (FieldViolation("supplier_reference", "already recorded"),),
                )
        self.state.bills[bill.id] = replace(
            copy.deepcopy(bill),
            lines=[_kept_line(x) for x in bill.lines],
            total=kept(bill.total),
            amount_paid=kept(bill.amount_paid),
            purchase_order_number="",
        )

    async def get(self, bill_id: str, *, lock: bool = False) -> Bill | None:
        found = self.state.bills.get(bill_id)
        return None if found is None else self._read(found)

    async def with_reference(self, supplier_id: str, reference: str) -> str | None:
        for bill in self.state.bills.values():
            if (bill.supplier_id, bill.supplier_reference) == (supplier_id, reference):
                return bill.id
        return None

    async def billed(self, purchase_order_id: str) -> dict[str, int]:
        sums: dict[str, int] = {}
        for bill in self.state.bills.values():
            if bill.purchase_order_id == purchase_order_id:
                for line in bill.lines:
                    sums[line.product_id] = sums.get(line.product_id, 0) + line.quantity
        return sums

    async def locked(self, bill_ids: Collection[str]) -> dict[str, Bill]:
        found = sorted(b for b in self.state.bills if b in bill_ids)
        return {b: self._read(self.state.bills[b]) for b in found}

    async def payable_of(self, supplier_id: str, currency: str) -> dict[str, Bill]:
        found = sorted(
            b.id
            for b in self.state.bills.values()
            if b.supplier_id == supplier_id
            and b.currency == currency
            and b.status in (OPEN, PARTIALLY_PAID)
        )
        return {b: self._read(self.state.bills[b]) for b in found}

    async def save(self, bill: Bill) -> None:
        self.state.bills[bill.id] = replace(
            self.state.bills[bill.id],
            status=bill.status,
            match_status=bill.match_status,
            amount_paid=kept(bill.amount_paid),
            released_at=bill.released_at,
            released_by=bill.released_by,
            release_note=bill.release_note,
        )

    async def page(
        self,
        purchase_order_id: str,
        supplier_id: str,
        status: str,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Bill]:
        found = [
            b
            for b in self.state.bills.values()
            if (not purchase_order_id or b.purchase_order_id == purchase_order_id)
            and (not supplier_id or b.supplier_id == supplier_id)
            and (not status or b.status == status)
            and (after is None or (b.recorded_at, b.id) < after)
        ]
        found.sort(key=lambda b: (b.recorded_at, b.id), reverse=True)
        return [self._read(b) for b in found[:limit]]

    def _read(self, bill: Bill) -> Bill:
        order = self.state.purchase_orders.get(bill.purchase_order_id)
        return replace(copy.deepcopy(bill), purchase_order_number=order.number if order else "")


class FakeSupplierPayments(_Repository):
    async def add(self, payment: SupplierPayment) -> None:
        allocations = [replace(a, amount=kept(a.amount)) for a in payment.allocations]
        self.state.supplier_payments[payment.id] = replace(
            copy.deepcopy(payment),
            amount=kept(payment.amount),
            unapplied=kept(payment.unapplied),
            allocations=allocations,
        )

    async def get(self, payment_id: str) -> SupplierPayment | None:
        found = self.state.supplier_payments.get(payment_id)
        return None if found is None else self._read(found)

    async def locked(self, payment_id: str) -> SupplierPayment | None:
        return await self.get(payment_id)

    async def apply(self, payment: SupplierPayment, allocation: SupplierAllocation) -> None:
        kept_payment = self.state.supplier_payments[payment.id]
        kept_payment.unapplied = kept(payment.unapplied)
        kept_payment.allocations.append(replace(allocation, amount=kept(allocation.amount)))

    async def page(
        self, supplier_id: str, bill_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[SupplierPayment]:
        found = [
            p
            for p in self.state.supplier_payments.values()
            if (not supplier_id or p.supplier_id == supplier_id)
            and (not bill_id or any(a.bill_id == bill_id for a in p.allocations))
            and (after is None or (p.recorded_at, p.id) < after)
        ]
        found.sort(key=lambda p: (p.recorded_at, p.id), reverse=True)
        return [self._read(p) for p in found[:limit]]

    def _read(self, payment: SupplierPayment) -> SupplierPayment:
        bills = self.state.bills
        allocations = [
            replace(a, supplier_reference=bills[a.bill_id].supplier_reference)
            for a in payment.allocations
        ]
        return replace(copy.deepcopy(payment), allocations=allocations)


class FakeExchangeRates(_Repository):
    async def get(self, base: str, quote: str, day: date) -> SetRate | None:
        return self.state.rates.get((base, quote, day))

    async def put(self, rate: SetRate) -> None:
        value = replace(rate.rate, rate=rate.rate.rate.quantize(TWELVE))
        key = (rate.rate.base, rate.rate.quote, rate.rate.effective_from)
        self.state.rates[key] = replace(rate, rate=value)

    async def rate_on(self, base: str, quote: str, day: date) -> Decimal | None:
        found = [
            r for (b, q, d), r in self.state.rates.items() if (b, q) == (base, quote) and d <= day
        ]
        return max(found, key=lambda r: r.rate.effective_from).rate.rate if found else None

    async def in_force(self, base: str, quote: str, day: date) -> Rate | None:
        found = [
            r for (b, q, d), r in self.state.rates.items() if (b, q) == (base, quote) and d <= day
        ]
        return max(found, key=lambda r: r.rate.effective_from).rate if found else None

    async def page(
        self, base: str, quote: str, after: tuple[date, str, str] | None, limit: int
    ) -> list[SetRate]:
        keys = sorted(
            (
                (d, b, q)
                for b, q, d in self.state.rates
                if (not base or b == base)
                and (not quote or q == quote)
                and (after is None or (d, b, q) < after)
            ),
            reverse=True,
        )
        return [self.state.rates[(b, q, d)] for d, b, q in keys[:limit]]


# Reports, change log, requests, numbers -------------------------------------------------------


def _open(total: Money, *taken: Decimal) -> Money:
    return Money(max(total.amount - sum(taken, Decimal(0)), Decimal(0)), total.currency).rounded()


class FakeLedger(_Repository):
    async def receivables(
        self, end: datetime, customer_id: str
    ) -> tuple[list[AgedItem], dict[tuple[str, str], Money]]:
        allocations = [a for p in self.state.payments.values() for a in p.allocations]
        items = []
        for i in self.state.invoices.values():
            if i.issued_at >= end or (customer_id and i.customer_id != customer_id):
                continue
            paid = sum(
                (
                    a.amount.amount
                    for a in allocations
                    if a.invoice_id == i.id
                    and a.allocated_at < end
                    and (a.unallocated_at is None or a.unallocated_at >= end)
                ),
                Decimal(0),
            )
            credited = sum(
                (
                    (n.total - n.unapplied).amount
                    for n in self.state.credit_notes.values()
                    if n.invoice_id == i.id and n.issued_at < end
                ),
                Decimal(0),
            )
            items.append(AgedItem(i.customer_id, i.due_date, _open(i.total, paid, credited)))
        credits: dict[tuple[str, str], Money] = {}
        for customer, currency, change, _, _, at in self.state.credit_entries:
            if at < end and (not customer_id or customer == customer_id):
                key = (customer, currency)
                credits[key] = credits.get(key, Money.zero(currency)) + change
        return items, {key: money.rounded() for key, money in credits.items()}

    async def payables(
        self, end: datetime, supplier_id: str
    ) -> tuple[list[AgedItem], dict[tuple[str, str], Money]]:
        payments = [p for p in self.state.supplier_payments.values() if p.recorded_at < end]
        items = []
        for b in self.state.bills.values():
            if b.recorded_at >= end or (supplier_id and b.supplier_id != supplier_id):
                continue
            paid = sum(
                (
                    a.amount.amount
                    for p in self.state.supplier_payments.values()
                    for a in p.allocations
                    if a.bill_id == b.id and a.allocated_at < end
                ),
                Decimal(0),
            )
            items.append(AgedItem(b.supplier_id, b.due_date, _open(b.total, paid)))
        advances: dict[tuple[str, str], Money] = {}
        for p in payments:
            if not supplier_id or p.supplier_id == supplier_id:
                key = (p.supplier_id, p.unapplied.currency)
                advances[key] = advances.get(key, Money.zero(key[1])) + p.unapplied
        return items, {key: money.rounded() for key, money in advances.items()}

    async def revenue(self, start: datetime, end: datetime) -> list[Entry]:
        def channel(invoice: Invoice) -> str:
            if not invoice.order_id:
                return QUOTE
            order = self.state.orders.get(invoice.order_id)
            return order.channel if order is not None else ""

        entries = [
            Entry(
                i.issued_at.astimezone(UTC).date(),
                channel(i),
                i.total,
                tax=sum((t.amount.amount for t in i.taxes), Decimal(0))
                if i.taxes
                else document_tax(i.document),
            )
            for i in self.state.invoices.values()
            if start <= i.issued_at < end
        ]
        for n in self.state.credit_notes.values():
            if start <= n.issued_at < end:
                kind = channel(self.state.invoices[n.invoice_id]) if n.invoice_id else UNASSIGNED
                tax = sum((t.amount.amount for t in n.taxes), Decimal(0))
                entries.append(Entry(n.issued_at.astimezone(UTC).date(), kind, n.total, True, tax))
        return entries


class FakeAudit(_Repository):
    async def record(
        self,
        entity_type: str,
        entity_id: str,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        actor = current_principal().subject
        change = Change(entity_type, entity_id, action, actor, before, after)
        self.state.changes.append(change)


class FakeRequests(_Repository):
    async def claim(self, operation: str, retry: Retry) -> str | None:
        if not retry.request_id:
            return None
        if len(retry.request_id) > MAX_REQUEST_ID:
            raise InvalidArgument.of("request_id", f"at most {MAX_REQUEST_ID} characters")
        key = (operation, retry.request_id)
        if key not in self.state.requests:
            self.state.requests[key] = (retry.fingerprint, None)
            return None
        fingerprint, result = self.state.requests[key]
        if fingerprint != retry.fingerprint or result is None:
            raise AlreadyExists(
                "this request_id was used for a different request",
                (FieldViolation("request_id", "already used with other content"),),
            )
        return result

    async def complete(self, operation: str, retry: Retry, result_id: str) -> None:
        if retry.request_id:
            key = (operation, retry.request_id)
            self.state.requests[key] = (self.state.requests[key][0], result_id)


class FakeNumbers(_Repository):
    async def next(self, series: str, year: int) -> int:
        assert series in (INVOICES, CREDIT_NOTES)
        number = self.state.numbers.get((series, year), 0) + 1
        self.state.numbers[(series, year)] = number
        return number

    async def take_turn(self, series: str) -> None:
        # one process, no counter to wait for: what had been written when the turn was taken
        assert series in (INVOICES, CREDIT_NOTES)
        self.state.turns.append((series, len(self.state.published), len(self.state.parked)))


class FakePrinter:
    """Prints what it was given, so a test sees which figures reached the paper."""

    def invoice(self, invoice: Invoice, customer_name: str) -> bytes:
        return f"invoice {invoice.number} for {customer_name or invoice.customer_id}".encode()

    def credit_note(self, note: CreditNote, customer_name: str) -> bytes:
        return f"credit note {note.number} for {customer_name or note.customer_id}".encode()


class FakeDunning(_Repository):
    async def open_invoices(
        self, due_before: date, customer_id: str, *, lock: bool = False
    ) -> list[OpenInvoice]:
        return [
            OpenInvoice(
                i.id,
                i.number,
                i.customer_id,
                i.due_date,
                (i.total - i.amount_paid - i.amount_credited).rounded(),
            )
            for i in self.state.invoices.values()
            if i.status in (OPEN, PARTIALLY_PAID)
            and i.due_date < due_before
            and (not customer_id or i.customer_id == customer_id)
        ]

    async def levels_sent(self, invoice_ids: Sequence[str]) -> dict[str, int]:
        sent: dict[str, int] = {}
        for reminder in self.state.reminders:
            for item in reminder.invoices:
                if item.invoice_id in invoice_ids:
                    sent[item.invoice_id] = max(sent.get(item.invoice_id, 0), item.level_sent)
        return sent

    async def add_reminder(self, reminder: Reminder) -> None:
        sent = {(i.invoice_id, i.level_sent) for r in self.state.reminders for i in r.invoices}
        if any((i.invoice_id, i.level_sent) in sent for i in reminder.invoices):
            raise AlreadyExists("an invoice reminded at this level already")
        self.state.reminders.append(reminder)

    async def reminders(
        self, customer_id: str, reminder_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[Reminder]:
        found = sorted(
            (
                r
                for r in self.state.reminders
                if (not customer_id or r.customer_id == customer_id)
                and (not reminder_id or r.id == reminder_id)
                and (after is None or (r.sent_at, r.id) < after)
            ),
            key=lambda r: (r.sent_at, r.id),
            reverse=True,
        )
        return found[:limit]

    async def names(self, customer_ids: Sequence[str]) -> dict[str, str]:
        return {c: self.state.customers[c].name for c in customer_ids if c in self.state.customers}

    async def holds(self, *, lock: bool = False) -> list[CreditHold]:
        return [self.state.holds[c] for c in sorted(self.state.holds)]

    async def put_hold(self, hold: CreditHold) -> bool:
        if hold.customer_id in self.state.holds:
            return False
        self.state.holds[hold.customer_id] = hold
        return True

    async def drop_hold(self, customer_id: str) -> None:
        self.state.holds.pop(customer_id, None)

    async def settled(self, invoice_ids: Sequence[str]) -> set[str]:
        return {
            i
            for i in invoice_ids
            if i in self.state.invoices
            and self.state.invoices[i].status not in (OPEN, PARTIALLY_PAID)
        }
