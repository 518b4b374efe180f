"""/rfqs against a fake procurement service: what reaches the service from a retried creation."""

from __future__ import annotations

from typing import Any

from gateway.edge.idempotency import HEADER
from gateway.rfqs.examples import RFQ_IN
from oms.procurement.v1 import procurement_pb2 as pb
from oms.procurement.v1 import procurement_pb2_grpc
from services.gateway.tests.unit.conftest import GatewayOver
from services.gateway.tests.unit.fakes import memory_stores
from testkit.services import signed_in

BUYER = signed_in("pia", "purchasing")


class FakeProcurement(procurement_pb2_grpc.ProcurementServiceServicer):
    def __init__(self) -> None:
        self.requests: list[pb.CreateRfqRequest] = []

    async def CreateRfq(self, request: pb.CreateRfqRequest, context: Any) -> pb.CreateRfqResponse:
        self.requests.append(request)
        rfq = pb.Rfq(id="rfq-1", currency=request.currency, status="open")
        return pb.CreateRfqResponse(rfq=rfq)


async def test_an_rfq_is_created_with_a_request_id_that_the_same_key_repeats(
    gateway_over: GatewayOver,
) -> None:
    procurement = FakeProcurement()
    registration = (procurement_pb2_grpc.add_ProcurementServiceServicer_to_server, procurement)
    # two gateways that share no record of the first response, then one without a key
    for headers in (BUYER | {HEADER: "k-1"}, BUYER | {HEADER: "k-1"}, BUYER):
        async with gateway_over([registration], "http://gw", stores=memory_stores()) as api:
            created = await api.post("/api/v1/rfqs", json=RFQ_IN, headers=headers)
            assert created.status_code == 201, created.text
            assert created.headers["location"] == "/api/v1/rfqs/rfq-1"
    first, second, plain = (r.request_id for r in procurement.requests)
    assert len(first) == 36  # derived from the caller and their key
    assert second == first  # so procurement answers the retry with the first RFQ
    assert plain == ""
