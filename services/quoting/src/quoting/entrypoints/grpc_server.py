"""oms.quoting.v1.QuotingService: each RPC maps its request to a command or query, runs the use
case and maps the result back. Errors are servicekit.errors, which the server adapter
(servicekit.grpc) turns into status codes."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from oms.quoting.v1 import quoting_pb2 as pb
from oms.quoting.v1 import quoting_pb2_grpc
from quoting.adapters.protobuf import content_from_proto
from quoting.application.commands.accept_quote import AcceptQuote, accept_quote
from quoting.application.commands.create_quote import CreateQuote, create_quote
from quoting.application.commands.decide_quote_discount import (
    DecideQuoteDiscount,
    decide_quote_discount,
)
from quoting.application.commands.mark_request_lost import MarkRequestLost, mark_request_lost
from quoting.application.commands.quote_request import QuoteRequest, quote_request
from quoting.application.commands.register_request import register_request
from quoting.application.commands.reject_quote import RejectQuote, reject_quote
from quoting.application.commands.revise_quote import ReviseQuote, revise_quote
from quoting.application.commands.save_template import SaveTemplate, save_template
from quoting.application.commands.send_quote import SendQuote, send_quote
from quoting.application.commands.update_quote import UpdateQuote, update_quote
from quoting.application.ports import Ports
from quoting.application.queries.get_quote import GetQuote, get_quote
from quoting.application.queries.get_request import get_request
from quoting.application.queries.list_quotes import ListQuotes, list_quotes
from quoting.application.queries.list_requests import ListRequests, list_requests
from quoting.application.queries.list_templates import ListTemplates, list_templates
from quoting.application.queries.lost_demand_report import LostDemandReport, lost_demand_report
from quoting.application.queries.render_quote import RenderQuote, render_quote
from quoting.domain.approval import Decision
from quoting.entrypoints.messages import content_of, quote_to_proto, template_to_proto
from quoting.entrypoints.request_messages import register_command, report_to_proto, request_to_proto
from servicekit.idempotency import fingerprint

Context: TypeAlias = grpc.aio.ServicerContext

# The wire's decisions as the domain names them; unspecified is none (INVALID_ARGUMENT).
DECISIONS = {
    pb.DISCOUNT_DECISION_APPROVE: Decision.APPROVE.value,
    pb.DISCOUNT_DECISION_REJECT: Decision.REJECT.value,
}


class QuotingServicer(quoting_pb2_grpc.QuotingServiceServicer):
    def __init__(self, ports: Ports) -> None:
        self.ports = ports

    async def CreateQuote(
        self, request: pb.CreateQuoteRequest, context: Context
    ) -> pb.CreateQuoteResponse:
        # only a request a client may retry is fingerprinted: a 1,000-line one costs a copy
        retried = fingerprint(request) if request.request_id else ""
        command = CreateQuote(content_of(request), request.request_id, retried)
        quote = await create_quote(self.ports, command)
        return pb.CreateQuoteResponse(quote=quote_to_proto(quote))

    async def GetQuote(self, request: pb.GetQuoteRequest, context: Context) -> pb.GetQuoteResponse:
        quote = await get_quote(self.ports, GetQuote(request.quote_id, request.version))
        return pb.GetQuoteResponse(quote=quote_to_proto(quote))

    async def ListQuotes(
        self, request: pb.ListQuotesRequest, context: Context
    ) -> pb.ListQuotesResponse:
        query = ListQuotes(
            request.status,
            request.customer_id,
            request.salesperson,
            request.page_size,
            request.page_token,
            request.approval,
        )
        found, token = await list_quotes(self.ports, query)
        return pb.ListQuotesResponse(
            quotes=[quote_to_proto(q) for q in found], next_page_token=token
        )

    async def UpdateQuote(
        self, request: pb.UpdateQuoteRequest, context: Context
    ) -> pb.UpdateQuoteResponse:
        command = UpdateQuote(request.quote_id, content_from_proto(request.content))
        quote = await update_quote(self.ports, command)
        return pb.UpdateQuoteResponse(quote=quote_to_proto(quote))

    async def SendQuote(
        self, request: pb.SendQuoteRequest, context: Context
    ) -> pb.SendQuoteResponse:
        quote = await send_quote(self.ports, SendQuote(request.quote_id))
        return pb.SendQuoteResponse(quote=quote_to_proto(quote))

    async def ReviseQuote(
        self, request: pb.ReviseQuoteRequest, context: Context
    ) -> pb.ReviseQuoteResponse:
        content = content_from_proto(request.content) if request.HasField("content") else None
        quote = await revise_quote(self.ports, ReviseQuote(request.quote_id, content))
        return pb.ReviseQuoteResponse(quote=quote_to_proto(quote))

    async def AcceptQuote(
        self, request: pb.AcceptQuoteRequest, context: Context
    ) -> pb.AcceptQuoteResponse:
        command = AcceptQuote(request.quote_id, request.convert_to)
        quote = await accept_quote(self.ports, command)
        return pb.AcceptQuoteResponse(quote=quote_to_proto(quote))

    async def RejectQuote(
        self, request: pb.RejectQuoteRequest, context: Context
    ) -> pb.RejectQuoteResponse:
        quote = await reject_quote(self.ports, RejectQuote(request.quote_id, request.reason))
        return pb.RejectQuoteResponse(quote=quote_to_proto(quote))

    async def SaveTemplate(
        self, request: pb.SaveTemplateRequest, context: Context
    ) -> pb.SaveTemplateResponse:
        command = SaveTemplate(
            request.quote_id, request.name, request.request_id, fingerprint(request)
        )
        template = await save_template(self.ports, command)
        return pb.SaveTemplateResponse(template=template_to_proto(template))

    async def ListTemplates(
        self, request: pb.ListTemplatesRequest, context: Context
    ) -> pb.ListTemplatesResponse:
        query = ListTemplates(request.page_size, request.page_token)
        found, token = await list_templates(self.ports, query)
        return pb.ListTemplatesResponse(
            templates=[template_to_proto(t) for t in found], next_page_token=token
        )

    async def RenderQuote(
        self, request: pb.RenderQuoteRequest, context: Context
    ) -> pb.RenderQuoteResponse:
        rendered = await render_quote(self.ports, RenderQuote(request.quote_id, request.version))
        return pb.RenderQuoteResponse(pdf=rendered.pdf, filename=rendered.filename)

    async def DecideQuoteDiscount(
        self, request: pb.DecideQuoteDiscountRequest, context: Context
    ) -> pb.DecideQuoteDiscountResponse:
        decision = DECISIONS.get(request.decision, "")
        command = DecideQuoteDiscount(request.quote_id, decision, request.note)
        quote = await decide_quote_discount(self.ports, command)
        return pb.DecideQuoteDiscountResponse(quote=quote_to_proto(quote))

    # Customer requests

    async def RegisterRequest(
        self, request: pb.RegisterRequestRequest, context: Context
    ) -> pb.RegisterRequestResponse:
        registered = await register_request(self.ports, register_command(request))
        return pb.RegisterRequestResponse(request=request_to_proto(registered))

    async def GetRequest(
        self, request: pb.GetRequestRequest, context: Context
    ) -> pb.GetRequestResponse:
        found = await get_request(self.ports, request.request_id)
        return pb.GetRequestResponse(request=request_to_proto(found))

    async def ListRequests(
        self, request: pb.ListRequestsRequest, context: Context
    ) -> pb.ListRequestsResponse:
        query = ListRequests(
            status=request.status,
            owner=request.owner,
            source=request.source,
            customer_id=request.customer_id,
            created_from=request.created_from,
            created_to=request.created_to,
            page_size=request.page_size,
            page_token=request.page_token,
        )
        found, token = await list_requests(self.ports, query)
        return pb.ListRequestsResponse(
            requests=[request_to_proto(r) for r in found], next_page_token=token
        )

    async def MarkRequestLost(
        self, request: pb.MarkRequestLostRequest, context: Context
    ) -> pb.MarkRequestLostResponse:
        command = MarkRequestLost(request.request_id, request.reason, request.note)
        lost = await mark_request_lost(self.ports, command)
        return pb.MarkRequestLostResponse(request=request_to_proto(lost))

    async def QuoteRequest(
        self, request: pb.QuoteRequestRequest, context: Context
    ) -> pb.QuoteRequestResponse:
        command = QuoteRequest(request.request_id, content_from_proto(request.content))
        quote, quoted = await quote_request(self.ports, command)
        return pb.QuoteRequestResponse(
            quote=quote_to_proto(quote), request=request_to_proto(quoted)
        )

    async def LostDemandReport(
        self, request: pb.LostDemandReportRequest, context: Context
    ) -> pb.LostDemandReportResponse:
        query = LostDemandReport(request.from_date, request.to_date, request.period)
        return report_to_proto(await lost_demand_report(self.ports, query))
