"""The events orders consumes: each wire event mapped to its reaction, run in the consumer's
transaction (with its inbox row). An event a reaction can never apply is dead-lettered at once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from functools import wraps
from typing import Any, Protocol, TypeVar

from google.protobuf.message import Message

from messaging.consumer import PoisonEvent, Subscription
from messaging.envelope import Envelope
from oms.events.v1 import billing_pb2, inventory_pb2, quoting_pb2
from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions import (
    on_backorder_allocated,
    on_credit_note_issued,
    on_customer_balance_changed,
    on_customer_credit_hold_changed,
    on_exchange_rate_set,
    on_invoice_issued,
    on_invoice_paid,
    on_invoice_reopened,
    on_quote_accepted,
    on_reservation_released,
    on_return_received,
    on_shipment_dispatched,
    on_shipment_status_changed,
    on_stock_partially_reserved,
    on_stock_rejected,
    on_stock_reserved,
)
from orders.application.reactions.saga import EventNotApplicable, units_per_line
from orders.entrypoints.stalled import Stalling
from pricing.document import InvalidDocument
from pricing.money import InvalidMoney
from pricing.wire import document_from_proto, money_from_proto
from servicekit.db import Transaction
from servicekit.errors import FailedPrecondition

M = TypeVar("M", bound=Message)
Handler = Callable[[Transaction, M, Envelope], Awaitable[None]]


class _LineUnits(Protocol):
    @property
    def line_id(self) -> str: ...
    @property
    def quantity(self) -> int: ...


def _units(lines: Iterable[_LineUnits]) -> dict[str, int]:
    return units_per_line((line.line_id, int(line.quantity)) for line in lines)


def _dead_letter_refusals(handler: Handler[M]) -> Handler[M]:
    """What the order's rules refuse, or a reaction cannot apply, never will be: no retries."""

    @wraps(handler)
    async def handle(session: Transaction, event: M, envelope: Envelope) -> None:
        try:
            await handler(session, event, envelope)
        except (EventNotApplicable, ValueError, FailedPrecondition) as error:
            raise PoisonEvent(str(error)) from error

    return handle


class UnitsOfWork(Protocol):
    def joining(self, session: Transaction) -> UnitOfWork:
        """A unit of work inside the consumer's open transaction."""
        ...


class Subscriptions:
    def __init__(self, deps: Deps, units: UnitsOfWork) -> None:
        self.deps = deps
        self.units = units

    def all(self) -> list[Subscription[Any]]:
        routes: list[tuple[type[Message], Handler[Any]]] = [
            (inventory_pb2.StockReserved, self.stock_reserved),
            (inventory_pb2.StockRejected, self.stock_rejected),
            (inventory_pb2.StockPartiallyReserved, self.stock_partially_reserved),
            (inventory_pb2.BackorderAllocated, self.backorder_allocated),
            (inventory_pb2.ReservationReleased, self.reservation_released),
            (inventory_pb2.ShipmentDispatched, self.shipment_dispatched),
            (inventory_pb2.ShipmentStatusChanged, self.shipment_status_changed),
            (inventory_pb2.ReturnReceived, self.return_received),
            (billing_pb2.InvoiceIssued, self.invoice_issued),
            (billing_pb2.InvoicePaid, self.invoice_paid),
            (billing_pb2.InvoiceReopened, self.invoice_reopened),
            (billing_pb2.CreditNoteIssued, self.credit_note_issued),
            (quoting_pb2.QuoteAccepted, self.quote_accepted),
            (billing_pb2.CustomerBalanceChanged, self.customer_balance_changed),
            (billing_pb2.ExchangeRateSet, self.exchange_rate_set),
            (billing_pb2.CustomerCreditHoldChanged, self.customer_credit_hold_changed),
        ]
        stalling = Stalling(self.units.joining)
        return [
            Subscription(kind, _dead_letter_refusals(handler), on_dead_letter=stalling)
            for kind, handler in routes
        ]

    async def stock_reserved(
        self, session: Transaction, event: inventory_pb2.StockReserved, envelope: Envelope
    ) -> None:
        uow = self.units.joining(session)
        await on_stock_reserved.on_stock_reserved(
            self.deps, uow, event.order_id, _units(event.lines)
        )

    async def stock_partially_reserved(
        self,
        session: Transaction,
        event: inventory_pb2.StockPartiallyReserved,
        envelope: Envelope,
    ) -> None:
        await on_stock_partially_reserved.on_stock_partially_reserved(
            self.deps,
            self.units.joining(session),
            event.order_id,
            _units(event.reserved),
            _units(event.backordered),
        )

    async def backorder_allocated(
        self, session: Transaction, event: inventory_pb2.BackorderAllocated, envelope: Envelope
    ) -> None:
        await on_backorder_allocated.on_backorder_allocated(
            self.deps,
            self.units.joining(session),
            event.order_id,
            _units(event.lines),
            event.complete,
        )

    async def reservation_released(
        self, session: Transaction, event: inventory_pb2.ReservationReleased, envelope: Envelope
    ) -> None:
        await on_reservation_released.on_reservation_released(
            self.deps, self.units.joining(session), event.order_id, event.reason
        )

    async def stock_rejected(
        self, session: Transaction, event: inventory_pb2.StockRejected, envelope: Envelope
    ) -> None:
        await on_stock_rejected.on_stock_rejected(
            self.deps, self.units.joining(session), event.order_id, event.reason
        )

    async def shipment_dispatched(
        self, session: Transaction, event: inventory_pb2.ShipmentDispatched, envelope: Envelope
    ) -> None:
        await on_shipment_dispatched.on_shipment_dispatched(
            self.deps,
            self.units.joining(session),
            event.order_id,
            event.shipment_id,
            _units(event.lines),
        )

    async def shipment_status_changed(
        self, session: Transaction, event: inventory_pb2.ShipmentStatusChanged, envelope: Envelope
    ) -> None:
        await on_shipment_status_changed.on_shipment_status_changed(
            self.deps,
            self.units.joining(session),
            event.order_id,
            event.shipment_id,
            event.from_status,
            event.to_status,
        )

    async def return_received(
        self, session: Transaction, event: inventory_pb2.ReturnReceived, envelope: Envelope
    ) -> None:
        await on_return_received.on_return_received(
            self.deps,
            self.units.joining(session),
            event.order_id,
            event.return_id,
            _units(event.lines),
        )

    async def invoice_issued(
        self, session: Transaction, event: billing_pb2.InvoiceIssued, envelope: Envelope
    ) -> None:
        await on_invoice_issued.on_invoice_issued(
            self.deps, self.units.joining(session), event.order_id, event.covers_order
        )

    async def invoice_paid(
        self, session: Transaction, event: billing_pb2.InvoicePaid, envelope: Envelope
    ) -> None:
        await on_invoice_paid.on_invoice_paid(
            self.deps, self.units.joining(session), event.order_id
        )

    async def invoice_reopened(
        self, session: Transaction, event: billing_pb2.InvoiceReopened, envelope: Envelope
    ) -> None:
        balance = f"{event.balance.amount} {event.balance.currency}"
        await on_invoice_reopened.on_invoice_reopened(
            self.deps, self.units.joining(session), event.order_id, event.invoice_id, balance
        )

    async def credit_note_issued(
        self, session: Transaction, event: billing_pb2.CreditNoteIssued, envelope: Envelope
    ) -> None:
        await on_credit_note_issued.on_credit_note_issued(
            self.deps,
            self.units.joining(session),
            event.order_id,
            event.number,
            f"{event.total.amount} {event.total.currency}",
            event.reason,
        )

    async def quote_accepted(
        self, session: Transaction, event: quoting_pb2.QuoteAccepted, envelope: Envelope
    ) -> None:
        if event.convert_to != on_quote_accepted.SALES_ORDER:
            return  # to be invoiced straight from the quote: billing's
        try:
            document = document_from_proto(event.document)
        except InvalidDocument as error:
            raise PoisonEvent(on_quote_accepted.not_as_stated(event.quote_id, error)) from error
        quote = on_quote_accepted.AcceptedQuote(
            quote_id=event.quote_id,
            customer_id=event.customer_id,
            salesperson=event.salesperson,
            team=event.team,
            order_id=event.target_id,
            document=document,
        )
        await on_quote_accepted.on_quote_accepted(self.deps, self.units.joining(session), quote)

    async def customer_balance_changed(
        self,
        session: Transaction,
        event: billing_pb2.CustomerBalanceChanged,
        envelope: Envelope,
    ) -> None:
        try:
            balance = money_from_proto(event.open_balance)
        except InvalidMoney as error:
            raise PoisonEvent(f"open_balance of {event.customer_id}: {error}") from error
        await on_customer_balance_changed.on_customer_balance_changed(
            self.deps, self.units.joining(session), event.customer_id, balance
        )

    async def customer_credit_hold_changed(
        self,
        session: Transaction,
        event: billing_pb2.CustomerCreditHoldChanged,
        envelope: Envelope,
    ) -> None:
        await on_customer_credit_hold_changed.on_customer_credit_hold_changed(
            self.deps, self.units.joining(session), event.customer_id, event.on_hold, event.reason
        )

    async def exchange_rate_set(
        self, session: Transaction, event: billing_pb2.ExchangeRateSet, envelope: Envelope
    ) -> None:
        await on_exchange_rate_set.on_exchange_rate_set(
            self.deps,
            self.units.joining(session),
            event.base_currency,
            event.quote_currency,
            event.rate,
            event.effective_from,
            envelope.time,
        )
