"""What billing's use cases need, as Protocols: a repository per aggregate, the unit of work that
holds them in one transaction with the outbox, the change log and the requests already done, the
reports read from billing's own records, and the printer. Nothing concrete here: `adapters/`
implements these, `tests/unit/fakes.py` fakes them.

Locks: a repository method that says "locked" holds its rows until the unit of work ends. Use
cases take them in one order -- the request id, a payment's natural key, invoices (by number),
the credit note sequence, the customer's credit, the customer's balance -- so two never wait on
each other.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Protocol, Self

from billing.application.dunning_ports import DunningRepository
from billing.application.retries import Retry
from billing.domain.bills import Bill, PurchaseOrderCopy, Receipt
from billing.domain.credit_notes import CreditNote
from billing.domain.customers import Customer
from billing.domain.events import DomainEvent
from billing.domain.exchange import Rate, SetRate
from billing.domain.invoices import Invoice
from billing.domain.orders import OrderCopy, Shipment
from billing.domain.payments import Payment
from billing.domain.receivables import AgedItem
from billing.domain.returns import Return
from billing.domain.revenue import Entry
from billing.domain.supplier_payments import SupplierAllocation, SupplierPayment
from pricing.money import Money

# The gap-free number series (one counter per series and year).
INVOICES, CREDIT_NOTES = "invoice", "credit_note"


class InvoiceRepository(Protocol):
    async def add(self, invoice: Invoice) -> None:
        """A second invoice for one shipment or quote fails (the first one's transaction won)."""

    async def get(self, invoice_id: str, *, lock: bool = False) -> Invoice | None: ...
    async def of_shipment(self, shipment_id: str) -> Invoice | None: ...

    async def of_order(self, order_id: str) -> list[Invoice]:
        """The order's invoices, oldest (lowest number) first, locked."""

    async def lock_of_order(self, order_id: str) -> None:
        """Locks the order's invoices, as `of_order` does, without reading them."""

    async def locked(self, invoice_ids: Collection[str]) -> dict[str, Invoice]:
        """Those of the invoices that exist, locked in the order of their numbers."""

    async def open_of(self, customer_id: str, currency: str) -> dict[str, Invoice]:
        """The customer's open and partly paid invoices in `currency`, locked by number."""

    async def falling_overdue(self, today: date, limit: int) -> list[Invoice]:
        """Open or partly paid invoices due before `today`, not yet announced overdue, by due
        date then number; locked, skipping those another transaction holds."""

    async def save(self, invoice: Invoice) -> None: ...

    async def page(self, order_id: str, before: str, limit: int) -> list[Invoice]:
        """Newest (highest number) first, after the number `before` ("" from the start)."""


class CreditNoteRepository(Protocol):
    async def add(self, note: CreditNote) -> None: ...
    async def get(self, credit_note_id: str) -> CreditNote | None: ...

    async def credited_against(self, invoice_id: str) -> Decimal:
        """What credit notes credited against the invoice so far, applied or not."""

    async def page(
        self, order_id: str, customer_id: str, before: str, limit: int
    ) -> list[CreditNote]:
        """Newest (highest number) first, after the number `before` ("" from the start)."""


class PaymentRepository(Protocol):
    async def add(self, payment: Payment) -> bool:
        """False when money received under the customer's reference is recorded already (then
        nothing is added); until the unit of work ends a second one waits for this one."""

    async def of_reference(self, customer_id: str, reference: str) -> Payment:
        """The payment money received under the customer's reference was recorded as."""

    async def get(self, payment_id: str) -> Payment | None: ...

    async def lock_active(self, allocation_ids: Collection[str]) -> int:
        """Locks those of the allocations still in force; how many they are."""

    async def save(self, payment: Payment) -> None: ...

    async def page(
        self, invoice_id: str, customer_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[Payment]:
        """Newest first, after the (recorded_at, id) of the last one seen; by invoice, both
        those recorded against it and those allocated to it."""


class OrderCopyRepository(Protocol):
    async def add(self, copy: OrderCopy) -> bool:
        """False when the order was copied already (nothing changes)."""

    async def get(self, order_id: str, *, lock: bool = False) -> OrderCopy | None: ...
    async def save(self, copy: OrderCopy) -> None:
        """Its cancellation, its lines (counts, quantities, new and gone ones) and its
        document, as changed since it was read."""

    async def hold(self, order_id: str) -> None:
        """Makes this transaction, until it ends, the only one at work on the order's copy (which
        may not exist yet): a shipment parked for the order and the order's own arrival, applied
        at once from two topics, cannot miss each other."""

    async def park(self, shipment: Shipment) -> None:
        """Keeps a shipment that arrived before its order (once)."""

    async def unpark(self, order_id: str) -> list[Shipment]:
        """Takes back the order's shipments that waited for it."""

    async def count(self, shipment: Shipment) -> bool:
        """Notes a shipment of an order billed whole; False when it was counted already."""


class ReturnRepository(Protocol):
    async def claim(self, back: Return) -> bool:
        """Keeps a return received, pending; False when it was received already."""

    async def waiting(self, order_id: str) -> list[Return]:
        """The order's returns still pending, in the order they arrived."""

    async def settle(self, return_id: str, outcome: str, detail: str) -> None: ...
    async def settle_waiting(self, order_id: str, outcome: str, detail: str) -> None: ...


class CustomerRepository(Protocol):
    async def keep(self, customer: Customer) -> None: ...
    async def get(self, customer_id: str) -> Customer | None: ...


class AccountRepository(Protocol):
    """Each customer's open balance and credit, per currency: every change adds to the row under
    its lock, so changes (and their events) leave in the order they happened."""

    async def move_balance(self, customer_id: str, change: Money) -> Money:
        """Adds `change` to what the customer owes; gives the new figure."""

    async def balances(self, customer_id: str) -> list[Money]: ...

    async def credit(self, customer_id: str, currency: str) -> Money:
        """The customer's unused credit in `currency`, locked."""

    async def move_credit(
        self, customer_id: str, change: Money, source: str, source_id: str, at: datetime
    ) -> Money:
        """Adds `change` to the customer's credit and to its history; gives the new figure."""

    async def credits(self, customer_id: str) -> list[Money]: ...


class PurchaseOrderRepository(Protocol):
    async def add(self, copy: PurchaseOrderCopy) -> bool:
        """False when the purchase order was copied already (nothing changes)."""

    async def get(self, purchase_order_id: str, *, lock: bool = False) -> PurchaseOrderCopy | None:
        """Locked, two bills of one order are matched one after the other."""

    async def receive(self, receipt: Receipt) -> None:
        """Counts goods received, once per receipt (even before the order's copy)."""

    async def cancel_units(self, copy: PurchaseOrderCopy) -> None:
        """Keeps the units the copy's lines cancelled."""

    async def received(self, purchase_order_id: str) -> dict[str, int]:
        """Units received by product."""


class BillRepository(Protocol):
    async def add(self, bill: Bill) -> None:
        """ALREADY_EXISTS on supplier_reference when the supplier's reference was just taken."""

    async def get(self, bill_id: str, *, lock: bool = False) -> Bill | None: ...

    async def with_reference(self, supplier_id: str, reference: str) -> str | None:
        """The bill recorded under the supplier's reference, if any."""

    async def billed(self, purchase_order_id: str) -> dict[str, int]:
        """Units billed by product, by every bill of the order."""

    async def locked(self, bill_ids: Collection[str]) -> dict[str, Bill]:
        """Those of the bills that exist, locked by id."""

    async def payable_of(self, supplier_id: str, currency: str) -> dict[str, Bill]:
        """The supplier's open and partly paid bills in `currency`, locked by id."""

    async def save(self, bill: Bill) -> None: ...

    async def page(
        self,
        purchase_order_id: str,
        supplier_id: str,
        status: str,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Bill]:
        """Newest first, after the (recorded_at, id) of the last one seen."""


class SupplierPaymentRepository(Protocol):
    async def add(self, payment: SupplierPayment) -> None: ...
    async def get(self, payment_id: str) -> SupplierPayment | None: ...
    async def locked(self, payment_id: str) -> SupplierPayment | None:
        """The payment, locked until the transaction ends (its advance is applied once)."""

    async def apply(self, payment: SupplierPayment, allocation: SupplierAllocation) -> None:
        """Keeps a new allocation of the payment's advance and what is left unapplied."""

    async def page(
        self, supplier_id: str, bill_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[SupplierPayment]:
        """Newest first, after the (recorded_at, id) of the last one seen."""


class ExchangeRateRepository(Protocol):
    async def get(self, base: str, quote: str, day: date) -> SetRate | None:
        """The pair's rate set for that very day, locked."""

    async def put(self, rate: SetRate) -> None:
        """Sets (or replaces) the pair's rate for its day."""

    async def rate_on(self, base: str, quote: str, day: date) -> Decimal | None:
        """The rate in force on `day`: the latest set from that day or before."""

    async def in_force(self, base: str, quote: str, day: date) -> Rate | None:
        """The pair's rate in force on `day` with the day it was set for."""

    async def page(
        self, base: str, quote: str, after: tuple[date, str, str] | None, limit: int
    ) -> list[SetRate]:
        """Latest day first, then by pair (descending), after the key of the last one seen."""


class Ledger(Protocol):
    """Billing's records as the reports read them, as of an instant."""

    async def receivables(
        self, end: datetime, customer_id: str
    ) -> tuple[list[AgedItem], dict[tuple[str, str], Money]]:
        """Each invoice issued before `end` with what was open on it then (less the allocations
        in force and the credit notes applied by then), and each customer's credit then."""

    async def payables(
        self, end: datetime, supplier_id: str
    ) -> tuple[list[AgedItem], dict[tuple[str, str], Money]]:
        """Each bill recorded before `end` with what was open on it then, and each supplier's
        advances then."""

    async def revenue(self, start: datetime, end: datetime) -> list[Entry]:
        """Invoices and credit notes issued from `start` to before `end`, by channel."""


class AuditTrail(Protocol):
    async def record(
        self,
        entity_type: str,
        entity_id: str,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        """A change in the change log, under the current principal."""


class Requests(Protocol):
    async def claim(self, operation: str, retry: Retry) -> str | None:
        """The first result's id when the request was done already; None when this unit of
        work now owns it (or it has no id). ALREADY_EXISTS for the id with other content."""

    async def complete(self, operation: str, retry: Retry, result_id: str) -> None: ...


class Numbers(Protocol):
    async def next(self, series: str, year: int) -> int:
        """The year's next number in the series, without gaps: taken back on rollback."""

    async def take_turn(self, series: str) -> None:
        """Called before a reaction that may take a number writes anything: where the store
        cannot wait for the series' counter at that point (a batch of events holding its
        earlier events' locks), it takes the counter now or refuses at once, so nothing is
        left half-written; elsewhere, nothing (the number waits its turn)."""


class UnitOfWork(Protocol):
    """One transaction: its repositories, the events it publishes (outbox), its change log and
    the requests it completes, all committed together or not at all."""

    @property
    def invoices(self) -> InvoiceRepository: ...
    @property
    def credit_notes(self) -> CreditNoteRepository: ...
    @property
    def payments(self) -> PaymentRepository: ...
    @property
    def orders(self) -> OrderCopyRepository: ...
    @property
    def returns(self) -> ReturnRepository: ...
    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def purchase_orders(self) -> PurchaseOrderRepository: ...
    @property
    def bills(self) -> BillRepository: ...
    @property
    def supplier_payments(self) -> SupplierPaymentRepository: ...
    @property
    def rates(self) -> ExchangeRateRepository: ...
    @property
    def dunning(self) -> DunningRepository: ...
    @property
    def ledger(self) -> Ledger: ...
    @property
    def audit(self) -> AuditTrail: ...
    @property
    def requests(self) -> Requests: ...
    @property
    def numbers(self) -> Numbers: ...

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        """Adds the events to the outbox, in order: they leave once the unit of work commits."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Commits when the block ends normally, rolls back when it raises."""


class Printer(Protocol):
    def invoice(self, invoice: Invoice, customer_name: str) -> bytes: ...
    def credit_note(self, note: CreditNote, customer_name: str) -> bytes: ...
