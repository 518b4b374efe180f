"""Finance: a customer's payment allocated across their open invoices, AR aging and revenue
by channel as bar charts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from web.adapters.gateway import GatewayError
from web.application.accounts import Current
from web.domain.pages import Page
from web.entrypoints.charts import Bar, amount, bar_chart
from web.entrypoints.security import Web, user_for, web_of

router = APIRouter(prefix="/finance")
Finance = Annotated[Current, Depends(user_for(Page.FINANCE))]
BUCKETS = (
    ("current", "Not yet due"),
    ("days_1_30", "1-30 days"),
    ("days_31_60", "31-60 days"),
    ("days_61_90", "61-90 days"),
    ("days_over_90", "Over 90 days"),
)
INVOICE_PAGES = 5


async def open_invoices(web: Web, token: str, customer_id: str) -> list[dict[str, Any]]:
    """The customer's invoices with a balance, oldest first (the list pages newest first)."""
    found: list[dict[str, Any]] = []
    page_token = ""
    for _ in range(INVOICE_PAGES):
        page = await web.gateway.get(token, "/invoices", page_size="200", page_token=page_token)
        found += [
            i
            for i in page["items"]
            if i["customer_id"] == customer_id and amount(i["balance"]["amount"]) > 0
        ]
        page_token = page["next_page_token"]
        if not page_token:
            break
    return list(reversed(found))


def aging_chart(aging: dict[str, Any], what: str = "Receivables") -> list[Any]:
    """One bar chart per currency of an aging report's totals (receivables or payables)."""
    charts = []
    for total in aging["totals"]:
        currency = total["currency"]
        bars = [
            Bar(label, amount(total["buckets"][key]["amount"]), total["buckets"][key]["amount"])
            for key, label in BUCKETS
        ]
        charts.append(bar_chart(f"{what} by age, {currency}", bars))
    return charts


def revenue_chart(revenue: dict[str, Any]) -> Any:
    bars = [
        Bar(
            f"{row['channel'] or 'direct'} {row['period']}".strip(),
            amount(row["net"]["amount"]),
            f"{row['net']['amount']} {row['net']['currency']}",
        )
        for row in revenue["rows"]
    ]
    return bar_chart("Net revenue by channel", bars)


async def _page(
    request: Request,
    who: Current,
    customer_id: str,
    status_code: int = 200,
    error: GatewayError | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    web = web_of(request)
    token = web.token(who)
    customers = await web.gateway.get(token, "/customers", page_size="200")
    invoices = await open_invoices(web, token, customer_id) if customer_id else []
    aging = await web.gateway.get(token, "/reports/ar-aging")
    payables = await web.gateway.get(token, "/reports/ap-aging")
    revenue = await web.gateway.get(token, "/reports/revenue", group_by="channel")
    return web.render(
        request,
        "finance.html",
        status_code,
        title="Finance",
        customers=customers["items"],
        customer_id=customer_id,
        invoices=invoices,
        aging=aging,
        aging_charts=aging_chart(aging),
        payables=payables,
        payables_charts=aging_chart(payables, "Payables"),
        revenue=revenue,
        revenue_chart=revenue_chart(revenue),
        error=error,
        form=form or {},
        today=date.today().isoformat(),
        done=request.query_params.get("done", ""),
    )


@router.get("", response_class=HTMLResponse)
async def finance_page(request: Request, who: Finance) -> Response:
    return await _page(request, who, request.query_params.get("customer_id", "")[:100])


@router.post("/payments")
async def record_payment(request: Request, who: Finance) -> Response:
    """One payment of a customer, allocated across invoices by the form's `alloc-<invoice_id>`
    fields (empty ones left out)."""
    web = web_of(request)
    form = {k: str(v) for k, v in (await request.form()).items()}
    customer_id, currency = form.get("customer_id", ""), form.get("currency", "")
    allocations = [
        {"invoice_id": key.removeprefix("alloc-"), "amount": {"amount": v, "currency": currency}}
        for key, value in form.items()
        if key.startswith("alloc-") and (v := value.strip()) and amount(v) != Decimal(0)
    ]
    body = {
        "customer_id": customer_id,
        "amount": {"amount": form.get("amount", "").strip(), "currency": currency},
        "reference": form.get("reference", ""),
        "received_on": form.get("received_on", ""),
        "allocations": allocations,
    }
    try:
        payment = await web.gateway.post(web.token(who), "/payments", body)
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _page(request, who, customer_id, error.status, error, form)
    done = f"Recorded+payment+{payment['id']}"
    return RedirectResponse(f"/finance?customer_id={customer_id}&done={done}", status_code=303)
