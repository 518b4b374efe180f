"""The quote builder: quotes (a salesperson's own, a manager's team's), and one quote's groups
and lines edited in place, repriced by the engine as the salesperson types (quote-builder.js
posts the form to /totals and shows the fragment; without a script, Recalculate posts it), a
catalog search adding product lines, the PDF, and send, accept and reject."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote as url_quoted
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from web.adapters.gateway import GatewayError
from web.application.accounts import Current
from web.domain.pages import Page
from web.domain.quote_form import (
    FormContent,
    add_product,
    content_from_form,
    content_of,
    taxes_text,
)
from web.entrypoints.sales import customers_of, done_of, part, redirect
from web.entrypoints.security import user_for, web_of

router = APIRouter(prefix="/quotes")
Seller = Annotated[Current, Depends(user_for(Page.QUOTES))]
Text = Annotated[str, Form(max_length=200)]
STATUSES = ("draft", "sent", "accepted", "rejected", "expired")
APPROVALS = ("not_required", "pending", "approved", "rejected")
SEARCH_SHOWN = "10"


def _path(quote_id: str) -> str:
    return f"/quotes/{url_quoted(quote_id)}"


@router.get("", response_class=HTMLResponse)
async def quotes_page(request: Request, who: Seller) -> Response:
    web = web_of(request)
    token = web.token(who)
    filters = {
        "status": request.query_params.get("status", ""),
        "approval": request.query_params.get("approval", ""),
    }
    filters = {k: v for k, v in filters.items() if v in (STATUSES if k == "status" else APPROVALS)}
    page = await web.gateway.get(
        token,
        "/quotes",
        page_size="50",
        page_token=request.query_params.get("page_token", "")[:500],
        **filters,
    )
    customers = await customers_of(web, token)
    return web.render(
        request,
        "sales/quotes.html",
        title="Quotes" if who.user.role == "sales" else "The team's quotes",
        page=page,
        filters=filters,
        statuses=STATUSES,
        approvals=APPROVALS,
        names={c["id"]: c["name"] for c in customers},
        query=urlencode(filters),
    )


async def _quote_page(
    request: Request,
    who: Current,
    quote_id: str,
    status_code: int = 200,
    error: GatewayError | None = None,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    web = web_of(request)
    token = web.token(who)
    quote = await web.gateway.get(token, _path(quote_id))
    customer, _ = await part(
        web.gateway.get_optional(token, f"/customers/{url_quoted(quote['customer_id'])}")
    )
    text = request.query_params.get("text", "").strip()[:200]
    products: list[dict[str, Any]] = []
    search_error = ""
    if text and quote["status"] == "draft":
        found, search_error = await part(
            web.gateway.get(token, "/products", text=text, page_size=SEARCH_SHOWN)
        )
        products = (found or {}).get("items", [])
    document = quote.get("document") or {}
    return web.render(
        request,
        "sales/quote.html",
        status_code,
        title=f"Quote {quote.get('number') or quote['id']}",
        quote=quote,
        document=document,
        totals=document.get("totals"),
        customer=customer,
        editable=quote["status"] == "draft",
        text=text,
        products=products,
        search_error=search_error,
        error=error,
        errors=errors or {},
        form=form or {},
        taxes_text=taxes_text,
        done=done_of(request),
    )


@router.get("/{quote_id}", response_class=HTMLResponse)
async def quote_page(request: Request, quote_id: str, who: Seller) -> Response:
    return await _quote_page(request, who, quote_id)


async def _reprice(
    request: Request, who: Current, quote_id: str
) -> tuple[dict[str, Any] | None, FormContent, GatewayError | None]:
    """The form PUT as the draft's content: the repriced quote, or the errors by form field."""
    web = web_of(request)
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    built = content_from_form(form)
    if built.errors:
        return None, built, GatewayError(400, "check the fields marked", dict(built.errors))
    try:
        quote = await web.gateway.put(web.token(who), _path(quote_id), built.content)
    except GatewayError as error:
        if error.status >= 500:
            raise
        built.errors.update({built.field_of(k): v for k, v in error.fields.items()})
        return None, built, error
    return quote, built, None


@router.post("/{quote_id}")
async def recalculate(request: Request, quote_id: str, who: Seller) -> Response:
    """Recalculate without a script: the draft saved and repriced, the page shown again."""
    _, built, error = await _reprice(request, who, quote_id)
    if error is not None:
        form = {k: str(v) for k, v in (await request.form()).items()}
        return await _quote_page(request, who, quote_id, error.status, error, built.errors, form)
    return redirect(_path(quote_id), "Saved and recalculated")


@router.post("/{quote_id}/totals", response_class=HTMLResponse)
async def totals(request: Request, quote_id: str, who: Seller) -> Response:
    """The totals fragment of the draft saved from the form (for quote-builder.js)."""
    web = web_of(request)
    quote, built, error = await _reprice(request, who, quote_id)
    document = (quote or {}).get("document") or {}
    return web.render(
        request,
        "sales/quote_totals.html",
        200 if error is None else error.status,
        quote=quote,
        totals=document.get("totals"),
        nets=line_nets(built, document),
        error=error,
        errors=built.errors,
    )


def line_nets(built: FormContent, document: dict[str, Any]) -> dict[str, str]:
    """Each form line's net as the engine priced it, for the script to show in its row; none
    for a group whose lines the engine did not answer one for one (a kit split in parts)."""
    nets: dict[str, str] = {}
    for origins, group in zip(built.lines, document.get("groups") or [], strict=False):
        lines = group.get("lines") or []
        if len(lines) == len(origins):
            nets |= {at: line.get("net") or "" for at, line in zip(origins, lines, strict=True)}
    return nets


@router.post("/{quote_id}/lines")
async def add_line(
    request: Request,
    quote_id: str,
    who: Seller,
    product_id: Text = "",
    group: Text = "0",
    quantity: Text = "1",
) -> Response:
    """A catalog product added as a line of the draft (the rest of it as saved)."""
    web = web_of(request)
    token = web.token(who)
    if not quantity.strip().isdigit() or int(quantity) < 1:
        problem = GatewayError(400, "a quantity is a whole number, 1 or more", {"quantity": ""})
        return await _quote_page(request, who, quote_id, 400, problem)
    quote = await web.gateway.get(token, _path(quote_id))
    content = content_of(quote)
    add_product(content, int(group) if group.isdigit() else 0, product_id, int(quantity))
    try:
        await web.gateway.put(token, _path(quote_id), content)
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _quote_page(request, who, quote_id, error.status, error)
    return redirect(_path(quote_id), "Product added")


@router.get("/{quote_id}/pdf")
async def quote_pdf(request: Request, quote_id: str, who: Seller) -> Response:
    web = web_of(request)
    download = await web.gateway.get_bytes(web.token(who), f"{_path(quote_id)}/pdf")
    safe = "".join(c for c in download.filename if c.isalnum() or c in "-_.") or "quote.pdf"
    return Response(
        download.content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{safe}"'},
    )


async def _act(
    request: Request, who: Current, quote_id: str, action: str, body: dict[str, Any], done: str
) -> Response:
    web = web_of(request)
    try:
        await web.gateway.post(web.token(who), f"{_path(quote_id)}/{action}", body)
    except GatewayError as error:
        if error.status >= 500:
            raise
        return await _quote_page(request, who, quote_id, error.status, error)
    return redirect(_path(quote_id), done)


@router.post("/{quote_id}/send")
async def send(request: Request, quote_id: str, who: Seller) -> Response:
    return await _act(request, who, quote_id, "send", {}, "Sent")


@router.post("/{quote_id}/accept")
async def accept(request: Request, quote_id: str, who: Seller) -> Response:
    body = {"convert_to": "sales_order"}
    return await _act(request, who, quote_id, "accept", body, "Accepted into a sales order")


@router.post("/{quote_id}/reject")
async def reject(request: Request, quote_id: str, who: Seller, reason: Text = "") -> Response:
    return await _act(request, who, quote_id, "reject", {"reason": reason}, "Rejected")
