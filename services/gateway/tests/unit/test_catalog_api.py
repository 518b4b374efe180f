"""The catalog routes against a fake catalog: what reaches the service from a retried creation
(of a product, a category, a price list, a picture or a tax rule), and products whose figures the
service withheld; availability, as inventory counts it."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.catalog.examples import CATEGORY_IN, PICTURE_IN, PRICE_LIST_IN
from gateway.edge.idempotency import HEADER
from gateway.tax_rules.schemas import TAX_RULE_IN
from oms.catalog.v1 import catalog_pb2 as pb
from oms.catalog.v1 import catalog_pb2_grpc
from oms.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from servicekit.errors import NotFound
from services.gateway.tests.unit.conftest import GatewayOver
from services.gateway.tests.unit.fakes import memory_stores
from testkit.services import signed_in

BUYER = signed_in("pia", "purchasing")
FINANCE = signed_in("fay", "finance")
SALES_MANAGER = signed_in("sam", "sales-manager")
BODY = {"sku": "BOLT", "name": "Bolt", "list_price": {"amount": "1.00", "currency": "EUR"}}


class FakeCatalog(catalog_pb2_grpc.CatalogServiceServicer):
    def __init__(self) -> None:
        self.request_ids: list[str] = []

    async def CreateProduct(self, request: Any, context: Any) -> pb.CreateProductResponse:
        self.request_ids.append(request.request_id)
        return pb.CreateProductResponse(
            product=pb.Product(id="p-1", sku=request.sku, list_price=request.list_price)
        )

    async def CreateTaxRule(self, request: Any, context: Any) -> pb.CreateTaxRuleResponse:
        self.request_ids.append(request.request_id)
        return pb.CreateTaxRuleResponse(
            tax_rule=pb.TaxRule(
                id="t-1",
                tax_category=request.tax_category,
                tax_zone=request.tax_zone,
                code=request.code,
                rate=request.rate,
                valid_from=request.valid_from,
            )
        )

    async def CreateCategory(self, request: Any, context: Any) -> pb.CreateCategoryResponse:
        self.request_ids.append(request.request_id)
        return pb.CreateCategoryResponse(
            category=pb.Category(id="c-1", name=request.name, parent_id=request.parent_id)
        )

    async def CreatePriceList(self, request: Any, context: Any) -> pb.CreatePriceListResponse:
        self.request_ids.append(request.request_id)
        return pb.CreatePriceListResponse(
            price_list=pb.PriceList(
                id="l-1",
                name=request.name,
                currency=request.currency,
                customer_group=request.customer_group,
                breaks=request.breaks,
                break_count=len(request.breaks),
            )
        )

    async def AddPicture(self, request: Any, context: Any) -> pb.AddPictureResponse:
        self.request_ids.append(request.request_id)
        picture = pb.Picture(id="i-1", url=request.url, alt_text=request.alt_text)
        return pb.AddPictureResponse(
            product=pb.Product(id=request.product_id, sku="BOLT", pictures=[picture])
        )

    async def GetProduct(self, request: Any, context: Any) -> pb.GetProductResponse:
        # as the catalog answers the warehouse: no list price, no cost
        return pb.GetProductResponse(
            product=pb.Product(id=request.product_id, sku="BOLT", withheld=["list_price", "cost"])
        )


@pytest.mark.parametrize(
    ("path", "body", "who"),
    [
        pytest.param("/api/v1/products", BODY, BUYER, id="product"),
        pytest.param("/api/v1/categories", CATEGORY_IN, BUYER, id="category"),
        pytest.param("/api/v1/price-lists", PRICE_LIST_IN, SALES_MANAGER, id="price-list"),
        pytest.param("/api/v1/products/p-1/pictures", PICTURE_IN, BUYER, id="picture"),
        pytest.param("/api/v1/tax-rules", TAX_RULE_IN, FINANCE, id="tax-rule"),
    ],
)
async def test_a_create_passes_a_request_id_that_the_same_key_repeats(
    gateway_over: GatewayOver, path: str, body: dict[str, Any], who: dict[str, str]
) -> None:
    catalog = FakeCatalog()
    registration = (catalog_pb2_grpc.add_CatalogServiceServicer_to_server, catalog)
    # two gateways that share no record of the first response, then one without a key
    for headers in (who | {HEADER: "k-1"}, who | {HEADER: "k-1"}, who):
        async with gateway_over([registration], "http://gw", stores=memory_stores()) as api:
            created = await api.post(path, json=body, headers=headers)
            assert created.status_code == 201, created.text
    first, second, plain = catalog.request_ids
    assert first != ""
    assert second == first  # so the catalog answers the retry with what the first created
    assert plain == ""


async def test_a_withheld_list_price_reads_as_null(gateway_over: GatewayOver) -> None:
    registration = (catalog_pb2_grpc.add_CatalogServiceServicer_to_server, FakeCatalog())
    async with gateway_over([registration], "http://gw") as api:
        read = await api.get("/api/v1/products/p-1", headers=signed_in("wes", "warehouse"))
    assert read.status_code == 200, read.text
    assert (read.json()["list_price"], read.json()["withheld"]) == (None, ["list_price", "cost"])


class FakeInventory(inventory_pb2_grpc.InventoryServiceServicer):
    def __init__(self) -> None:
        self.asked: list[str] = []

    async def GetAvailability(
        self, request: Any, context: Any
    ) -> inventory_pb2.GetAvailabilityResponse:
        self.asked.append(request.product_id)
        if request.product_id != "kit-1":
            raise NotFound(f"product {request.product_id} not found")
        return inventory_pb2.GetAvailabilityResponse(
            product_id="kit-1",
            kind="kit",
            warehouses=[
                inventory_pb2.WarehouseAvailability(warehouse_id="w-1", available=25),
                inventory_pb2.WarehouseAvailability(warehouse_id="w-2", available=0),
            ],
            total=25,
        )


async def test_availability_is_what_inventory_counts(gateway_over: GatewayOver) -> None:
    inventory = FakeInventory()
    registration = (inventory_pb2_grpc.add_InventoryServiceServicer_to_server, inventory)
    async with gateway_over([registration], "http://gw") as api:
        found = await api.get("/api/v1/products/kit-1/availability", headers=BUYER)
        missing = await api.get("/api/v1/products/nope/availability", headers=BUYER)
    assert found.status_code == 200, found.text
    assert found.json() == {
        "product_id": "kit-1",
        "kind": "kit",
        "warehouses": [
            {"warehouse_id": "w-1", "available": 25},
            {"warehouse_id": "w-2", "available": 0},
        ],
        "total": 25,
    }
    assert (missing.status_code, missing.headers["content-type"]) == (
        404,
        "application/problem+json",
    )
    assert inventory.asked == ["kit-1", "nope"]  # one question each, to inventory alone
