"""/quotes: drafted, priced, sent, revised, accepted or rejected; as a PDF; /quote-templates"""

from typing import Annotated
from urllib.parse import quote as percent_encoded

from fastapi import APIRouter, Query, Request, Response

from gateway.auth import require
from gateway.quote_schemas import (
    AcceptIn,
    Quote,
    QuoteCreateIn,
    QuoteIn,
    QuotePage,
    RejectIn,
    Template,
    TemplateIn,
    TemplateList,
)
from oms.quoting.v1 import quoting_pb2 as pb

router = APIRouter(prefix="/quotes", tags=["quoting"])
templates = APIRouter(prefix="/quote-templates", tags=["quoting"])

WRITERS = require("sales")
READERS = require("sales", "order-desk", "finance")

Version = Annotated[
    int, Query(ge=0, le=2_147_483_647, description="an earlier version; 0 or absent: the latest")
]


@router.post("", status_code=201, response_model=Quote, dependencies=[WRITERS])
async def create_quote(body: QuoteCreateIn, request: Request, response: Response) -> Quote:
    """Drafts a quote, pricing its catalog lines from the customer group's price list now.

    The first version's flat body (`customer_id`, `salesperson`, `currency` and free-text
    `lines`) is still accepted."""
    reply = await request.app.state.clients.quoting.CreateQuote(body.to_request())
    response.headers["Location"] = f"{request.url.path}/{reply.quote.id}"
    return Quote.model_validate(reply.quote)


@router.get("", response_model=QuotePage, dependencies=[READERS])
async def list_quotes(
    request: Request,
    status: Annotated[str, Query(max_length=16, description="draft, sent, accepted...")] = "",
    customer_id: Annotated[str, Query(max_length=100)] = "",
    salesperson: Annotated[str, Query(max_length=200)] = "",
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str, Query(max_length=500)] = "",
) -> QuotePage:
    """Quotes, newest first."""
    reply = await request.app.state.clients.quoting.ListQuotes(
        pb.ListQuotesRequest(
            status=status,
            customer_id=customer_id,
            salesperson=salesperson,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return QuotePage(
        items=[Quote.model_validate(q) for q in reply.quotes],
        next_page_token=reply.next_page_token,
    )


@router.get("/{quote_id}", response_model=Quote, dependencies=[READERS])
async def get_quote(quote_id: str, request: Request, version: Version = 0) -> Quote:
    reply = await request.app.state.clients.quoting.GetQuote(
        pb.GetQuoteRequest(quote_id=quote_id, version=version)
    )
    return Quote.model_validate(reply.quote)


@router.put("/{quote_id}", response_model=Quote, dependencies=[WRITERS])
async def update_quote(quote_id: str, body: QuoteIn, request: Request) -> Quote:
    """Replaces a draft's content (409 unless it is a draft)."""
    reply = await request.app.state.clients.quoting.UpdateQuote(
        pb.UpdateQuoteRequest(quote_id=quote_id, content=body.to_proto())
    )
    return Quote.model_validate(reply.quote)


@router.post("/{quote_id}/send", response_model=Quote, dependencies=[WRITERS])
async def send_quote(quote_id: str, request: Request) -> Quote:
    """draft -> sent (409 from any other status, or past its validity date)."""
    reply = await request.app.state.clients.quoting.SendQuote(
        pb.SendQuoteRequest(quote_id=quote_id)
    )
    return Quote.model_validate(reply.quote)


@router.post("/{quote_id}/revise", response_model=Quote, dependencies=[WRITERS])
async def revise_quote(quote_id: str, request: Request, body: QuoteIn | None = None) -> Quote:
    """A new draft version of a sent, rejected or expired quote; without a body, a copy of the
    latest version, repriced. Earlier versions stay readable with `?version=`."""
    message = pb.ReviseQuoteRequest(quote_id=quote_id)
    if body is not None:
        message.content.CopyFrom(body.to_proto())
    reply = await request.app.state.clients.quoting.ReviseQuote(message)
    return Quote.model_validate(reply.quote)


@router.post("/{quote_id}/accept", response_model=Quote, dependencies=[WRITERS])
@router.post("/{quote_id}/convert", response_model=Quote, dependencies=[WRITERS])
async def accept_quote(quote_id: str, request: Request, body: AcceptIn | None = None) -> Quote:
    """sent -> accepted; the quote becomes a sales order (the default) or an invoice. `convert`
    is the same action, named for what it does to the quote."""
    convert_to = (body or AcceptIn()).convert_to
    reply = await request.app.state.clients.quoting.AcceptQuote(
        pb.AcceptQuoteRequest(quote_id=quote_id, convert_to=convert_to)
    )
    return Quote.model_validate(reply.quote)


@router.post("/{quote_id}/reject", response_model=Quote, dependencies=[WRITERS])
async def reject_quote(quote_id: str, request: Request, body: RejectIn | None = None) -> Quote:
    """sent -> rejected, with the customer's reason."""
    reason = (body or RejectIn()).reason
    reply = await request.app.state.clients.quoting.RejectQuote(
        pb.RejectQuoteRequest(quote_id=quote_id, reason=reason)
    )
    return Quote.model_validate(reply.quote)


@router.get(
    "/{quote_id}/pdf",
    response_class=Response,
    dependencies=[READERS],
    responses={200: {"content": {"application/pdf": {}}, "description": "the quote as a PDF"}},
)
async def quote_pdf(quote_id: str, request: Request, version: Version = 0) -> Response:
    """The quote as a printable PDF, every total as the engine computed it."""
    reply = await request.app.state.clients.quoting.RenderQuote(
        pb.RenderQuoteRequest(quote_id=quote_id, version=version)
    )
    return Response(
        reply.pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": attachment(reply.filename or f"quote-{quote_id}.pdf")},
    )


def attachment(filename: str) -> str:
    """A Content-Disposition header for `filename`: a plain ASCII name, plus the exact name
    (RFC 6266 `filename*`) when it has other characters."""
    plain = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in filename)
    if plain == filename:
        return f'attachment; filename="{plain}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{percent_encoded(filename)}"


@router.post(
    "/{quote_id}/template", status_code=201, response_model=Template, dependencies=[WRITERS]
)
async def save_template(quote_id: str, body: TemplateIn, request: Request) -> Template:
    """Saves the quote's groups as a template to start new quotes from (`template_id`)."""
    reply = await request.app.state.clients.quoting.SaveTemplate(
        pb.SaveTemplateRequest(quote_id=quote_id, name=body.name)
    )
    return Template.model_validate(reply.template)


@templates.get("", response_model=TemplateList, dependencies=[READERS])
async def list_templates(request: Request) -> TemplateList:
    reply = await request.app.state.clients.quoting.ListTemplates(pb.ListTemplatesRequest())
    return TemplateList(items=[Template.model_validate(t) for t in reply.templates])
