"""A customer request: demand as it came in (by mail, phone, the web shop, the store, a visit),
whether or not it ever became a quote. Open until a quote is made from it (quoted) or the
salesperson gives it up with a reason (lost); nothing else. Each transition returns the events
it causes. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pricing.money import InvalidMoney, Money, check_currency, parse_input_amount
from quoting.domain.events import RequestEvent, RequestLost, RequestQuoted, RequestRegistered
from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument, Violations


class Source(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    WEB = "web"
    STORE = "store"
    VISIT = "visit"
    OTHER = "other"


class RequestStatus(StrEnum):
    OPEN = "open"
    QUOTED = "quoted"
    LOST = "lost"


class LostReason(StrEnum):
    PRICE = "price"
    TIMING = "timing"
    NO_STOCK = "no_stock"
    COMPETITOR = "competitor"
    NO_BUDGET = "no_budget"
    NO_RESPONSE = "no_response"
    OTHER = "other"


# What is kept of each text (the columns they are stored in).
NEED = 5_000
LOST_NOTE = 2_000
CONTACT_TEXTS = {"name": 200, "email": 320, "phone": 50}
OWNER = 200
CUSTOMER_ID = 100


def request_number(year: int, sequence: int) -> str:
    """The request number of the year's `sequence`th: "REQ-2026-000001"."""
    return f"REQ-{year}-{sequence:06d}"


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class RequestInput:
    """A request as registered, before it is checked."""

    source: str
    need: str
    value_amount: str  # a decimal string, as on the wire
    value_currency: str
    customer_id: str = ""
    contact: Contact = Contact()


def value_estimate(amount: str, currency: str, violations: Violations) -> Money | None:
    """The estimate as Money (>= 0, storable, a known currency), or None with its violations."""
    parsed = None
    try:
        parsed = parse_input_amount(amount)
    except InvalidMoney as error:
        violations.add("value_estimate.amount", str(error))
    if parsed is not None and parsed < 0:
        violations.add("value_estimate.amount", "must be 0 or more")
        parsed = None
    try:
        check_currency(currency)
    except InvalidMoney as error:
        violations.add("value_estimate.currency", str(error))
        return None
    return None if parsed is None else Money(parsed, currency)


def _checked(given: RequestInput) -> tuple[Source, Contact, str, Money]:
    violations = Violations()
    source = Source.OTHER
    try:
        source = Source(given.source)
    except ValueError:
        violations.add("source", f"one of {', '.join(Source)}")
    need = given.need.strip()
    if not need:
        violations.add("need", "required: what the customer asks for")
    elif len(need) > NEED:
        violations.add("need", f"at most {NEED} characters")
    if len(given.customer_id) > CUSTOMER_ID:
        violations.add("customer_id", f"at most {CUSTOMER_ID} characters")
    contact = Contact(*(getattr(given.contact, name).strip() for name in CONTACT_TEXTS))
    for name, limit in CONTACT_TEXTS.items():
        if len(getattr(contact, name)) > limit:
            violations.add(f"contact.{name}", f"at most {limit} characters")
    value = value_estimate(given.value_amount, given.value_currency, violations)
    violations.raise_if_any()
    assert value is not None  # no violation: the estimate parsed
    return source, contact, need, value


@dataclass
class CustomerRequest:
    id: str
    number: str
    source: Source
    customer_id: str
    contact: Contact
    need: str
    value_estimate: Money
    owner: str
    team: str
    status: RequestStatus
    created_at: datetime
    created_by: str
    quote_id: str = ""
    lost_reason: LostReason | None = None
    lost_note: str = ""
    closed_at: datetime | None = None

    @classmethod
    def register(
        cls,
        request_id: str,
        number: str,
        given: RequestInput,
        owner: str,
        team: str,
        at: datetime,
        by: str,
    ) -> tuple[CustomerRequest, list[RequestEvent]]:
        """An open request; InvalidArgument naming every field at fault."""
        source, contact, need, value = _checked(given)
        request = cls(
            request_id,
            number,
            source,
            given.customer_id.strip(),
            contact,
            need,
            value,
            owner,
            team,
            RequestStatus.OPEN,
            at,
            by,
        )
        registered = RequestRegistered(
            request_id, number, source.value, request.customer_id, owner, team, value
        )
        return request, [registered]

    def _require_open(self, doing: str) -> None:
        if self.status is not RequestStatus.OPEN:
            raise FailedPrecondition(
                f"request {self.number or self.id} is {self.status.value}; only an open request "
                f"can be {doing}",
                (FieldViolation("status", f"is {self.status.value}"),),
            )

    def quote(self, quote_id: str, at: datetime) -> list[RequestEvent]:
        """open -> quoted, once: the quote made from it."""
        self._require_open("quoted")
        self.status, self.quote_id, self.closed_at = RequestStatus.QUOTED, quote_id, at
        return [RequestQuoted(self.id, quote_id)]

    def lose(self, reason: str, note: str, at: datetime) -> list[RequestEvent]:
        """open -> lost, with why."""
        try:
            lost = LostReason(reason)
        except ValueError as error:
            raise InvalidArgument.of("reason", f"one of {', '.join(LostReason)}") from error
        note = note.strip()
        if len(note) > LOST_NOTE:
            raise InvalidArgument.of("note", f"at most {LOST_NOTE} characters")
        self._require_open("lost")
        self.status, self.lost_reason, self.lost_note, self.closed_at = (
            RequestStatus.LOST,
            lost,
            note,
            at,
        )
        return [RequestLost(self.id, lost.value, note, self.value_estimate)]
