"""Work queues: what waits for the signed-in user, by role -- my overdue tasks (everyone),
orders on credit hold (finance releases them, the order desk follows them), quotes whose
discounts wait for a sales manager, saga steps that stalled and WooCommerce store orders the
connector parked (the order desk retries both), supplier bills held for release (finance) and
the events a service could not apply, its dead letters (admins re-drive or resolve them,
docs/dead-letters.md). Each row links to, or carries, the way to work it."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any
from urllib.parse import quote, quote_plus

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from web.adapters.gateway import GatewayError
from web.application.accounts import Current
from web.domain.pages import Page, may_open
from web.entrypoints.security import Forbidden, user_for, web_of

router = APIRouter(prefix="/queues")
Anyone = Annotated[Current, Depends(user_for(Page.QUEUES))]
Note = Annotated[str, Form(max_length=500)]
SHOWN = "100"
# which queues each role works; the gateway and the services refuse the rest anyway
QUEUES_OF: dict[str, frozenset[str]] = {
    "order-desk": frozenset({"credit_holds", "stalled", "store_orders"}),
    "finance": frozenset({"credit_holds", "bills"}),
    "sales-manager": frozenset({"approvals"}),
    "purchasing": frozenset({"bills"}),
    "admin": frozenset(
        {"credit_holds", "approvals", "stalled", "store_orders", "bills", "dead_letters"}
    ),
}
# the stage an order waits in on credit hold, and the one finance releases it to
APPROVAL, EXECUTION = "approval", "execution"


async def _part(read: Awaitable[Any]) -> tuple[list[Any], str]:
    """A queue's rows, or why it is not shown (the other queues stand)."""
    try:
        found = await read
    except GatewayError as error:
        if error.status >= 500:
            return [], f"the gateway could not answer ({error.detail})"
        if error.status == 403:
            return [], "not available to your role"
        if error.status in (404, 422):  # a route or filter this gateway does not have yet
            return [], "not available"
        return [], error.detail
    return list(found.get("items", [])), ""


async def _dead_letters(read: Awaitable[Any]) -> tuple[tuple[list[Any], str], list[str]]:
    """The open dead letters (as `_part`), and the services that did not say theirs."""
    missing: list[str] = []

    async def kept() -> Any:
        found = await read
        missing.extend(found.get("missing", []))
        return found

    return await _part(kept()), missing


async def _page(
    request: Request, who: Current, status_code: int = 200, error: GatewayError | None = None
) -> Response:
    web = web_of(request)
    token, gateway = web.token(who), web.gateway
    role = who.user.role
    mine = QUEUES_OF.get(role, frozenset())
    queues: dict[str, tuple[list[Any], str]] = {}
    names: dict[str, str] = {}
    queues["tasks"] = await _part(
        gateway.get(token, "/tasks", assignee="me", status="open", overdue="true", page_size=SHOWN)
    )
    if "credit_holds" in mine:
        rows, why = await _part(
            gateway.get(token, "/sales-orders", status=APPROVAL, page_size=SHOWN)
        )
        queues["credit_holds"] = ([o for o in rows if o.get("credit_hold")], why)
        if queues["credit_holds"][0]:
            customers, _ = await _part(gateway.get(token, "/customers", page_size="200"))
            names.update({c["id"]: c["name"] for c in customers})
    if "approvals" in mine:
        queues["approvals"] = await _part(
            gateway.get(token, "/quotes", approval="pending", page_size=SHOWN)
        )
    if "stalled" in mine:
        queues["stalled"] = await _part(
            gateway.get(token, "/sales-orders/stalled", page_size=SHOWN)
        )
    if "store_orders" in mine:
        queues["store_orders"] = await _part(
            gateway.get(token, "/store-orders", state="parked", page_size=SHOWN)
        )
    if "bills" in mine:
        queues["bills"] = await _part(gateway.get(token, "/bills", status="held", page_size=SHOWN))
    silent: list[str] = []
    if "dead_letters" in mine:
        queues["dead_letters"], silent = await _dead_letters(gateway.get(token, "/dead-letters"))
    return web.render(
        request,
        "queues/index.html",
        status_code,
        title="Work queues",
        queues=queues,
        names=names,
        opens_orders=may_open(role, Page.ORDERS),
        releases=role in ("finance", "admin"),
        silent=silent,
        error=error,
        done=request.query_params.get("done", ""),
    )


@router.get("", response_class=HTMLResponse)
async def queues_page(request: Request, who: Anyone) -> Response:
    return await _page(request, who)


def _works(who: Current, *roles: str) -> None:
    """Only the roles that work a queue act on it here (the gateway checks again)."""
    if who.user.role not in (*roles, "admin"):
        raise Forbidden(f"your role ({who.user.role}) does not work this queue")


async def _act(
    request: Request, who: Current, path: str, body: dict[str, Any], done: str
) -> Response:
    web = web_of(request)
    try:
        await web.gateway.post(web.token(who), path, body)
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _page(request, who, error.status, error)
    return RedirectResponse(f"/queues?done={done}", status_code=303)


@router.post("/credit-holds/{order_id}/release")
async def release_hold(request: Request, order_id: str, who: Anyone, note: Note = "") -> Response:
    _works(who, "finance")
    body = {"to_stage": EXECUTION, "release_credit_hold": True, "reason": note}
    path = f"/sales-orders/{order_id}/transitions"
    return await _act(request, who, path, body, f"Released+order+{order_id}")


@router.post("/approvals/{quote_id}")
async def decide(
    request: Request,
    quote_id: str,
    who: Anyone,
    decision: Annotated[str, Form(max_length=10)] = "",
    note: Note = "",
) -> Response:
    _works(who, "sales-manager")
    if decision not in ("approve", "reject"):
        problem = GatewayError(400, "approve or reject", {"decision": "approve or reject"})
        return await _page(request, who, 400, problem)
    body = {"decision": decision, "note": note}
    word = "Approved" if decision == "approve" else "Rejected"
    return await _act(request, who, f"/quotes/{quote_id}/approval", body, f"{word}+{quote_id}")


@router.post("/stalled/{order_id}/retry")
async def retry(request: Request, order_id: str, who: Anyone) -> Response:
    _works(who, "order-desk")
    path = f"/sales-orders/{order_id}/retry"
    return await _act(request, who, path, {}, f"Retried+order+{order_id}")


@router.post("/store-orders/{store_id}/{woo_order_id}/retry")
async def retry_store_order(
    request: Request, store_id: str, woo_order_id: int, who: Anyone
) -> Response:
    _works(who, "order-desk")
    path = f"/store-orders/{quote(store_id, safe='')}/{woo_order_id}/retry"
    done = f"Retried+store+order+{quote_plus(store_id)}+{woo_order_id}"
    return await _act(request, who, path, {}, done)


@router.post("/bills/{bill_id}/release")
async def release_bill(request: Request, bill_id: str, who: Anyone, note: Note = "") -> Response:
    _works(who, "finance")
    path = f"/bills/{bill_id}/release"
    return await _act(request, who, path, {"note": note}, f"Released+bill+{bill_id}")


def _dead_letter(service: str, event_id: str) -> str:
    return f"/dead-letters/{quote(service, safe='')}/{quote(event_id, safe='')}"


@router.post("/dead-letters/{service}/{event_id}/redrive")
async def redrive(request: Request, service: str, event_id: str, who: Anyone) -> Response:
    _works(who)  # admins only
    web = web_of(request)
    try:
        done = await web.gateway.post(
            web.token(who), f"{_dead_letter(service, event_id)}/redrive", {}
        )
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _page(request, who, error.status, error)
    failed = done.get("failed_again", []) if isinstance(done, dict) else []
    said = f"Re-drove event {event_id}" + (
        f"; {', '.join(failed)} failed again and wait here anew" if failed else ""
    )
    return RedirectResponse(f"/queues?done={quote_plus(said)}", status_code=303)


@router.post("/dead-letters/{service}/{event_id}/resolve")
async def resolve(
    request: Request, service: str, event_id: str, who: Anyone, note: Note = ""
) -> Response:
    _works(who)  # admins only
    path = f"{_dead_letter(service, event_id)}/resolve"
    return await _act(request, who, path, {"note": note}, quote_plus(f"Resolved event {event_id}"))
