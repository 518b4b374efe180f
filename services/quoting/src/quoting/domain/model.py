"""A quote: what a salesperson offers a customer, priced by the engine, and its lifecycle.
Each transition returns the events it causes. Plain Python; how content becomes a priced
document is `quoting.domain.build`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pricing.document import PricedDocument
from pricing.money import Money
from quoting.domain.content import QuoteContent
from quoting.domain.events import (
    QuoteAccepted,
    QuoteCreated,
    QuoteEvent,
    QuoteExpired,
    QuoteRejected,
    QuoteRevised,
    QuoteSent,
)
from quoting.domain.limits import REJECTION_REASON
from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument


class Status(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"


# Quotes the expiry job looks at: still open.
OPEN = (Status.DRAFT, Status.SENT)


class ConvertTo(StrEnum):
    SALES_ORDER = "sales_order"
    INVOICE = "invoice"


def quote_number(year: int, sequence: int) -> str:
    """The quote number of the year's `sequence`th: "Q-2026-000001"."""
    return f"Q-{year}-{sequence:06d}"


@dataclass
class Quote:
    """The quote's current state; `content` and `document` are those of `version`."""

    id: str
    version: int
    latest_version: int
    status: Status
    content: QuoteContent
    document: PricedDocument
    created_at: datetime
    created_by: str
    updated_at: datetime
    converted_to: str = ""
    converted_id: str = ""
    rejection_reason: str = ""
    # The sales team of whoever created it: whose manager sees it (servicekit.sales_reach).
    team: str = ""
    # Gap-free per year ("Q-2026-000001"); empty for a quote made before quotes were numbered.
    number: str = ""
    # Accepted, but its sales order stalled (orders' SalesOrderStalled): why; "" otherwise.
    order_stalled: str = ""

    @classmethod
    def create(
        cls,
        quote_id: str,
        content: QuoteContent,
        document: PricedDocument,
        at: datetime,
        by: str,
        team: str,
    ) -> tuple[Quote, list[QuoteEvent]]:
        """A first draft, version 1."""
        quote = cls(quote_id, 1, 1, Status.DRAFT, content, document, at, by, at, team=team)
        created = QuoteCreated(quote_id, content.customer_id, content.salesperson, quote.total)
        return quote, [created]

    @property
    def salesperson(self) -> str:
        return self.content.salesperson

    @property
    def valid_until(self) -> date:
        return date.fromisoformat(self.content.valid_until)

    @property
    def total(self) -> Money:
        return self.document.total

    def _require(self, *allowed: Status, doing: str) -> None:
        if self.status not in allowed:
            names = " or ".join(s.value for s in allowed)
            raise FailedPrecondition(
                f"quote {self.id} is {self.status.value}; only a {names} quote can be {doing}",
                (FieldViolation("status", f"is {self.status.value}"),),
            )

    def _require_valid(self, today: date) -> None:
        if today > self.valid_until:
            raise FailedPrecondition(
                f"quote {self.id} expired on {self.valid_until.isoformat()}",
                (FieldViolation("valid_until", f"passed on {self.valid_until.isoformat()}"),),
            )

    def update(self, content: QuoteContent, document: PricedDocument) -> list[QuoteEvent]:
        """A draft's content replaced; nothing is announced until it is sent."""
        self._require(Status.DRAFT, doing="changed")
        self.content, self.document = content, document
        return []

    def send(self, today: date) -> list[QuoteEvent]:
        self._require(Status.DRAFT, doing="sent")
        self._require_valid(today)
        self.status = Status.SENT
        customer_id = self.content.customer_id
        return [QuoteSent(self.id, self.version, customer_id, self.total, self.valid_until)]

    def revise(self, content: QuoteContent, document: PricedDocument) -> list[QuoteEvent]:
        """A new draft version; the previous one stays as it was."""
        self._require(Status.SENT, Status.REJECTED, Status.EXPIRED, doing="revised")
        previous = self.version
        self.latest_version += 1
        self.version = self.latest_version
        self.content, self.document = content, document
        self.status = Status.DRAFT
        self.rejection_reason = ""
        return [QuoteRevised(self.id, self.version, previous)]

    def accept(self, convert_to: str, today: date) -> list[QuoteEvent]:
        """Accepted, to become a sales order or an invoice with the id the event names."""
        try:
            target = ConvertTo(convert_to or ConvertTo.SALES_ORDER)
        except ValueError as error:
            raise InvalidArgument.of("convert_to", "sales_order or invoice") from error
        self._require(Status.SENT, doing="accepted")
        self._require_valid(today)
        if target is ConvertTo.INVOICE:
            self._refuse_goods_to_invoice()
        self.status = Status.ACCEPTED
        self.converted_to, self.converted_id = target.value, str(uuid.uuid4())
        return [
            QuoteAccepted(
                quote_id=self.id,
                version=self.version,
                customer_id=self.content.customer_id,
                salesperson=self.content.salesperson,
                convert_to=self.converted_to,
                target_id=self.converted_id,
                document=self.document,
                payment_terms=self.content.payment_terms,
                team=self.team,
            )
        ]

    def _refuse_goods_to_invoice(self) -> None:
        """An invoice straight from a quote takes nothing out of stock: a quote holding stocked
        goods (or kits of them) becomes a sales order, whose shipments take the goods out."""
        goods = [
            line.sku or line.product_id
            for line in self.document.lines
            if line.kind in ("stocked", "kit")
        ]
        if goods:
            raise InvalidArgument.of(
                "convert_to",
                "a quote holding stocked goods becomes a sales order, whose shipments take them "
                f"out of stock, not an invoice: {', '.join(goods)}",
            )

    def reject(self, reason: str) -> list[QuoteEvent]:
        if len(reason) > REJECTION_REASON:
            raise InvalidArgument.of("reason", f"at most {REJECTION_REASON} characters")
        self._require(Status.SENT, doing="rejected")
        self.status = Status.REJECTED
        self.rejection_reason = reason.strip()
        return [QuoteRejected(self.id, self.version, reason)]

    def expire(self, today: date) -> list[QuoteEvent]:
        """Expired when the validity date has passed and the quote was still open; else
        nothing happens."""
        if self.status in OPEN and today > self.valid_until:
            self.status = Status.EXPIRED
            return [QuoteExpired(self.id, self.version, self.valid_until)]
        return []
