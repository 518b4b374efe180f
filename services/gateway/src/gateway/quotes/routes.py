"""/quotes: drafted, priced, sent, revised, accepted or rejected; as a PDF; /quote-templates"""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.bodies import MAX_VERSION, IdPath, IdQuery, PageSize, PageToken
from gateway.downloads import pdf, pdf_responses
from gateway.edge.auth import require
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import located, problems
from gateway.quotes.schemas import (
    AcceptIn,
    ApprovalIn,
    ApprovalStatus,
    Quote,
    QuoteCreateIn,
    QuoteIn,
    QuotePage,
    RejectIn,
    Template,
    TemplateIn,
    TemplatePage,
    quote_json,
)
from oms.quoting.v1 import quoting_pb2 as pb

router = APIRouter(prefix="/quotes", tags=["quoting"])
templates = APIRouter(prefix="/quote-templates", tags=["quoting"])
routers = (router, templates)

# A first line of checks; quoting decides, and a salesperson works only their own quotes.
WRITERS = require("sales", "sales-manager")
READERS = require("sales", "sales-manager", "order-desk", "finance")
# Large discounts: a sales manager of the quote's team decides, never on their own quote.
APPROVERS = require("sales-manager")

QuoteId = IdPath
Version = Annotated[
    int, Query(ge=0, le=MAX_VERSION, description="an earlier version; 0 or absent: the latest")
]


@router.post(
    "",
    status_code=201,
    response_model=Quote,
    dependencies=[WRITERS],
    operation_id="createQuote",
    summary="Create a quote",
    responses=located("getQuote", "quote_id") | problems(404),
)
async def create_quote(body: QuoteCreateIn, request: Request) -> Response:
    """Drafts a quote, pricing its catalog lines from the customer group's price list now. You
    are its salesperson unless you are a sales manager naming another.

    The first version's flat body (`customer_id`, `salesperson`, `currency` and free-text
    `lines`) is still accepted. Its Idempotency-Key goes on to quoting as the `request_id`."""
    drafted = body.to_request(request_id(request))
    reply = await request.app.state.clients.quoting.CreateQuote(drafted)
    # Written as Quote would write it (quote_json), without its models: see quote_json.
    answer = Response(quote_json(reply.quote), 201, media_type="application/json")
    answer.headers["Location"] = f"{request.url.path}/{reply.quote.id}"
    return answer


@router.get(
    "",
    response_model=QuotePage,
    dependencies=[READERS],
    operation_id="listQuotes",
    summary="List quotes",
)
async def list_quotes(
    request: Request,
    status: Annotated[str, Query(max_length=16, description="draft, sent, accepted...")] = "",
    customer_id: IdQuery = "",
    salesperson: Annotated[str, Query(max_length=200)] = "",
    approval: Annotated[
        ApprovalStatus | None,
        Query(description="only quotes whose discount approval is in this status"),
    ] = None,
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> QuotePage:
    """The quotes you may see (a salesperson: their own; a sales manager: the team's), newest
    first. A sales manager lists what waits for their approval with `approval=pending`."""
    reply = await request.app.state.clients.quoting.ListQuotes(
        pb.ListQuotesRequest(
            status=status,
            customer_id=customer_id,
            salesperson=salesperson,
            page_size=page_size,
            page_token=page_token,
            approval=approval or "",
        )
    )
    return QuotePage(
        items=[Quote.model_validate(q) for q in reply.quotes],
        next_page_token=reply.next_page_token,
    )


@router.get(
    "/{quote_id}",
    response_model=Quote,
    dependencies=[READERS],
    operation_id="getQuote",
    summary="Get a quote",
    responses=problems(404),
)
async def get_quote(quote_id: QuoteId, request: Request, version: Version = 0) -> Quote:
    """A quote's latest version, or the `version` asked for."""
    reply = await request.app.state.clients.quoting.GetQuote(
        pb.GetQuoteRequest(quote_id=quote_id, version=version)
    )
    return Quote.model_validate(reply.quote)


@router.put(
    "/{quote_id}",
    response_model=Quote,
    dependencies=[WRITERS],
    operation_id="updateQuote",
    summary="Replace a draft quote's content",
    responses=problems(404, 409),
)
async def update_quote(quote_id: QuoteId, body: QuoteIn, request: Request) -> Quote:
    """Replaces a draft's content (409 unless it is a draft)."""
    reply = await request.app.state.clients.quoting.UpdateQuote(
        pb.UpdateQuoteRequest(quote_id=quote_id, content=body.to_proto())
    )
    return Quote.model_validate(reply.quote)


@router.post(
    "/{quote_id}/send",
    response_model=Quote,
    dependencies=[WRITERS],
    operation_id="sendQuote",
    summary="Send a quote",
    responses=problems(404, 409),
)
async def send_quote(quote_id: QuoteId, request: Request) -> Quote:
    """draft -> sent (409 from any other status, past its validity date, or while its discount
    approval is pending or rejected: field `approval`)."""
    reply = await request.app.state.clients.quoting.SendQuote(
        pb.SendQuoteRequest(quote_id=quote_id)
    )
    return Quote.model_validate(reply.quote)


@router.post(
    "/{quote_id}/revise",
    response_model=Quote,
    dependencies=[WRITERS],
    operation_id="reviseQuote",
    summary="Revise a quote",
    responses=problems(404, 409),
)
async def revise_quote(quote_id: QuoteId, request: Request, body: QuoteIn | None = None) -> Quote:
    """A new draft version of a sent, rejected or expired quote; without a body, a copy of the
    latest version, repriced. Earlier versions stay readable with `?version=`."""
    message = pb.ReviseQuoteRequest(quote_id=quote_id)
    if body is not None:
        message.content.CopyFrom(body.to_proto())
    reply = await request.app.state.clients.quoting.ReviseQuote(message)
    return Quote.model_validate(reply.quote)


@router.post(
    "/{quote_id}/accept",
    response_model=Quote,
    dependencies=[WRITERS],
    operation_id="acceptQuote",
    summary="Accept a quote",
    responses=problems(404, 409),
)
@router.post(
    "/{quote_id}/convert",
    response_model=Quote,
    dependencies=[WRITERS],
    operation_id="convertQuote",
    summary="Convert a quote (accept it)",
    responses=problems(404, 409),
)
async def accept_quote(quote_id: QuoteId, request: Request, body: AcceptIn | None = None) -> Quote:
    """sent -> accepted; the quote becomes a sales order (the default) or an invoice. `convert`
    is the same action, named for what it does to the quote. 409 (field `approval`) while its
    discount approval is pending or rejected."""
    convert_to = (body or AcceptIn()).convert_to
    reply = await request.app.state.clients.quoting.AcceptQuote(
        pb.AcceptQuoteRequest(quote_id=quote_id, convert_to=convert_to)
    )
    return Quote.model_validate(reply.quote)


@router.post(
    "/{quote_id}/reject",
    response_model=Quote,
    dependencies=[WRITERS],
    operation_id="rejectQuote",
    summary="Reject a quote",
    responses=problems(404, 409),
)
async def reject_quote(quote_id: QuoteId, request: Request, body: RejectIn | None = None) -> Quote:
    """sent -> rejected, with the customer's reason."""
    reason = (body or RejectIn()).reason
    reply = await request.app.state.clients.quoting.RejectQuote(
        pb.RejectQuoteRequest(quote_id=quote_id, reason=reason)
    )
    return Quote.model_validate(reply.quote)


@router.post(
    "/{quote_id}/approval",
    response_model=Quote,
    dependencies=[APPROVERS],
    operation_id="decideQuoteDiscount",
    summary="Approve or reject a quote's discounts",
    responses=problems(404, 409),
)
async def decide_quote_discount(quote_id: QuoteId, body: ApprovalIn, request: Request) -> Quote:
    """A sales manager approves or rejects the discounts of a quote waiting for approval
    (`approval.status` pending): a discount above the threshold (`QUOTING_DISCOUNT_APPROVAL_ABOVE`,
    20 % by default) of what it applies to. Only a quote of your team, never one you are the
    salesperson or creator of (403); 409 (field `approval`) when its approval is not pending."""
    reply = await request.app.state.clients.quoting.DecideQuoteDiscount(body.to_proto(quote_id))
    return Quote.model_validate(reply.quote)


@router.get(
    "/{quote_id}/pdf",
    response_class=Response,
    dependencies=[READERS],
    responses=problems(404) | pdf_responses("the quote as a PDF"),
    operation_id="getQuotePdf",
    summary="Download a quote as a PDF",
)
async def quote_pdf(quote_id: QuoteId, request: Request, version: Version = 0) -> Response:
    """The quote as a printable PDF, every total as the engine computed it."""
    reply = await request.app.state.clients.quoting.RenderQuote(
        pb.RenderQuoteRequest(quote_id=quote_id, version=version)
    )
    return pdf(reply.pdf, reply.filename or f"quote-{quote_id}.pdf")


@router.post(
    "/{quote_id}/template",
    status_code=201,
    response_model=Template,
    dependencies=[WRITERS],
    operation_id="saveQuoteTemplate",
    summary="Save a quote as a template",
    responses=problems(404),
)
async def save_template(quote_id: QuoteId, body: TemplateIn, request: Request) -> Template:
    """Saves the quote's groups as a template to start new quotes from (`template_id`). Its
    Idempotency-Key goes on to quoting as the `request_id`."""
    reply = await request.app.state.clients.quoting.SaveTemplate(
        pb.SaveTemplateRequest(quote_id=quote_id, name=body.name, request_id=request_id(request))
    )
    return Template.model_validate(reply.template)


@templates.get(
    "",
    response_model=TemplatePage,
    dependencies=[READERS],
    operation_id="listQuoteTemplates",
    summary="List quote templates",
)
async def list_templates(
    request: Request, page_size: PageSize = 50, page_token: PageToken = ""
) -> TemplatePage:
    """Templates by name."""
    reply = await request.app.state.clients.quoting.ListTemplates(
        pb.ListTemplatesRequest(page_size=page_size, page_token=page_token)
    )
    return TemplatePage(
        items=[Template.model_validate(t) for t in reply.templates],
        next_page_token=reply.next_page_token,
    )
