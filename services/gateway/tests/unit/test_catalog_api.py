"""The catalog routes against a fake catalog: what reaches the service from a retried creation,
and products whose figures the service withheld."""

from __future__ import annotations

from typing import Any

from gateway.idempotency import HEADER
from oms.catalog.v1 import catalog_pb2 as pb
from oms.catalog.v1 import catalog_pb2_grpc
from services.gateway.tests.unit.conftest import GatewayOver
from services.gateway.tests.unit.fakes import memory_stores
from testkit.services import signed_in

BUYER = signed_in("pia", "purchasing")
BODY = {"sku": "BOLT", "name": "Bolt", "list_price": {"amount": "1.00", "currency": "EUR"}}


class FakeCatalog(catalog_pb2_grpc.CatalogServiceServicer):
    def __init__(self) -> None:
        self.request_ids: list[str] = []

    async def CreateProduct(self, request: Any, context: Any) -> pb.CreateProductResponse:
        self.request_ids.append(request.request_id)
        return pb.CreateProductResponse(
            product=pb.Product(id="p-1", sku=request.sku, list_price=request.list_price)
        )

    async def GetProduct(self, request: Any, context: Any) -> pb.GetProductResponse:
        # as the catalog answers the warehouse: no list price, no cost
        return pb.GetProductResponse(
            product=pb.Product(id=request.product_id, sku="BOLT", withheld=["list_price", "cost"])
        )


async def test_a_create_passes_a_request_id_that_the_same_key_repeats(
    gateway_over: GatewayOver,
) -> None:
    catalog = FakeCatalog()
    registration = (catalog_pb2_grpc.add_CatalogServiceServicer_to_server, catalog)
    # two gateways that share no record of the first response, then one without a key
    for headers in (BUYER | {HEADER: "k-1"}, BUYER | {HEADER: "k-1"}, BUYER):
        async with gateway_over([registration], "http://gw", stores=memory_stores()) as api:
            created = await api.post("/api/v1/products", json=BODY, headers=headers)
            assert created.status_code == 201, created.text
    first, second, plain = catalog.request_ids
    assert first != ""
    assert second == first  # so the catalog answers the retry with the first product
    assert plain == ""


async def test_a_withheld_list_price_reads_as_null(gateway_over: GatewayOver) -> None:
    registration = (catalog_pb2_grpc.add_CatalogServiceServicer_to_server, FakeCatalog())
    async with gateway_over([registration], "http://gw") as api:
        read = await api.get("/api/v1/products/p-1", headers=signed_in("wes", "warehouse"))
    assert read.status_code == 200, read.text
    assert (read.json()["list_price"], read.json()["withheld"]) == (None, ["list_price", "cost"])
