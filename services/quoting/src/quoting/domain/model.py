"""A quote: what a salesperson offers a customer, priced by the engine, and its lifecycle.
Each transition returns the events it causes. Plain Python; how content becomes a priced
document is `quoting.domain.build`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pricing.document import PricedDocument
from pricing.money import Money
from quoting.domain.approval import (
    APPROVAL_NOTE,
    BLOCKING,
    Approval,
    ApprovalStatus,
    Decision,
    assess,
)
from quoting.domain.content import QuoteContent
from quoting.domain.events import (
    QuoteAccepted,
    QuoteApprovalRequested,
    QuoteCreated,
    QuoteDiscountDecided,
    QuoteEvent,
    QuoteExpired,
    QuoteRejected,
    QuoteRevised,
    QuoteSent,
)
from quoting.domain.limits import REJECTION_REASON
from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument, PermissionDenied

# Discounts above this percentage of what they apply to need a sales manager's approval, unless
# QUOTING_DISCOUNT_APPROVAL_ABOVE says otherwise.
DEFAULT_APPROVAL_ABOVE = Decimal(20)


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
    # Whether its discounts need a sales manager's approval, and the decision
    # (quoting.domain.approval).
    approval: Approval = field(default_factory=Approval)

    @classmethod
    def create(
        cls,
        quote_id: str,
        content: QuoteContent,
        document: PricedDocument,
        at: datetime,
        by: str,
        team: str,
        approval_above: Decimal = DEFAULT_APPROVAL_ABOVE,
    ) -> tuple[Quote, list[QuoteEvent]]:
        """A first draft, version 1, its discounts assessed against `approval_above`."""
        quote = cls(quote_id, 1, 1, Status.DRAFT, content, document, at, by, at, team=team)
        created = QuoteCreated(quote_id, content.customer_id, content.salesperson, quote.total)
        return quote, [created, *quote._assess(approval_above)]

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

    def _assess(self, approval_above: Decimal) -> list[QuoteEvent]:
        """The approval the current content needs, from scratch (a decision was for the content
        it saw); a pending one is asked for."""
        self.approval = assess(self.document, approval_above)
        if self.approval.status is not ApprovalStatus.PENDING:
            return []
        return [
            QuoteApprovalRequested(
                self.id, self.version, self.salesperson, self.team, self.approval.reason, self.total
            )
        ]

    def _require_approval(self, doing: str) -> None:
        if self.approval.status in BLOCKING:
            status = self.approval.status.value
            raise FailedPrecondition(
                f"quote {self.id} cannot be {doing}: its discount approval is {status}",
                (FieldViolation("approval", f"is {status}: {self.approval.reason}"),),
            )

    def decide(self, decision: str, note: str, by: str, at: datetime) -> list[QuoteEvent]:
        """A sales manager approves or rejects the pending discounts; never the quote's own
        salesperson or creator."""
        try:
            chosen = Decision(decision)
        except ValueError as error:
            raise InvalidArgument.of("decision", "approve or reject") from error
        if len(note) > APPROVAL_NOTE:
            raise InvalidArgument.of("note", f"at most {APPROVAL_NOTE} characters")
        if by in (self.salesperson, self.created_by):
            raise PermissionDenied(
                f"quote {self.id} is yours: another sales manager decides its discounts",
                (FieldViolation("approval", "no one approves their own quote"),),
            )
        if self.approval.status is not ApprovalStatus.PENDING:
            status = self.approval.status.value
            raise FailedPrecondition(
                f"quote {self.id}'s discount approval is {status}, not pending",
                (FieldViolation("approval", f"is {status}"),),
            )
        status = ApprovalStatus.APPROVED if chosen is Decision.APPROVE else ApprovalStatus.REJECTED
        self.approval = Approval(status, self.approval.reason, by, at, note.strip())
        return [QuoteDiscountDecided(self.id, self.version, status.value, by, note.strip())]

    def update(
        self,
        content: QuoteContent,
        document: PricedDocument,
        approval_above: Decimal = DEFAULT_APPROVAL_ABOVE,
    ) -> list[QuoteEvent]:
        """A draft's content replaced; nothing is announced until it is sent, except that its
        discounts need approval (again)."""
        self._require(Status.DRAFT, doing="changed")
        self.content, self.document = content, document
        return self._assess(approval_above)

    def send(self, today: date) -> list[QuoteEvent]:
        self._require(Status.DRAFT, doing="sent")
        self._require_valid(today)
        self._require_approval("sent")
        self.status = Status.SENT
        customer_id = self.content.customer_id
        return [QuoteSent(self.id, self.version, customer_id, self.total, self.valid_until)]

    def revise(
        self,
        content: QuoteContent,
        document: PricedDocument,
        approval_above: Decimal = DEFAULT_APPROVAL_ABOVE,
    ) -> list[QuoteEvent]:
        """A new draft version, its discounts assessed anew; the previous one stays as it was."""
        self._require(Status.SENT, Status.REJECTED, Status.EXPIRED, doing="revised")
        previous = self.version
        self.latest_version += 1
        self.version = self.latest_version
        self.content, self.document = content, document
        self.status = Status.DRAFT
        self.rejection_reason = ""
        return [QuoteRevised(self.id, self.version, previous), *self._assess(approval_above)]

    def accept(self, convert_to: str, today: date) -> list[QuoteEvent]:
        """Accepted, to become a sales order or an invoice with the id the event names."""
        try:
            target = ConvertTo(convert_to or ConvertTo.SALES_ORDER)
        except ValueError as error:
            raise InvalidArgument.of("convert_to", "sales_order or invoice") from error
        self._require(Status.SENT, doing="accepted")
        self._require_valid(today)
        self._require_approval("accepted")
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
