"""The customer requests' REST bodies: a request as it comes in, losing one, quoting one, the
request as kept, and the lost-demand report. The quoting service validates the values (the
estimate's amount and currency, the texts' lengths) and names every field at fault with these
same paths (`value_estimate.amount`, `contact.email`); these models bound sizes as it does."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gateway.bodies import Id, MaybeWhen, Money, MoneyIn, Request, Response, When
from gateway.examples import QUOTE_IN, examples
from gateway.quotes.schemas import QuoteIn
from gateway.requests import examples as ex
from oms.quoting.v1 import quoting_pb2 as pb

Source = Literal["email", "phone", "web", "store", "visit", "other"]
LostReason = Literal[
    "price", "timing", "no_stock", "competitor", "no_budget", "no_response", "other"
]


class RequestContactIn(Request):
    """Whom to reach; every part optional."""

    name: str = Field("", max_length=200)
    email: str = Field("", max_length=320)
    phone: str = Field("", max_length=50)

    def to_proto(self) -> pb.Contact:
        return pb.Contact(name=self.name, email=self.email, phone=self.phone)


class CustomerRequestIn(Request):
    """An incoming customer request."""

    model_config = examples(ex.REQUEST_IN, ex.PROSPECT_IN)

    customer_id: Id = Field("", description="the registered customer; empty for a prospect")
    contact: RequestContactIn | None = Field(None, description="whom to reach")
    source: Source = Field(description="how the request came in")
    need: str = Field(min_length=1, max_length=5000, description="what the customer asks for")
    value_estimate: MoneyIn = Field(description="what the demand is worth; amount 0 or more")
    owner: str = Field(
        "",
        max_length=200,
        description="the salesperson responsible; empty: you. Only a sales manager or the order "
        "desk may name another",
    )

    def to_proto(self, request_id: str) -> pb.RegisterRequestRequest:
        message = pb.RegisterRequestRequest(
            source=self.source,
            customer_id=self.customer_id,
            need=self.need,
            value_estimate=self.value_estimate.to_proto(),
            owner=self.owner,
            request_id=request_id,
        )
        if self.contact is not None:
            message.contact.CopyFrom(self.contact.to_proto())
        return message


class LostIn(Request):
    """Why the request will not become a quote."""

    model_config = examples(ex.LOST_IN)

    reason: LostReason
    note: str = Field("", max_length=2000)


class RequestQuoteIn(QuoteIn):
    """The quote's content as POST /quotes takes it; `customer_id` defaults to the request's
    and `salesperson` to the request's owner."""

    model_config = examples({k: v for k, v in QUOTE_IN.items() if k != "customer_id"})

    customer_id: Id = Field("", description="empty: the request's customer")


class RequestContact(Response):
    """Whom to reach."""

    name: str
    email: str
    phone: str


class CustomerRequest(Response):
    """A customer request and what became of it."""

    model_config = examples(ex.REQUEST)

    id: str
    number: str = Field(description='gap-free per year, e.g. "REQ-2026-000001"')
    status: str = Field(description="open, quoted or lost")
    source: str = Field(description="email, phone, web, store, visit or other")
    customer_id: str = Field(description="empty for a prospect")
    contact: RequestContact
    need: str
    value_estimate: Money
    owner: str = Field(description="the salesperson responsible")
    team: str = Field(description="the sales team of whoever registered it; its manager sees it")
    quote_id: str = Field(description="the quote made from it; empty unless quoted")
    lost_reason: str = Field(
        description="price, timing, no_stock, competitor, no_budget, no_response or other; "
        "empty unless lost"
    )
    lost_note: str
    created_at: When
    created_by: str
    closed_at: MaybeWhen = Field(description="when it was quoted or lost; null while open")


class CustomerRequestPage(Response):
    """A page of customer requests, newest first."""

    model_config = examples({"items": [ex.REQUEST], "next_page_token": "eyJhZnRlciI6IjEifQ"})

    items: list[CustomerRequest]
    next_page_token: str


class LostDemandRow(Response):
    """One period's requests lost for one reason."""

    period: str = Field(description='"2026-12" for a month, "2026-Q4" for a quarter')
    reason: str
    requests: int = Field(description="how many requests")
    value: list[Money] = Field(description="their estimated value, one amount per currency")


class LostDemandTotal(Response):
    """One reason's requests lost over the whole report."""

    reason: str
    requests: int
    value: list[Money]


class LostDemandReport(Response):
    """Requests lost, by period and reason, and the totals per reason."""

    model_config = examples(ex.REPORT)

    rows: list[LostDemandRow]
    totals: list[LostDemandTotal]
