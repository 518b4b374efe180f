"""The sales pipeline: an order type's orders as a board (a column per stage of its pipeline,
a card per order with its customer and total) and the sales forecast by month, as a table and
a bar chart."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.responses import Response

from web.adapters.gateway import GatewayError
from web.application.accounts import Current
from web.domain.pages import Page
from web.entrypoints.charts import Bar, amount, bar_chart
from web.entrypoints.security import user_for, web_of

router = APIRouter(prefix="/pipeline")
Seller = Annotated[Current, Depends(user_for(Page.PIPELINE))]
DEFAULT_TYPE = "standard"
SHOWN = "100"
OTHER = "other"


async def _part(read: Awaitable[Any]) -> tuple[Any, str]:
    try:
        return await read, ""
    except GatewayError as error:
        if error.status >= 500:
            raise
        if error.status == 403:
            return None, "not available to your role"
        return None, error.detail


def board(stages: list[dict[str, Any]], orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A column per stage in the pipeline's order, each with its orders (newest first, as
    listed); orders in a status the pipeline does not name go to a last "other" column."""
    columns = [{"stage": s["name"], "open": s.get("open", True), "cards": []} for s in stages]
    by_name = {c["stage"]: c for c in columns}
    other: dict[str, Any] = {"stage": OTHER, "open": False, "cards": []}
    for order in orders:
        by_name.get(order["status"], other)["cards"].append(order)
    return columns + ([other] if other["cards"] else [])


def forecast_chart(months: list[dict[str, Any]]) -> Markup:
    bars = [
        Bar(
            f"{m['month']} {m['expected']['currency']}",
            amount(m["expected"]["amount"]),
            f"{m['expected']['amount']} {m['expected']['currency']}",
        )
        for m in months
    ]
    return bar_chart("Expected revenue by month", bars)


@router.get("", response_class=HTMLResponse)
async def pipeline_page(request: Request, who: Seller) -> Response:
    web = web_of(request)
    token, gateway = web.token(who), web.gateway
    order_type = request.query_params.get("order_type", "").strip()[:30] or DEFAULT_TYPE
    pipeline, pipeline_error = await _part(gateway.get(token, f"/pipelines/{order_type}"))
    orders, orders_error = await _part(
        gateway.get(token, "/sales-orders", order_type=order_type, page_size=SHOWN)
    )
    customers, _ = await _part(gateway.get(token, "/customers", page_size="200"))
    names = {c["id"]: c["name"] for c in (customers or {}).get("items", [])}
    forecast, forecast_error = await _part(gateway.get(token, "/reports/sales-forecast"))
    months = (forecast or {}).get("items", [])
    return web.render(
        request,
        "pipeline/index.html",
        title="Pipeline",
        order_type=order_type,
        columns=board((pipeline or {}).get("stages", []), (orders or {}).get("items", [])),
        board_error=pipeline_error or orders_error,
        more=bool((orders or {}).get("next_page_token")),
        names=names,
        forecast=forecast,
        months=months,
        chart=forecast_chart(months),
        forecast_error=forecast_error,
    )
