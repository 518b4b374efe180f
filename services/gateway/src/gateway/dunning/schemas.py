"""Bodies of dunning: overdue invoices per customer, runs and the reminders they sent."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from gateway.billing.examples import INVOICE_ID, INVOICE_NUMBER
from gateway.bodies import Day, Money, Request, Response, When
from gateway.examples import CUSTOMER_ID, examples, money, page

# Examples for the OpenAPI document (valid instances of their models; no null field, which
# FastAPI leaves out), in the story of gateway.examples.
OVERDUE_INVOICE = {
    "invoice_id": INVOICE_ID,
    "number": INVOICE_NUMBER,
    "customer_id": CUSTOMER_ID,
    "due_date": "2027-01-04",
    "open": money("9.75"),
    "days_overdue": 30,
    "level_due": 2,
    "level_sent": 1,
}
OVERDUE_CUSTOMER = {
    "customer_id": CUSTOMER_ID,
    "name": "Acme GmbH",
    "invoices": [OVERDUE_INVOICE],
    "credit_hold": False,
}
OVERDUE = {"as_of": "2027-02-03", "customers": [OVERDUE_CUSTOMER]}
REMINDER = {
    "id": "0a9b8c7d-6e5f-4a3b-9c1d-0e9f8a7b6c5d",
    "customer_id": CUSTOMER_ID,
    "level": 2,
    "sent_at": "2027-02-03T07:00:00Z",
    "sent_by": "finn",
    "invoices": [OVERDUE_INVOICE],
}


class OverdueInvoice(Response):
    """An invoice past its due date: what is open, how long overdue, and the reminder levels due and
    sent."""

    model_config = examples(OVERDUE_INVOICE)

    invoice_id: str
    number: str
    customer_id: str
    due_date: date
    open: Money = Field(description="what is still open on it")
    days_overdue: int
    level_due: int = Field(description="the reminder level its days overdue reach; 0: none yet")
    level_sent: int = Field(description="the highest reminder level sent for it; 0: none")


class OverdueCustomer(Response):
    """A customer with overdue invoices, and whether billing holds its credit."""

    model_config = examples(OVERDUE_CUSTOMER)

    customer_id: str
    name: str
    invoices: list[OverdueInvoice] = Field(description="oldest due first")
    credit_hold: bool = Field(description="billing holds its credit for invoices overdue too long")


class Overdue(Response):
    """Every customer's overdue invoices as of a day."""

    model_config = examples(OVERDUE)

    as_of: date
    customers: list[OverdueCustomer]


class Reminder(Response):
    """A reminder sent to a customer at one level, with the invoices it named."""

    model_config = examples(REMINDER)

    id: str
    customer_id: str
    level: int = Field(description="1 first reminder, 2 second, ...")
    sent_at: When
    sent_by: str
    invoices: list[OverdueInvoice] = Field(description="as they stood when reminded")


class DunningRunIn(Request):
    """The day a dunning run counts days overdue to."""

    model_config = examples({"as_of": "2027-02-03"})

    as_of: Day = Field(None, description="the day days overdue are counted to; today if omitted")


class DunningRun(Response):
    """What a dunning run sent: one reminder per customer with a level newly due."""

    model_config = examples({"reminders": [REMINDER]})

    reminders: list[Reminder] = Field(description="what this run sent; empty: nothing new due")


class ReminderList(Response):
    """A page of reminders sent, newest first."""

    model_config = examples(page(REMINDER))

    items: list[Reminder]
    next_page_token: str = Field(description="empty on the last page")
