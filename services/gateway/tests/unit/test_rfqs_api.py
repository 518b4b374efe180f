"""/rfqs and /suppliers against a fake procurement service: what reaches the service from a
retried creation."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.edge.idempotency import HEADER
from gateway.rfqs.examples import RFQ_IN
from gateway.suppliers.schemas import SUPPLIER_IN
from oms.procurement.v1 import procurement_pb2 as pb
from oms.procurement.v1 import procurement_pb2_grpc
from services.gateway.tests.unit.conftest import GatewayOver
from services.gateway.tests.unit.fakes import memory_stores
from testkit.services import signed_in

BUYER = signed_in("pia", "purchasing")


class FakeProcurement(procurement_pb2_grpc.ProcurementServiceServicer):
    def __init__(self) -> None:
        self.requests: list[pb.CreateRfqRequest | pb.CreateSupplierRequest] = []

    async def CreateRfq(self, request: pb.CreateRfqRequest, context: Any) -> pb.CreateRfqResponse:
        self.requests.append(request)
        rfq = pb.Rfq(id="rfq-1", currency=request.currency, status="open")
        return pb.CreateRfqResponse(rfq=rfq)

    async def CreateSupplier(
        self, request: pb.CreateSupplierRequest, context: Any
    ) -> pb.CreateSupplierResponse:
        self.requests.append(request)
        supplier = pb.Supplier(id="s-1", name=request.name, currency=request.currency)
        return pb.CreateSupplierResponse(supplier=supplier)


@pytest.mark.parametrize(
    ("path", "body", "located"),
    [("/api/v1/rfqs", RFQ_IN, "rfq-1"), ("/api/v1/suppliers", SUPPLIER_IN, "s-1")],
    ids=["rfq", "supplier"],
)
async def test_a_creation_passes_a_request_id_that_the_same_key_repeats(
    gateway_over: GatewayOver, path: str, body: dict[str, Any], located: str
) -> None:
    procurement = FakeProcurement()
    registration = (procurement_pb2_grpc.add_ProcurementServiceServicer_to_server, procurement)
    # two gateways that share no record of the first response, then one without a key
    for headers in (BUYER | {HEADER: "k-1"}, BUYER | {HEADER: "k-1"}, BUYER):
        async with gateway_over([registration], "http://gw", stores=memory_stores()) as api:
            created = await api.post(path, json=body, headers=headers)
            assert created.status_code == 201, created.text
            assert created.headers["location"] == f"{path}/{located}"
    first, second, plain = (r.request_id for r in procurement.requests)
    assert len(first) == 36  # derived from the caller and their key
    assert second == first  # so procurement answers the retry with what the first try made
    assert plain == ""
