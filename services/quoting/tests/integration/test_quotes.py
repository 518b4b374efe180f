"""Quoting against the real broker and database."""

from collections.abc import Awaitable, Callable

import grpc
import pytest

from oms.events.v1 import quoting_pb2 as events
from oms.quoting.v1 import quoting_pb2 as pb
from oms.quoting.v1 import quoting_pb2_grpc
from oms.types.v1.types_pb2 import Money
from quoting.bootstrap import SPEC
from quoting.config import Settings
from servicekit.grpc import violations_of
from testkit.services import EventLog, as_user, serving


async def test_a_quote_is_created_announced_and_read_back(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> None:
    async with serving(SPEC, Settings, await fresh_database("quoting"), kafka_bootstrap) as (
        channel,
        ns,
    ):
        stub = quoting_pb2_grpc.QuotingServiceStub(channel)
        line = pb.QuoteLine(
            description="Install", quantity=2, unit_price=Money(amount="99.995", currency="EUR")
        )
        request = pb.CreateQuoteRequest(
            customer_id="C-1", salesperson="sam", currency="EUR", lines=[line]
        )
        async with EventLog(kafka_bootstrap, [events.QuoteCreated], ns) as log:
            quote = (await stub.CreateQuote(request, metadata=as_user("sam", "sales"))).quote
            ((envelope, created),) = await log.wait_for(quote.id)
        assert (quote.total.amount, quote.created_by) == ("199.99", "sam")
        assert (envelope.type, envelope.source, envelope.actor.subject) == (
            "oms.quoting.QuoteCreated.v1",
            "/oms/quoting",
            "sam",
        )
        assert created.total.amount == "199.99"
        assert (await stub.GetQuote(pb.GetQuoteRequest(quote_id=quote.id))).quote == quote

        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.CreateQuote(pb.CreateQuoteRequest(currency="EUR"))
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert [v.field for v in violations_of(refused.value)] == [
            "customer_id",
            "salesperson",
            "lines",
        ]
