"""Bodies of dunning: overdue invoices per customer, runs and the reminders they sent."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from gateway.bodies import Day, Money, Request, Response, When


class OverdueInvoice(Response):
    invoice_id: str
    number: str
    customer_id: str
    due_date: date
    open: Money = Field(description="what is still open on it")
    days_overdue: int
    level_due: int = Field(description="the reminder level its days overdue reach; 0: none yet")
    level_sent: int = Field(description="the highest reminder level sent for it; 0: none")


class OverdueCustomer(Response):
    customer_id: str
    name: str
    invoices: list[OverdueInvoice] = Field(description="oldest due first")
    credit_hold: bool = Field(description="billing holds its credit for invoices overdue too long")


class Overdue(Response):
    as_of: date
    customers: list[OverdueCustomer]


class Reminder(Response):
    id: str
    customer_id: str
    level: int = Field(description="1 first reminder, 2 second, ...")
    sent_at: When
    sent_by: str
    invoices: list[OverdueInvoice] = Field(description="as they stood when reminded")


class DunningRunIn(Request):
    as_of: Day = Field(None, description="the day days overdue are counted to; today if omitted")


class DunningRun(Response):
    reminders: list[Reminder] = Field(description="what this run sent; empty: nothing new due")


class ReminderList(Response):
    items: list[Reminder]
    next_page_token: str = Field(description="empty on the last page")
