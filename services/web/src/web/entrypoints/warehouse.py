"""The warehouse: stock per warehouse against its reorder points, the reserved orders to pick
and ship, and goods received against purchase orders."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from web.adapters.gateway import GatewayError
from web.application.accounts import Current
from web.domain.pages import Page
from web.entrypoints.security import Web, user_for, web_of

router = APIRouter(prefix="/warehouse")
Keeper = Annotated[Current, Depends(user_for(Page.WAREHOUSE))]
Text = Annotated[str, Form(max_length=200)]
# orders already on their way or done: nothing left to pick
DONE = ("shipped", "invoiced", "completed", "closed", "cancelled", "rejected")
RECEIVABLE = ("sent", "partially_received")
TO_SHIP_SHOWN = 20


async def _to_ship(web: Web, token: str) -> list[dict[str, Any]]:
    """Reserved orders not yet shipped, each with the warehouses holding its stock."""
    orders = await web.gateway.get(token, "/sales-orders", page_size="100")
    ready = [
        o for o in orders["items"] if o["stock_status"] == "reserved" and o["status"] not in DONE
    ][:TO_SHIP_SHOWN]
    for order in ready:
        reservations = await web.gateway.get(token, "/reservations", order_id=order["id"])
        order["warehouses"] = sorted(
            {
                a["warehouse_id"]
                for line in reservations["lines"]
                for a in line["allocations"]
                if a["reserved"] > 0
            }
        )
    return ready


async def _page(
    request: Request, who: Current, status_code: int = 200, error: GatewayError | None = None
) -> Response:
    web = web_of(request)
    token = web.token(who)
    warehouses = await web.gateway.get(token, "/warehouses", page_size="200")
    names = {w["id"]: f"{w['code']} {w['name']}" for w in warehouses["items"]}
    stock = await web.gateway.get(token, "/stock", page_size="200")
    purchase_orders = await web.gateway.get(token, "/purchase-orders", page_size="100")
    receivable = [p for p in purchase_orders["items"] if p["status"] in RECEIVABLE]
    return web.render(
        request,
        "warehouse.html",
        status_code,
        title="Warehouse",
        names=names,
        stock=stock["items"],
        to_ship=await _to_ship(web, token),
        receivable=receivable,
        error=error,
        done=request.query_params.get("done", ""),
    )


@router.get("", response_class=HTMLResponse)
async def warehouse_page(request: Request, who: Keeper) -> Response:
    return await _page(request, who)


@router.post("/shipments")
async def ship(
    request: Request,
    who: Keeper,
    order_id: Text = "",
    warehouse_id: Text = "",
    carrier: Text = "",
    tracking_number: Text = "",
) -> Response:
    web = web_of(request)
    body = {
        "order_id": order_id,
        "warehouse_id": warehouse_id,
        "carrier": carrier,
        "tracking_number": tracking_number,
    }
    try:
        shipment = await web.gateway.post(web.token(who), "/shipments", body)
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _page(request, who, error.status, error)
    return RedirectResponse(f"/warehouse?done=Shipped+{shipment['id']}", status_code=303)


@router.post("/receipts")
async def receive(request: Request, who: Keeper) -> Response:
    """Quantities per product of one purchase order, as the form's `qty-<product_id>` fields."""
    web = web_of(request)
    form = await request.form()
    lines = []
    for key, value in form.items():
        if key.startswith("qty-") and isinstance(value, str) and value.strip() not in ("", "0"):
            if not value.strip().isdigit():
                error = GatewayError(400, "quantities are whole numbers", {key: "a whole number"})
                return await _page(request, who, 400, error)
            lines.append({"product_id": key.removeprefix("qty-"), "quantity": int(value)})
    body = {
        "warehouse_id": str(form.get("warehouse_id", "")),
        "purchase_order_id": str(form.get("purchase_order_id", "")),
        "lines": lines,
    }
    try:
        receipt = await web.gateway.post(web.token(who), "/receipts", body)
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _page(request, who, error.status, error)
    return RedirectResponse(f"/warehouse?done=Received+{receipt['id']}", status_code=303)
