"""The RPCs of oms.billing.v1.BillingService for currencies and dunning (a part of the servicer,
kept apart to keep each module short): rates from a CSV file, the reporting-currency total of a
report, overdue invoices, dunning runs and their reminders. Wire in, wire out, nothing more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeAlias

import grpc

from billing.application.commands.import_exchange_rates import (
    ImportExchangeRates,
    import_exchange_rates,
)
from billing.application.commands.run_dunning import RunDunning, run_dunning
from billing.application.conversions import in_reporting_currency
from billing.application.dunning_ports import ReminderPrinter
from billing.application.fields import as_of_in
from billing.application.ports import UnitOfWork
from billing.application.queries import dunning
from billing.domain.dunning import DunningPolicy, Overdue, Reminder
from billing.domain.receivables import AgingLine
from billing.domain.revenue import Row
from oms.billing.v1 import billing_pb2 as pb
from oms.types.v1 import types_pb2
from pricing.wire import money_to_proto, reporting_total_to_proto
from servicekit.errors import Violations
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext


def overdue_to_proto(item: Overdue) -> pb.OverdueInvoice:
    return pb.OverdueInvoice(
        invoice_id=item.invoice_id,
        number=item.number,
        customer_id=item.customer_id,
        due_date=item.due_date.isoformat(),
        open=money_to_proto(item.open.rounded()),
        days_overdue=item.days_overdue,
        level_due=item.level_due,
        level_sent=item.level_sent,
    )


def reminder_to_proto(reminder: Reminder) -> pb.Reminder:
    return pb.Reminder(
        id=reminder.id,
        customer_id=reminder.customer_id,
        level=reminder.level,
        sent_at=timestamp(reminder.sent_at),
        sent_by=reminder.sent_by,
        invoices=[overdue_to_proto(i) for i in reminder.invoices],
    )


class DunningRpcs:
    """Mixed into BillingServicer, which sets these."""

    uow: Callable[[], UnitOfWork]
    reporting_currency: str
    dunning_policy: DunningPolicy
    reminder_printer: ReminderPrinter

    async def aging_total(self, day: date, totals: list[AgingLine]) -> types_pb2.ReportingTotal:
        """The open balances (not the credit beside them) in the reporting currency."""
        total = await in_reporting_currency(
            self.uow(), [t.total for t in totals], self.reporting_currency, day
        )
        return reporting_total_to_proto(total)

    async def revenue_total(self, to_date: str, totals: list[Row]) -> types_pb2.ReportingTotal:
        day = as_of_in(Violations(), "to_date", to_date)
        total = await in_reporting_currency(
            self.uow(), [t.net_revenue for t in totals], self.reporting_currency, day
        )
        return reporting_total_to_proto(total)

    async def ImportExchangeRates(
        self, request: pb.ImportExchangeRatesRequest, context: Context
    ) -> pb.ImportExchangeRatesResponse:
        done = await import_exchange_rates(
            self.uow(), ImportExchangeRates(request.base_currency, request.csv)
        )
        return pb.ImportExchangeRatesResponse(set=done.set, unchanged=done.unchanged)

    async def ListOverdue(
        self, request: pb.ListOverdueRequest, context: Context
    ) -> pb.ListOverdueResponse:
        day, customers = await dunning.list_overdue(
            self.uow(), self.dunning_policy, request.as_of, request.customer_id
        )
        return pb.ListOverdueResponse(
            as_of=day.isoformat(),
            customers=[
                pb.OverdueCustomer(
                    customer_id=c.customer_id,
                    name=c.name,
                    invoices=[overdue_to_proto(i) for i in c.invoices],
                    credit_hold=c.credit_hold,
                )
                for c in customers
            ],
        )

    async def RunDunning(
        self, request: pb.RunDunningRequest, context: Context
    ) -> pb.RunDunningResponse:
        sent = await run_dunning(self.uow(), self.dunning_policy, RunDunning(request.as_of))
        return pb.RunDunningResponse(reminders=[reminder_to_proto(r) for r in sent])

    async def ListReminders(
        self, request: pb.ListRemindersRequest, context: Context
    ) -> pb.ListRemindersResponse:
        found, token = await dunning.list_reminders(
            self.uow(), request.customer_id, request.page_size, request.page_token
        )
        return pb.ListRemindersResponse(
            reminders=[reminder_to_proto(r) for r in found], next_page_token=token
        )

    async def RenderReminder(
        self, request: pb.RenderReminderRequest, context: Context
    ) -> pb.RenderDocumentResponse:
        pdf, filename = await dunning.render_reminder(
            self.uow(), self.reminder_printer, self.dunning_policy, request.reminder_id
        )
        return pb.RenderDocumentResponse(pdf=pdf, filename=filename)
