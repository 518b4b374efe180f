"""quoting.v1.QuotingService: protobuf in, use cases, protobuf out."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from oms.quoting.v1 import quoting_pb2 as pb
from oms.quoting.v1 import quoting_pb2_grpc
from oms.types.v1.types_pb2 import Money
from quoting.application.quotes import Quotes
from quoting.application.templates import Templates
from quoting.domain.content import from_first_version
from quoting.domain.model import Quote
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext


def quote_to_proto(quote: Quote) -> pb.Quote:
    content, document = quote.content, quote.document
    currency = document.currency
    figures = {line.line_id: line for line in document.breakdown.lines}
    return pb.Quote(
        id=quote.id,
        version=quote.version,
        latest_version=quote.latest_version,
        status=quote.status.value,
        customer_id=content.customer_id,
        customer_group=content.customer_group,
        salesperson=content.salesperson,
        currency=currency,
        valid_until=content.valid_until,
        payment_terms=content.payment_terms,
        terms_and_conditions=content.terms_and_conditions,
        notes=content.notes,
        document=document,
        total=Money(amount=quote.total, currency=currency),
        lines=[
            pb.QuoteLine(
                description=line.description,
                quantity=int(line.quantity),
                unit_price=Money(amount=line.unit_price, currency=currency),
                line_total=Money(amount=figures[line.line_id].net, currency=currency),
            )
            for group in document.groups
            for line in group.lines
        ],
        converted_to=quote.converted_to,
        converted_id=quote.converted_id,
        rejection_reason=quote.rejection_reason,
        created_at=timestamp(quote.created_at),
        created_by=quote.created_by,
        updated_at=timestamp(quote.updated_at),
        team=quote.team,
    )


class QuotingServicer(quoting_pb2_grpc.QuotingServiceServicer):
    def __init__(self, quotes: Quotes, templates: Templates) -> None:
        self.quotes = quotes
        self.templates = templates

    async def CreateQuote(
        self, request: pb.CreateQuoteRequest, context: Context
    ) -> pb.CreateQuoteResponse:
        content = request.content if request.HasField("content") else from_first_version(request)
        return pb.CreateQuoteResponse(quote=quote_to_proto(await self.quotes.create(content)))

    async def GetQuote(self, request: pb.GetQuoteRequest, context: Context) -> pb.GetQuoteResponse:
        quote = await self.quotes.get(request.quote_id, request.version)
        return pb.GetQuoteResponse(quote=quote_to_proto(quote))

    async def ListQuotes(
        self, request: pb.ListQuotesRequest, context: Context
    ) -> pb.ListQuotesResponse:
        found, token = await self.quotes.page(
            request.status,
            request.customer_id,
            request.salesperson,
            request.page_size,
            request.page_token,
        )
        return pb.ListQuotesResponse(
            quotes=[quote_to_proto(q) for q in found], next_page_token=token
        )

    async def UpdateQuote(
        self, request: pb.UpdateQuoteRequest, context: Context
    ) -> pb.UpdateQuoteResponse:
        quote = await self.quotes.update(request.quote_id, request.content)
        return pb.UpdateQuoteResponse(quote=quote_to_proto(quote))

    async def SendQuote(
        self, request: pb.SendQuoteRequest, context: Context
    ) -> pb.SendQuoteResponse:
        return pb.SendQuoteResponse(quote=quote_to_proto(await self.quotes.send(request.quote_id)))

    async def ReviseQuote(
        self, request: pb.ReviseQuoteRequest, context: Context
    ) -> pb.ReviseQuoteResponse:
        content = request.content if request.HasField("content") else None
        quote = await self.quotes.revise(request.quote_id, content)
        return pb.ReviseQuoteResponse(quote=quote_to_proto(quote))

    async def AcceptQuote(
        self, request: pb.AcceptQuoteRequest, context: Context
    ) -> pb.AcceptQuoteResponse:
        quote = await self.quotes.accept(request.quote_id, request.convert_to)
        return pb.AcceptQuoteResponse(quote=quote_to_proto(quote))

    async def RejectQuote(
        self, request: pb.RejectQuoteRequest, context: Context
    ) -> pb.RejectQuoteResponse:
        quote = await self.quotes.reject(request.quote_id, request.reason)
        return pb.RejectQuoteResponse(quote=quote_to_proto(quote))

    async def SaveTemplate(
        self, request: pb.SaveTemplateRequest, context: Context
    ) -> pb.SaveTemplateResponse:
        template = await self.templates.save(request.quote_id, request.name)
        return pb.SaveTemplateResponse(template=template)

    async def ListTemplates(
        self, request: pb.ListTemplatesRequest, context: Context
    ) -> pb.ListTemplatesResponse:
        found, token = await self.templates.page(request.page_size, request.page_token)
        return pb.ListTemplatesResponse(templates=found, next_page_token=token)

    async def RenderQuote(
        self, request: pb.RenderQuoteRequest, context: Context
    ) -> pb.RenderQuoteResponse:
        content, filename = await self.quotes.render(request.quote_id, request.version)
        return pb.RenderQuoteResponse(pdf=content, filename=filename)
