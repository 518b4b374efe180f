"""Sales: the registry of customer requests (filters, registering one for a customer or a
prospect, losing one with a reason, quoting one in a step), the lost-demand report with its
chart, and the sales manager's discount approvals."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote as url_quoted
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from web.adapters.gateway import GatewayError
from web.application.accounts import Current
from web.domain.pages import Page
from web.entrypoints.charts import Bar, amount, bar_chart
from web.entrypoints.security import Web, user_for, web_of

router = APIRouter()
Taker = Annotated[Current, Depends(user_for(Page.REQUESTS))]
Seller = Annotated[Current, Depends(user_for(Page.QUOTES))]
Approver = Annotated[Current, Depends(user_for(Page.APPROVALS))]
Text = Annotated[str, Form(max_length=200)]
LongText = Annotated[str, Form(max_length=5000)]
SOURCES = ("email", "phone", "web", "store", "visit", "other")
STATUSES = ("open", "quoted", "lost")
LOST_REASONS = (
    "price",
    "timing",
    "no_stock",
    "competitor",
    "no_budget",
    "no_response",
    "other",
)
REQUEST_FILTERS = ("status", "owner", "source", "customer_id", "created_from", "created_to")
WORKERS = ("sales", "sales-manager", "admin")


def done_of(request: Request) -> str:
    return request.query_params.get("done", "")[:200]


def redirect(path: str, done: str) -> Response:
    return RedirectResponse(f"{path}?{urlencode({'done': done})}", status_code=303)


async def part(read: Awaitable[Any]) -> tuple[Any, str]:
    """A part of a page: its data, or why it is not shown (the rest of the page stands)."""
    try:
        return await read, ""
    except GatewayError as error:
        if error.status >= 500:
            raise
        return None, "not available to your role" if error.status == 403 else error.detail


async def customers_of(web: Web, token: str) -> list[dict[str, Any]]:
    found, _ = await part(web.gateway.get(token, "/customers", page_size="200"))
    items: list[dict[str, Any]] = (found or {}).get("items", [])
    return items


def _filters(request: Request) -> dict[str, str]:
    given = {k: request.query_params.get(k, "").strip()[:200] for k in REQUEST_FILTERS}
    if given["status"] not in STATUSES:
        given["status"] = ""
    if given["source"] not in SOURCES:
        given["source"] = ""
    return {k: v for k, v in given.items() if v}


async def _requests_page(
    request: Request,
    who: Current,
    status_code: int = 200,
    error: GatewayError | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    web = web_of(request)
    token = web.token(who)
    filters = _filters(request)
    page: dict[str, Any] = {"items": [], "next_page_token": ""}
    listing_error = None
    try:
        page = await web.gateway.get(
            token,
            "/requests",
            page_size="50",
            page_token=request.query_params.get("page_token", "")[:500],
            **filters,
        )
    except GatewayError as failed:
        if failed.status >= 500:
            raise
        listing_error, status_code = failed, max(status_code, failed.status)
    customers = await customers_of(web, token)
    return web.render(
        request,
        "sales/requests.html",
        status_code,
        title="Customer requests",
        filters=filters,
        page=page,
        listing_error=listing_error,
        customers=customers,
        names={c["id"]: c["name"] for c in customers},
        sources=SOURCES,
        statuses=STATUSES,
        error=error,
        form=form or {},
        may_name_owner=who.user.role in ("sales-manager", "order-desk", "admin"),
        query=urlencode(filters),
        done=done_of(request),
    )


@router.get("/requests", response_class=HTMLResponse)
async def requests_page(request: Request, who: Taker) -> Response:
    return await _requests_page(request, who)


@router.post("/requests")
async def register(request: Request, who: Taker) -> Response:
    web = web_of(request)
    form = {k: str(v).strip() for k, v in (await request.form()).items() if k != "csrf_token"}
    contact = {
        "name": form.get("contact_name", ""),
        "email": form.get("contact_email", ""),
        "phone": form.get("contact_phone", ""),
    }
    body: dict[str, Any] = {
        "customer_id": form.get("customer_id", ""),
        "source": form.get("source", ""),
        "need": form.get("need", ""),
        "value_estimate": {
            "amount": form.get("amount", "") or "0",
            "currency": form.get("currency", "").upper(),
        },
        "owner": form.get("owner", ""),
    }
    if any(contact.values()):
        body["contact"] = contact
    if not body["customer_id"] and not any(contact.values()):
        problem = GatewayError(
            400,
            "name the customer, or the prospect's contact",
            {"customer_id": "choose a customer or fill in the contact"},
        )
        return await _requests_page(request, who, 400, problem, form)
    try:
        registered = await web.gateway.post(web.token(who), "/requests", body)
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _requests_page(request, who, error.status, error, form)
    done = f"Registered {registered['number']}"
    return redirect(f"/requests/{url_quoted(registered['id'])}", done)


def _default_range(request: Request) -> tuple[str, str, str]:
    today = date.today()
    start = request.query_params.get("from", "")[:10] or today.replace(month=1, day=1).isoformat()
    end = request.query_params.get("to", "")[:10] or today.isoformat()
    period = request.query_params.get("period", "month")
    return start, end, period if period in ("month", "quarter") else "month"


def lost_chart(report: dict[str, Any]) -> Any:
    """One bar per reason and currency, from the report's totals."""
    bars = [
        Bar(
            f"{total['reason']} ({value['currency']})",
            amount(value["amount"]),
            f"{value['amount']} {value['currency']}",
        )
        for total in report.get("totals", [])
        for value in total.get("value", [])
    ]
    return bar_chart("Lost demand by reason", bars)


@router.get("/requests/lost-demand", response_class=HTMLResponse)
async def lost_demand(request: Request, who: Taker) -> Response:
    web = web_of(request)
    start, end, period = _default_range(request)
    report: dict[str, Any] = {"rows": [], "totals": []}
    error, status_code = None, 200
    try:
        report = await web.gateway.get(
            web.token(who), "/reports/lost-demand", **{"from": start, "to": end, "period": period}
        )
    except GatewayError as failed:
        if failed.status >= 500:
            raise
        error, status_code = failed, failed.status
    return web.render(
        request,
        "sales/lost_demand.html",
        status_code,
        title="Lost demand",
        report=report,
        chart=lost_chart(report),
        start=start,
        end=end,
        period=period,
        error=error,
    )


async def _request_page(
    request: Request,
    who: Current,
    request_id: str,
    status_code: int = 200,
    error: GatewayError | None = None,
    action: str = "",
) -> Response:
    web = web_of(request)
    token = web.token(who)
    found = await web.gateway.get(token, f"/requests/{url_quoted(request_id)}")
    customer = None
    if found.get("customer_id"):
        customer, _ = await part(
            web.gateway.get_optional(token, f"/customers/{url_quoted(found['customer_id'])}")
        )
    currency = (customer or {}).get("currency") or found["value_estimate"]["currency"]
    return web.render(
        request,
        "sales/request.html",
        status_code,
        title=f"Request {found['number']}",
        item=found,
        customer=customer,
        currency=currency,
        reasons=LOST_REASONS,
        may_work=who.user.role in WORKERS,
        error=error,
        action=action,
        done=done_of(request),
    )


@router.get("/requests/{request_id}", response_class=HTMLResponse)
async def request_page(request: Request, request_id: str, who: Taker) -> Response:
    return await _request_page(request, who, request_id)


@router.post("/requests/{request_id}/lost")
async def mark_lost(
    request: Request, request_id: str, who: Seller, reason: Text = "", note: LongText = ""
) -> Response:
    web = web_of(request)
    path = f"/requests/{url_quoted(request_id)}"
    try:
        await web.gateway.post(web.token(who), f"{path}/lost", {"reason": reason, "note": note})
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _request_page(request, who, request_id, error.status, error, "lost")
    return redirect(path, "Marked lost")


# the first group of a quote made from a request: the builder renames it and adds others
GROUP_NAME = "Offer"


@router.post("/requests/{request_id}/quote")
async def make_quote(
    request: Request,
    request_id: str,
    who: Seller,
    currency: Annotated[str, Form(max_length=3)] = "",
    sku: Text = "",
    description: LongText = "",
    quantity: Text = "1",
    unit_price: Text = "",
) -> Response:
    """A draft quote from the request in one step: its customer's currency and a first line,
    a catalog product by its SKU (priced by the engine) or a described one with its price (a
    quote has a line at least; the builder adds the rest)."""
    web = web_of(request)
    body: dict[str, Any] = {"currency": currency.strip().upper(), "groups": []}
    count: Any = int(quantity) if quantity.strip().isdigit() else quantity
    line: dict[str, Any] | None = None
    if sku.strip():
        line = {"sku": sku.strip(), "quantity": count}
    elif description.strip():
        line = {
            "description": description.strip(),
            "quantity": count,
            "unit_price": {"amount": unit_price.strip(), "currency": body["currency"]},
        }
    if line is not None:
        body["groups"] = [{"name": GROUP_NAME, "lines": [line]}]
    try:
        made = await web.gateway.post(
            web.token(who), f"/requests/{url_quoted(request_id)}/quote", body
        )
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _request_page(request, who, request_id, error.status, error, "quote")
    return RedirectResponse(f"/quotes/{url_quoted(made['id'])}", status_code=303)


async def _approvals_page(
    request: Request, who: Current, status_code: int = 200, error: GatewayError | None = None
) -> Response:
    web = web_of(request)
    token = web.token(who)
    pending = await web.gateway.get(token, "/quotes", approval="pending", page_size="100")
    customers = await customers_of(web, token)
    return web.render(
        request,
        "sales/approvals.html",
        status_code,
        title="Discount approvals",
        quotes=pending["items"],
        names={c["id"]: c["name"] for c in customers},
        error=error,
        done=done_of(request),
    )


@router.get("/approvals", response_class=HTMLResponse)
async def approvals_page(request: Request, who: Approver) -> Response:
    return await _approvals_page(request, who)


@router.post("/approvals/{quote_id}")
async def decide(
    request: Request, quote_id: str, who: Approver, decision: Text = "", note: LongText = ""
) -> Response:
    web = web_of(request)
    try:
        decided = await web.gateway.post(
            web.token(who),
            f"/quotes/{url_quoted(quote_id)}/approval",
            {"decision": decision, "note": note},
        )
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _approvals_page(request, who, error.status, error)
    verb = "Approved" if decision == "approve" else "Rejected"
    return redirect("/approvals", f"{verb} the discounts of {decided.get('number') or quote_id}")
