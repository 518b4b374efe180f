"""The order desk: sales orders with the desk's filters and their totals per currency, saved
views, and one order's whole story (Order 360)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from servicekit.errors import InvalidArgument
from web.adapters.gateway import GatewayError
from web.application.accounts import Current
from web.application.saved_views import delete_view, save_view, views_of
from web.domain.pages import Page
from web.domain.views import ORDER_FILTERS, ViewId, clean_filters
from web.entrypoints.security import user_for, web_of
from web.entrypoints.tasks import tasks_for, timeline_for

router = APIRouter(prefix="/orders")
Desk = Annotated[Current, Depends(user_for(Page.ORDERS))]
Text = Annotated[str, Form(max_length=200)]


def _filters(request: Request) -> dict[str, str]:
    return clean_filters({k: request.query_params.get(k, "") for k in ORDER_FILTERS})


@router.get("", response_class=HTMLResponse)
async def orders_page(request: Request, who: Desk) -> Response:
    web = web_of(request)
    filters = _filters(request)
    error, page = None, {"items": [], "totals": [], "next_page_token": ""}
    try:
        page = await web.gateway.get(
            web.token(who),
            "/sales-orders",
            page_size="50",
            page_token=request.query_params.get("page_token", ""),
            **filters,
        )
    except GatewayError as failed:
        if failed.status >= 500:
            raise
        error = failed
    return web.render(
        request,
        "orders.html",
        200 if error is None else 400,
        title="Order desk",
        filters=filters,
        page=page,
        error=error,
        views=await views_of(web.units, who.user.id),
        query=urlencode(filters),
    )


@router.post("/views")
async def add_view(request: Request, who: Desk, name: Text = "") -> Response:
    web = web_of(request)
    form = await request.form()
    given = {k: str(form.get(k, "")) for k in ORDER_FILTERS}
    try:
        view = await save_view(web.units, who.user.id, name, given)
    except InvalidArgument as error:
        message = "; ".join(f"{v.field}: {v.description}" for v in error.violations)
        return web.render(request, "error.html", 400, title="Not saved", message=message)
    return RedirectResponse(f"/orders?{urlencode(view.filters)}", status_code=303)


@router.post("/views/{view_id}/delete")
async def remove_view(request: Request, view_id: str, who: Desk) -> Response:
    await delete_view(web_of(request).units, who.user.id, ViewId(view_id))
    return RedirectResponse("/orders", status_code=303)


async def _part(read: Awaitable[Any]) -> tuple[Any, str]:
    """A part of the page: its data, or why it is not shown (the rest of the page stands)."""
    try:
        found = await read
    except GatewayError as error:
        if error.status == 403:
            return None, "not available to your role"
        return None, error.detail
    if found is None:
        return None, "not available"
    return found, ""


@router.get("/{order_id}", response_class=HTMLResponse)
async def order_page(request: Request, order_id: str, who: Desk) -> Response:
    web = web_of(request)
    token, gateway = web.token(who), web.gateway
    summary = await gateway.get(token, f"/sales-orders/{order_id}/summary")
    history, history_error = await _part(gateway.get(token, f"/sales-orders/{order_id}/history"))
    reservations, reservations_error = await _part(
        gateway.get(token, "/reservations", order_id=order_id)
    )
    payments: list[Any] = []
    payments_error = ""
    for invoice in summary.get("invoices", []):
        found, payments_error = await _part(
            gateway.get(token, "/payments", invoice_id=invoice["id"])
        )
        payments += (found or {}).get("items", [])
    credit_notes, credit_error = await _part(gateway.get(token, "/credit-notes", order_id=order_id))
    costs, costs_error = await _part(gateway.get(token, "/reports/order-costs", order_id=order_id))
    timeline = await timeline_for(web, token, order_id)
    subject_tasks = await tasks_for(web, token, "sales_order", order_id)
    return web.render(
        request,
        "order.html",
        title=f"Order {order_id}",
        summary=summary,
        order=summary["order"],
        history=history,
        history_error=history_error,
        reservations=reservations,
        reservations_error=reservations_error,
        payments=payments,
        payments_error=payments_error,
        credit_notes=credit_notes,
        credit_error=credit_error,
        costs=(costs or {}).get("items", []),
        costs_error=costs_error,
        timeline=timeline,
        subject_tasks=subject_tasks,
        back=f"/orders/{order_id}",
        moved=request.query_params.get("moved", ""),
    )


@router.post("/{order_id}/transitions")
async def move(
    request: Request, order_id: str, who: Desk, to_stage: Text = "", reason: Text = ""
) -> Response:
    web = web_of(request)
    body: dict[str, Any] = {"to_stage": to_stage}
    if reason:
        body["reason"] = reason
    try:
        await web.gateway.post(web.token(who), f"/sales-orders/{order_id}/transitions", body)
    except GatewayError as error:
        if error.status >= 500:
            raise
        message = error.detail + "".join(f" ({k}: {v})" for k, v in error.fields.items())
        return web.render(request, "error.html", error.status, title="Not moved", message=message)
    return RedirectResponse(f"/orders/{order_id}?moved={to_stage}", status_code=303)
