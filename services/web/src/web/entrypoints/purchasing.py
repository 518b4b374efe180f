"""Purchasing: what to reorder (reorder rules against stock, and low stock without a rule),
open RFQs with their proposals side by side and the award of one, and purchase orders to send
or cancel."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from web.adapters.gateway import GatewayError
from web.application.accounts import Current
from web.domain.pages import Page
from web.entrypoints.security import user_for, web_of

router = APIRouter(prefix="/purchasing")
Buyer = Annotated[Current, Depends(user_for(Page.PURCHASING))]
Text = Annotated[str, Form(max_length=200)]
Reason = Annotated[str, Form(max_length=2000)]
RFQS_COMPARED = 10
SENDABLE = ("draft",)
CANCELLABLE = ("draft", "sent", "partially_received")
PO_STATUSES = ("draft", "sent", "partially_received", "received", "billed", "closed", "cancelled")


def suggestions(rules: list[dict[str, Any]], stock: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What to order: for each reorder rule whose stock position (available + incoming) is at
    or below its minimum, the quantity that brings it up to the maximum; then each stock level
    at or below its reorder point that no rule covers (quantity 0: to decide)."""
    levels = {(s["product_id"], s["warehouse_id"]): s for s in stock}
    found: list[dict[str, Any]] = []
    for rule in rules:
        level = levels.get((rule["product_id"], rule["warehouse_id"]))
        available = level["available"] if level else 0
        incoming = level["incoming"] if level else 0
        position = available + incoming
        if position <= rule["minimum"]:
            found.append(
                {
                    "product_id": rule["product_id"],
                    "warehouse_id": rule["warehouse_id"],
                    "sku": rule.get("sku", ""),
                    "available": available,
                    "incoming": incoming,
                    "minimum": rule["minimum"],
                    "quantity": max(rule["maximum"] - position, 0),
                    "supplier_id": rule.get("supplier_id", ""),
                    "rule": True,
                }
            )
    ruled = {(r["product_id"], r["warehouse_id"]) for r in rules}
    for (product_id, warehouse_id), level in levels.items():
        point = level.get("reorder_point") or 0
        if point and level["available"] <= point and (product_id, warehouse_id) not in ruled:
            found.append(
                {
                    "product_id": product_id,
                    "warehouse_id": warehouse_id,
                    "sku": "",
                    "available": level["available"],
                    "incoming": level["incoming"],
                    "minimum": point,
                    "quantity": 0,
                    "supplier_id": "",
                    "rule": False,
                }
            )
    return found


def side_by_side(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    """The RFQ's lines as rows, each with its unit price in every offer (in the offers' order,
    cheapest first; None where an offer leaves the product out)."""
    offers = comparison.get("offers", [])
    rows: dict[str, dict[str, Any]] = {}
    for index, offer in enumerate(offers):
        for line in offer.get("lines", []):
            row = rows.setdefault(
                line["product_id"],
                {
                    "product_id": line["product_id"],
                    "sku": line.get("sku", ""),
                    "quantity": line.get("quantity", 0),
                    "prices": [None] * len(offers),
                },
            )
            row["prices"][index] = line.get("unit_price")
    return list(rows.values())


async def _part(read: Awaitable[Any]) -> tuple[Any, str]:
    try:
        return await read, ""
    except GatewayError as error:
        if error.status >= 500:
            raise
        if error.status == 403:
            return None, "not available to your role"
        return None, error.detail


async def _page(
    request: Request, who: Current, status_code: int = 200, error: GatewayError | None = None
) -> Response:
    web = web_of(request)
    token, gateway = web.token(who), web.gateway
    rules, rules_error = await _part(gateway.get(token, "/reorder-rules", page_size="200"))
    stock, stock_error = await _part(gateway.get(token, "/stock", page_size="200"))
    suppliers, _ = await _part(gateway.get(token, "/suppliers", page_size="200"))
    warehouses, _ = await _part(gateway.get(token, "/warehouses", page_size="200"))
    names = {s["id"]: s["name"] for s in (suppliers or {}).get("items", [])}
    places = {w["id"]: f"{w['code']} {w['name']}" for w in (warehouses or {}).get("items", [])}
    rfqs, rfqs_error = await _part(gateway.get(token, "/rfqs", status="open", page_size="50"))
    compared = []
    for rfq in (rfqs or {}).get("items", [])[:RFQS_COMPARED]:
        comparison, why = await _part(gateway.get(token, f"/rfqs/{rfq['id']}/comparison"))
        compared.append(
            {
                "rfq": rfq,
                "comparison": comparison or {"offers": [], "pending_supplier_ids": []},
                "rows": side_by_side(comparison or {}),
                "error": why,
            }
        )
    po_status = request.query_params.get("po_status", "")
    po_status = po_status if po_status in PO_STATUSES else ""
    orders, orders_error = await _part(
        gateway.get(token, "/purchase-orders", status=po_status, page_size="50")
    )
    return web.render(
        request,
        "purchasing/index.html",
        status_code,
        title="Purchasing",
        suggestions=suggestions((rules or {}).get("items", []), (stock or {}).get("items", [])),
        suggestions_error=rules_error or stock_error,
        names=names,
        places=places,
        compared=compared,
        rfqs_error=rfqs_error,
        orders=(orders or {}).get("items", []),
        orders_error=orders_error,
        po_status=po_status,
        po_statuses=PO_STATUSES,
        sendable=SENDABLE,
        cancellable=CANCELLABLE,
        error=error,
        done=request.query_params.get("done", ""),
    )


@router.get("", response_class=HTMLResponse)
async def purchasing_page(request: Request, who: Buyer) -> Response:
    return await _page(request, who)


async def _act(
    request: Request, who: Current, path: str, body: dict[str, Any]
) -> Response | dict[str, Any]:
    web = web_of(request)
    try:
        answer: dict[str, Any] = await web.gateway.post(web.token(who), path, body)
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _page(request, who, error.status, error)
    return answer


@router.post("/rfqs/{rfq_id}/award")
async def award(request: Request, rfq_id: str, who: Buyer, supplier_id: Text = "") -> Response:
    answer = await _act(request, who, f"/rfqs/{rfq_id}/award", {"supplier_id": supplier_id})
    if isinstance(answer, Response):
        return answer
    number = answer.get("purchase_order", {}).get("number", "")
    return RedirectResponse(
        f"/purchasing?done=Awarded:+draft+purchase+order+{number}", status_code=303
    )


@router.post("/purchase-orders/{purchase_order_id}/send")
async def send(request: Request, purchase_order_id: str, who: Buyer) -> Response:
    answer = await _act(request, who, f"/purchase-orders/{purchase_order_id}/send", {})
    if isinstance(answer, Response):
        return answer
    return RedirectResponse(f"/purchasing?done=Sent+{answer.get('number', '')}", status_code=303)


@router.post("/purchase-orders/{purchase_order_id}/cancel")
async def cancel(
    request: Request, purchase_order_id: str, who: Buyer, reason: Reason = ""
) -> Response:
    path = f"/purchase-orders/{purchase_order_id}/cancel"
    answer = await _act(request, who, path, {"reason": reason})
    if isinstance(answer, Response):
        return answer
    return RedirectResponse(
        f"/purchasing?done=Cancelled+{answer.get('number', '')}", status_code=303
    )
