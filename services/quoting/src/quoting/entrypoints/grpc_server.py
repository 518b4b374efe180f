"""quoting.v1.QuotingService: protobuf in, use cases, protobuf out."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from oms.quoting.v1 import quoting_pb2 as pb
from oms.quoting.v1 import quoting_pb2_grpc
from pricing.wire import money_to_proto
from quoting.application.quotes import Quotes
from quoting.domain.model import Quote, QuoteRequest
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext


def quote_to_proto(quote: Quote) -> pb.Quote:
    return pb.Quote(
        id=quote.id,
        customer_id=quote.customer_id,
        salesperson=quote.salesperson,
        currency=quote.currency,
        total=money_to_proto(quote.total),
        status=quote.status,
        created_at=timestamp(quote.created_at),
        created_by=quote.created_by,
        lines=[
            pb.QuoteLine(
                description=x.description,
                quantity=x.quantity,
                unit_price=money_to_proto(x.unit_price),
                line_total=money_to_proto(x.total),
            )
            for x in quote.lines
        ],
    )


class QuotingServicer(quoting_pb2_grpc.QuotingServiceServicer):
    def __init__(self, quotes: Quotes) -> None:
        self.quotes = quotes

    async def CreateQuote(
        self, request: pb.CreateQuoteRequest, context: Context
    ) -> pb.CreateQuoteResponse:
        lines = [
            (x.description, x.quantity, x.unit_price.amount, x.unit_price.currency)
            for x in request.lines
        ]
        quote = await self.quotes.create(
            QuoteRequest(request.customer_id, request.salesperson, request.currency, lines)
        )
        return pb.CreateQuoteResponse(quote=quote_to_proto(quote))

    async def GetQuote(self, request: pb.GetQuoteRequest, context: Context) -> pb.GetQuoteResponse:
        return pb.GetQuoteResponse(quote=quote_to_proto(await self.quotes.get(request.quote_id)))
