"""A quote: what a salesperson offers a customer, priced by the engine, and its lifecycle.

Plain Python; how content becomes a priced document is `quoting.domain.content`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from quoting.domain.limits import REJECTION_REASON
from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument


class Status(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"


class ConvertTo(StrEnum):
    SALES_ORDER = "sales_order"
    INVOICE = "invoice"


@dataclass
class Quote:
    """The quote's current state; `content` and `document` are those of `version`."""

    id: str
    version: int
    latest_version: int
    status: Status
    content: pb.QuoteContent
    document: pricing.PricedDocument
    created_at: datetime
    created_by: str
    updated_at: datetime
    converted_to: str = ""
    converted_id: str = ""
    rejection_reason: str = ""
    # The sales team of whoever created it: whose manager sees it (quoting.domain.rights).
    team: str = ""

    @property
    def salesperson(self) -> str:
        return self.content.salesperson

    @property
    def valid_until(self) -> date:
        return date.fromisoformat(self.content.valid_until)

    @property
    def total(self) -> str:
        return self.document.breakdown.total

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

    def update(self, content: pb.QuoteContent, document: pricing.PricedDocument) -> None:
        self._require(Status.DRAFT, doing="changed")
        self.content, self.document = content, document

    def send(self, today: date) -> None:
        self._require(Status.DRAFT, doing="sent")
        self._require_valid(today)
        self.status = Status.SENT

    def revise(self, content: pb.QuoteContent, document: pricing.PricedDocument) -> None:
        """A new draft version; the previous one stays as it was."""
        self._require(Status.SENT, Status.REJECTED, Status.EXPIRED, doing="revised")
        self.latest_version += 1
        self.version = self.latest_version
        self.content, self.document = content, document
        self.status = Status.DRAFT
        self.rejection_reason = ""

    def accept(self, convert_to: str, today: date) -> str:
        """Accepts and returns the id the sales order or invoice will have."""
        try:
            target = ConvertTo(convert_to or ConvertTo.SALES_ORDER)
        except ValueError as error:
            raise InvalidArgument.of("convert_to", "sales_order or invoice") from error
        self._require(Status.SENT, doing="accepted")
        self._require_valid(today)
        self.status = Status.ACCEPTED
        self.converted_to, self.converted_id = target.value, str(uuid.uuid4())
        return self.converted_id

    def reject(self, reason: str) -> None:
        if len(reason) > REJECTION_REASON:
            raise InvalidArgument.of("reason", f"at most {REJECTION_REASON} characters")
        self._require(Status.SENT, doing="rejected")
        self.status = Status.REJECTED
        self.rejection_reason = reason.strip()

    def expire(self, today: date) -> bool:
        """True when the validity date has passed and the quote was still open."""
        if self.status in (Status.DRAFT, Status.SENT) and today > self.valid_until:
            self.status = Status.EXPIRED
            return True
        return False
