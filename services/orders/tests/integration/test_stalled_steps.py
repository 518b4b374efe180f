"""A saga step that stalls, on the real broker and database: a quote whose order cannot be made
is dead-lettered as before and, besides, kept as a stalled step the order desk lists (with the
reason) and retries; announced to quoting (SalesOrderStalled)."""

from __future__ import annotations

from oms.events.v1 import orders_pb2
from oms.orders.v1 import orders_pb2 as pb
from services.orders.tests.integration.conftest import Env
from services.orders.tests.integration.test_orders_from_quotes import accepted
from testkit.services import EventLog, as_user, dead_letter, publish

DESK = as_user("olga", "order-desk")


async def test_a_dead_lettered_quote_stalls_its_order_until_a_retry_goes_through(
    env: Env, kafka_bootstrap: str
) -> None:
    stub, ns, _ = env
    quote = accepted()
    quote.document.breakdown.lines[0].net = "0.01"
    async with EventLog(kafka_bootstrap, [orders_pb2.SalesOrderStalled], ns) as log:
        await publish(kafka_bootstrap, quote, key=quote.quote_id, namespace=ns)
        letter = await dead_letter(kafka_bootstrap, quote.quote_id)
        ((_, stalled),) = await log.wait_for(quote.target_id)
    assert "lines[0].net: stored 0.01" in letter.headers["dlq_error"]
    assert (stalled.order_id, stalled.quote_id, stalled.step) == (
        quote.target_id,
        quote.quote_id,
        "oms.quoting.QuoteAccepted.v1",
    )
    assert "does not price as stated" in stalled.reason
    listed = await stub.ListStalledSteps(pb.ListStalledStepsRequest(), metadata=DESK)
    (step,) = [s for s in listed.steps if s.order_id == quote.target_id]
    assert (step.quote_id, step.status, step.attempts) == (quote.quote_id, "stalled", 0)
    # the cause is still there: the retry applies the event again, refused again
    retry = pb.RetryStalledStepsRequest(order_id=quote.target_id)
    (tried,) = (await stub.RetryStalledSteps(retry, metadata=DESK)).steps
    assert (tried.status, tried.attempts, tried.retried_by) == ("stalled", 1, "olga")
    assert "does not price as stated" in tried.reason
    orders = await stub.ListSalesOrders(pb.ListSalesOrdersRequest(customer_id="C-7"))
    assert quote.target_id not in [o.id for o in orders.orders]
