"""/dunning: overdue invoices per customer with the reminder level due, dunning runs (finance)
and the reminders they sent, each as a PDF. Billing decides again who may do what."""

from datetime import date

from fastapi import APIRouter, Request, Response

from gateway.bodies import IdPath, IdQuery, PageSize, PageToken
from gateway.downloads import pdf, pdf_responses
from gateway.dunning.schemas import DunningRun, DunningRunIn, Overdue, Reminder, ReminderList
from gateway.edge.auth import require
from gateway.edge.openapi import problems
from oms.billing.v1 import billing_pb2

router = APIRouter(tags=["billing"])
routers = (router,)
FINANCE = require("finance")
FINANCE_READERS = require("finance", "order-desk", "sales", "sales-manager")


@router.get(
    "/dunning",
    operation_id="listOverdueInvoices",
    summary="List overdue invoices per customer",
    response_model=Overdue,
    dependencies=[FINANCE_READERS],
)
async def overdue(
    request: Request, as_of: date | None = None, customer_id: IdQuery = ""
) -> Overdue:
    """Overdue invoices per customer as of a day (today by default): days overdue, the reminder
    level due and the last level sent, and whether the customer's credit is held; `customer_id`
    narrows to one customer. Not paged: one entry per customer with overdue invoices. Finance,
    the order desk and sales may read it."""
    reply = await request.app.state.clients.billing.ListOverdue(
        billing_pb2.ListOverdueRequest(
            as_of=as_of.isoformat() if as_of else "", customer_id=customer_id
        )
    )
    return Overdue.model_validate(reply)


@router.post(
    "/dunning/runs",
    operation_id="runDunning",
    summary="Run dunning",
    status_code=201,
    response_model=DunningRun,
    dependencies=[FINANCE],
    responses=problems(409),
)
async def run_dunning(body: DunningRunIn, request: Request) -> DunningRun:
    """A reminder per customer at the highest level due on its overdue invoices and not sent
    yet; each invoice is reminded at each level once, so running again sends nothing new.
    Answers the reminders this run sent (read them later with listReminders); 409 when a run at
    the same time sent one of them first. Finance only."""
    reply = await request.app.state.clients.billing.RunDunning(
        billing_pb2.RunDunningRequest(as_of=body.as_of.isoformat() if body.as_of else "")
    )
    return DunningRun.model_validate(reply)


@router.get(
    "/dunning/reminders",
    operation_id="listReminders",
    summary="List reminders sent",
    response_model=ReminderList,
    dependencies=[FINANCE_READERS],
)
async def reminders(
    request: Request,
    customer_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> ReminderList:
    """Reminders sent, newest first; one customer's with `customer_id`. Finance, the order desk
    and sales may read them."""
    reply = await request.app.state.clients.billing.ListReminders(
        billing_pb2.ListRemindersRequest(
            customer_id=customer_id, page_size=page_size, page_token=page_token
        )
    )
    return ReminderList(
        items=[Reminder.model_validate(r) for r in reply.reminders],
        next_page_token=reply.next_page_token,
    )


@router.get(
    "/dunning/reminders/{reminder_id}/pdf",
    operation_id="getReminderPdf",
    summary="Download a reminder as a PDF",
    response_class=Response,
    responses=pdf_responses("the reminder as a PDF") | problems(404),
    dependencies=[FINANCE_READERS],
)
async def reminder_pdf(reminder_id: IdPath, request: Request) -> Response:
    """The reminder letter as a PDF: its invoices, amounts open and days overdue. Finance, the
    order desk and sales may download it; 404 when there is no such reminder."""
    reply = await request.app.state.clients.billing.RenderReminder(
        billing_pb2.RenderReminderRequest(reminder_id=reminder_id)
    )
    return pdf(reply.pdf, reply.filename)
