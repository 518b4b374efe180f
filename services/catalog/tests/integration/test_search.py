"""Catalog search against the real database, through the gRPC API."""

from collections.abc import Awaitable, Callable

import grpc
import pytest

from catalog.bootstrap import SPEC
from catalog.config import Settings
from oms.catalog.v1 import catalog_pb2 as pb
from oms.catalog.v1 import catalog_pb2_grpc
from oms.events.v1 import catalog_pb2 as events
from oms.types.v1.types_pb2 import Money
from servicekit.grpc import violations_of
from testkit.services import EventLog, serving


async def test_products_are_found_by_words_category_tree_attributes_and_price(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> None:
    database = await fresh_database("catalog")
    async with serving(SPEC, Settings, database, kafka_bootstrap) as (channel, _):
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        tools = (await stub.CreateCategory(pb.CreateCategoryRequest(name="Tools"))).category
        drills = (
            await stub.CreateCategory(pb.CreateCategoryRequest(name="Drills", parent_id=tools.id))
        ).category
        garden = (await stub.CreateCategory(pb.CreateCategoryRequest(name="Garden"))).category
        for sku, name, price, category, colour in [
            ("A-1", "Blue cordless drill", "89.00", drills.id, "blue"),
            ("A-2", "Red cordless drill", "79.00", drills.id, "red"),
            ("A-3", "Blue hammer", "19.90", tools.id, "blue"),
            ("A-4", "Blue garden hose", "24.50", garden.id, "blue"),
        ]:
            await stub.CreateProduct(
                pb.CreateProductRequest(
                    sku=sku,
                    name=name,
                    list_price=Money(amount=price, currency="EUR"),
                    category_id=category,
                    attributes={"colour": colour},
                )
            )

        async def skus(**criteria: object) -> list[str]:
            reply = await stub.SearchProducts(pb.SearchProductsRequest(**criteria))  # type: ignore[arg-type]
            return [p.sku for p in reply.products]

        assert await skus(text="cordless dri") == ["A-1", "A-2"]
        assert await skus(category_id=tools.id) == ["A-1", "A-2", "A-3"]  # with its descendants
        assert await skus(category_id=drills.id) == ["A-1", "A-2"]
        assert await skus(attributes={"colour": "blue"}) == ["A-1", "A-3", "A-4"]
        assert await skus(min_price="20", max_price="80") == ["A-2", "A-4"]
        assert await skus(text="blue", category_id=tools.id, max_price="50") == ["A-3"]
        assert await skus(sku="A-4") == ["A-4"]

        first = await stub.SearchProducts(
            pb.SearchProductsRequest(attributes={"colour": "blue"}, page_size=2)
        )
        rest = await stub.SearchProducts(
            pb.SearchProductsRequest(
                attributes={"colour": "blue"}, page_size=2, page_token=first.next_page_token
            )
        )
        assert [p.sku for p in first.products] + [p.sku for p in rest.products] == [
            "A-1",
            "A-3",
            "A-4",
        ]
        assert rest.next_page_token == ""
        assert (await stub.ListProducts(pb.ListProductsRequest(page_size=10))).next_page_token == ""

        with pytest.raises(grpc.aio.AioRpcError) as reversed_range:
            await stub.SearchProducts(pb.SearchProductsRequest(min_price="9", max_price="1"))
        assert [v.field for v in violations_of(reversed_range.value)] == ["min_price"]
        with pytest.raises(grpc.aio.AioRpcError) as unknown_parent:
            await stub.CreateCategory(pb.CreateCategoryRequest(name="X", parent_id="nope"))
        assert unknown_parent.value.code() == grpc.StatusCode.NOT_FOUND
        with pytest.raises(grpc.aio.AioRpcError) as unknown_category:
            await stub.CreateProduct(
                pb.CreateProductRequest(
                    sku="A-9",
                    name="X",
                    list_price=Money(amount="1", currency="EUR"),
                    category_id="nope",
                )
            )
        assert [v.field for v in violations_of(unknown_category.value)] == ["category_id"]
        assert await skus(sku="A-9") == []


async def test_a_price_list_prices_a_customer_groups_quantities_and_says_why(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> None:
    async with serving(SPEC, Settings, await fresh_database("catalog"), kafka_bootstrap) as (
        channel,
        _,
    ):
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        product = (
            await stub.CreateProduct(
                pb.CreateProductRequest(
                    sku="P-1", name="Bolt", list_price=Money(amount="1.00", currency="EUR")
                )
            )
        ).product
        await stub.CreatePriceList(
            pb.CreatePriceListRequest(
                name="Wholesale",
                currency="EUR",
                customer_group="wholesale",
                valid_from="2026-01-01",
                breaks=[
                    pb.PriceBreak(product_id=product.id, min_quantity=1, unit_price="0.90"),
                    pb.PriceBreak(product_id=product.id, min_quantity=100, unit_price="0.75"),
                ],
            )
        )

        async def price(group: str, quantity: int, on: str = "2026-11-24") -> tuple[str, str]:
            reply = await stub.ResolvePrice(
                pb.ResolvePriceRequest(
                    product_id=product.id,
                    customer_group=group,
                    currency="EUR",
                    quantity=quantity,
                    date=on,
                )
            )
            return reply.unit_price.amount, reply.rule

        assert await price("wholesale", 150) == (
            "0.75",
            "price list 'Wholesale' (group wholesale), from 100 units",
        )
        assert await price("wholesale", 10) == (
            "0.90",
            "price list 'Wholesale' (group wholesale), from 1 units",
        )
        assert await price("retail", 150) == ("1.00", "list price")
        assert await price("wholesale", 150, on="2025-12-31") == ("1.00", "list price")

        with pytest.raises(grpc.aio.AioRpcError) as no_price:
            await stub.ResolvePrice(
                pb.ResolvePriceRequest(product_id=product.id, currency="USD", quantity=1)
            )
        assert no_price.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        with pytest.raises(grpc.aio.AioRpcError) as unknown:
            await stub.CreatePriceList(
                pb.CreatePriceListRequest(
                    name="X",
                    currency="EUR",
                    breaks=[pb.PriceBreak(product_id="nope", min_quantity=1, unit_price="1")],
                )
            )
        assert [v.field for v in violations_of(unknown.value)] == ["breaks[0].product_id"]

        # many at once, as a quote asks: each answer in the order asked, the misses say why
        queries = [(product.id, 150), ("nope", 1), (product.id, 10)]
        batch = await stub.ResolvePrices(
            pb.ResolvePricesRequest(
                customer_group="wholesale",
                currency="EUR",
                date="2026-11-24",
                queries=[pb.PriceQuery(product_id=p, quantity=q) for p, q in queries],
            )
        )
        assert [(a.found, a.unit_price.amount, a.rule) for a in batch.answers] == [
            (True, "0.75", "price list 'Wholesale' (group wholesale), from 100 units"),
            (False, "", "no product nope"),
            (True, "0.90", "price list 'Wholesale' (group wholesale), from 1 units"),
        ]
        by_sku = await stub.BatchGetProducts(
            pb.BatchGetProductsRequest(skus=["P-1", "NOPE"], product_ids=["nope"])
        )
        assert [p.id for p in by_sku.products] == [product.id]
        assert (list(by_sku.missing_skus), list(by_sku.missing_ids)) == (["NOPE"], ["nope"])


async def test_price_changes_and_discontinuation_are_announced(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> None:
    async with serving(SPEC, Settings, await fresh_database("catalog"), kafka_bootstrap) as (
        channel,
        ns,
    ):
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        product = (
            await stub.CreateProduct(
                pb.CreateProductRequest(
                    sku="C-1", name="Bolt", list_price=Money(amount="1.00", currency="EUR")
                )
            )
        ).product
        async with EventLog(kafka_bootstrap, [events.ProductPriceChanged], ns) as log:
            await stub.ChangeListPrice(
                pb.ChangeListPriceRequest(
                    product_id=product.id, list_price=Money(amount="1.20", currency="EUR")
                )
            )
            await stub.DiscontinueProduct(pb.DiscontinueProductRequest(product_id=product.id))
            ((_, changed), (_, discontinued)) = await log.wait_for(product.id, count=2)
        assert (changed.old_price.amount, changed.new_price.amount) == ("1.00", "1.20")
        assert discontinued.sku == "C-1"
        read = (await stub.GetProduct(pb.GetProductRequest(product_id=product.id))).product
        assert (read.list_price.amount, read.active) == ("1.20", False)
        with pytest.raises(grpc.aio.AioRpcError) as again:
            await stub.DiscontinueProduct(pb.DiscontinueProductRequest(product_id=product.id))
        assert again.value.code() == grpc.StatusCode.FAILED_PRECONDITION
