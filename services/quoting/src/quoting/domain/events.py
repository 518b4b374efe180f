"""What happens to a quote (quoting.domain.model) and to a customer request
(quoting.domain.request), as their transitions report it. Plain facts;
quoting.adapters.events puts them on the wire (oms.events.v1; topics oms.quoting.quote.v1 and
oms.quoting.request.v1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pricing.document import PricedDocument
from pricing.money import Money


@dataclass(frozen=True)
class QuoteCreated:
    quote_id: str
    customer_id: str
    salesperson: str
    total: Money


@dataclass(frozen=True)
class QuoteSent:
    quote_id: str
    version: int
    customer_id: str
    total: Money
    valid_until: date


@dataclass(frozen=True)
class QuoteRevised:
    quote_id: str
    version: int
    previous_version: int


@dataclass(frozen=True)
class QuoteAccepted:
    quote_id: str
    version: int
    customer_id: str
    salesperson: str
    convert_to: str  # "sales_order" or "invoice"
    target_id: str  # the id the sales order or invoice will have
    document: PricedDocument
    payment_terms: str
    team: str


@dataclass(frozen=True)
class QuoteRejected:
    quote_id: str
    version: int
    reason: str  # as the customer gave it


@dataclass(frozen=True)
class QuoteExpired:
    quote_id: str
    version: int
    valid_until: date


@dataclass(frozen=True)
class QuoteApprovalRequested:
    quote_id: str
    version: int
    salesperson: str
    team: str
    reason: str
    total: Money


@dataclass(frozen=True)
class QuoteDiscountDecided:
    quote_id: str
    version: int
    decision: str  # "approved" or "rejected"
    decided_by: str
    note: str


QuoteEvent = (
    QuoteCreated
    | QuoteSent
    | QuoteRevised
    | QuoteAccepted
    | QuoteRejected
    | QuoteExpired
    | QuoteApprovalRequested
    | QuoteDiscountDecided
)


# Customer requests (quoting.domain.request), on their own topic oms.quoting.request.v1.


@dataclass(frozen=True)
class RequestRegistered:
    request_id: str
    number: str
    source: str
    customer_id: str
    owner: str
    team: str
    value_estimate: Money


@dataclass(frozen=True)
class RequestQuoted:
    request_id: str
    quote_id: str


@dataclass(frozen=True)
class RequestLost:
    request_id: str
    reason: str
    note: str
    value_estimate: Money


RequestEvent = RequestRegistered | RequestQuoted | RequestLost
