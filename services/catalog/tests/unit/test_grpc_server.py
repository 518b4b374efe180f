"""The gRPC entrypoint on the fakes: each RPC maps its request to a use case and the answer back,
written for its caller (what the caller may not see is left out and named)."""

from __future__ import annotations

from typing import Any

import pytest

from catalog.entrypoints.grpc_server import CatalogServicer
from oms.catalog.v1 import catalog_pb2 as pb
from oms.types.v1.types_pb2 import Money
from servicekit.context import Principal, acting
from servicekit.errors import AlreadyExists
from services.catalog.tests.unit.fakes import FakeCatalog

BUYER = Principal("pia", ("purchasing",))
SALES = Principal("sam", ("sales",))
WAREHOUSE = Principal("wes", ("warehouse",))
NO_CONTEXT: Any = None


def bolt(request_id: str = "", price: str = "1.00") -> pb.CreateProductRequest:
    return pb.CreateProductRequest(
        sku="BOLT",
        name="Bolt",
        list_price=Money(amount=price, currency="EUR"),
        cost="0.4",
        suppliers=[
            pb.ProductSupplier(
                supplier_id="S-1", cost="0.3", currency="EUR", minimum_order_quantity=1
            )
        ],
        request_id=request_id,
    )


async def test_a_product_is_written_for_each_reader() -> None:
    catalog = FakeCatalog()
    servicer = CatalogServicer(catalog)
    with acting(BUYER):
        made = (await servicer.CreateProduct(bolt(), NO_CONTEXT)).product
    assert (made.created_by, made.cost, made.suppliers[0].cost, list(made.withheld)) == (
        "pia",
        "0.40",
        "0.30",
        [],
    )
    request = pb.GetProductRequest(product_id=made.id)
    with acting(SALES):
        sales = (await servicer.GetProduct(request, NO_CONTEXT)).product
    with acting(WAREHOUSE):
        warehouse = (await servicer.GetProduct(request, NO_CONTEXT)).product
    assert (sales.list_price.amount, sales.cost, list(sales.withheld)) == (
        "1.00",
        "",
        ["cost", "suppliers.cost"],
    )
    assert not warehouse.HasField("list_price")


async def test_a_retried_create_is_fingerprinted_from_its_request() -> None:
    servicer = CatalogServicer(FakeCatalog())
    first = (await servicer.CreateProduct(bolt("r-1"), NO_CONTEXT)).product
    again = (await servicer.CreateProduct(bolt("r-1"), NO_CONTEXT)).product
    assert again == first
    with pytest.raises(AlreadyExists):  # servicekit.grpc turns it into ALREADY_EXISTS
        await servicer.CreateProduct(bolt("r-1", "9.99"), NO_CONTEXT)


async def test_batches_name_their_misses_and_price_answers_stay_in_order() -> None:
    servicer = CatalogServicer(FakeCatalog())
    made = (await servicer.CreateProduct(bolt(), NO_CONTEXT)).product
    batch = await servicer.BatchGetProducts(
        pb.BatchGetProductsRequest(skus=["BOLT", "NOPE"], product_ids=["nope"]), NO_CONTEXT
    )
    assert [p.id for p in batch.products] == [made.id]
    assert (list(batch.missing_skus), list(batch.missing_ids)) == (["NOPE"], ["nope"])
    prices = await servicer.ResolvePrices(
        pb.ResolvePricesRequest(
            currency="EUR",
            queries=[
                pb.PriceQuery(product_id=made.id, quantity=2),
                pb.PriceQuery(product_id="nope", quantity=1),
            ],
        ),
        NO_CONTEXT,
    )
    assert [(a.product_id, a.found, a.unit_price.amount, a.rule) for a in prices.answers] == [
        (made.id, True, "1.00", "list price"),
        ("nope", False, "", "no product nope"),
    ]


async def test_pages_carry_their_next_token() -> None:
    servicer = CatalogServicer(FakeCatalog())
    for sku in ("A-1", "A-2", "A-3"):
        request = pb.CreateProductRequest(
            sku=sku, name="Blue thing", list_price=Money(amount="5", currency="EUR")
        )
        await servicer.CreateProduct(request, NO_CONTEXT)
    first = await servicer.SearchProducts(
        pb.SearchProductsRequest(text="blu", page_size=2), NO_CONTEXT
    )
    rest = await servicer.ListProducts(
        pb.ListProductsRequest(page_size=2, page_token=first.next_page_token), NO_CONTEXT
    )
    assert [p.sku for p in [*first.products, *rest.products]] == ["A-1", "A-2", "A-3"]
    assert rest.next_page_token == ""
    tools = (
        await servicer.CreateCategory(pb.CreateCategoryRequest(name="Tools"), NO_CONTEXT)
    ).category
    listed = await servicer.ListCategories(pb.ListCategoriesRequest(), NO_CONTEXT)
    assert [(c.id, c.name, c.parent_id) for c in listed.categories] == [(tools.id, "Tools", "")]


async def test_a_price_list_goes_out_with_its_breaks_or_their_count() -> None:
    servicer = CatalogServicer(FakeCatalog())
    made = (await servicer.CreateProduct(bolt(), NO_CONTEXT)).product
    created = await servicer.CreatePriceList(
        pb.CreatePriceListRequest(
            name="Trade",
            currency="EUR",
            valid_from="2026-01-01",
            breaks=[pb.PriceBreak(product_id=made.id, min_quantity=10, unit_price="0.8")],
        ),
        NO_CONTEXT,
    )
    listed = await servicer.ListPriceLists(pb.ListPriceListsRequest(), NO_CONTEXT)
    assert [(b.min_quantity, b.unit_price) for b in created.price_list.breaks] == [(10, "0.80")]
    assert created.price_list.valid_from == "2026-01-01"
    assert [(p.name, p.break_count, len(p.breaks)) for p in listed.price_lists] == [("Trade", 1, 0)]
    price = await servicer.ResolvePrice(
        pb.ResolvePriceRequest(product_id=made.id, currency="EUR", quantity=10), NO_CONTEXT
    )
    assert (price.unit_price.amount, price.rule) == ("0.80", "price list 'Trade', from 10 units")


async def test_queries_take_the_reading_units_and_commands_the_writing_ones() -> None:
    catalog, taken = FakeCatalog(), []

    def reads() -> Any:
        taken.append("read")
        return catalog()

    servicer = CatalogServicer(catalog, reads=reads)
    with acting(BUYER):
        made = (await servicer.CreateProduct(bolt(), NO_CONTEXT)).product
        assert taken == [], "a command writes"
        await servicer.GetProduct(pb.GetProductRequest(product_id=made.id), NO_CONTEXT)
        batch = pb.BatchGetProductsRequest(product_ids=[made.id])
        await servicer.BatchGetProducts(batch, NO_CONTEXT)
        prices = pb.ResolvePricesRequest(
            currency="EUR", queries=[pb.PriceQuery(product_id=made.id, quantity=1)]
        )
        await servicer.ResolvePrices(prices, NO_CONTEXT)
    assert taken == ["read", "read", "read"]
