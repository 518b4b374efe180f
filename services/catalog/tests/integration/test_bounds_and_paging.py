"""Out-of-range input is INVALID_ARGUMENT naming the field, never an error of the database; every
list is read a page at a time, at most 200 rows."""

from __future__ import annotations

import grpc

from oms.catalog.v1 import catalog_pb2 as pb
from oms.types.v1.types_pb2 import Money
from servicekit.grpc import violations_of
from services.catalog.tests.integration.conftest import Catalog, refused

TOO_BIG = "1000000000000"  # 10^12
PNG = b"\x89PNG\r\n\x1a\n"


async def test_amounts_texts_and_sizes_the_catalog_cannot_keep_name_their_field(
    catalog: Catalog,
) -> None:
    stub = catalog.stub
    made = await catalog.product("LAMP")

    def product(**fields: object) -> pb.CreateProductRequest:
        values: dict[str, object] = {
            "sku": "X-1",
            "name": "X",
            "list_price": Money(amount="1", currency="EUR"),
        }
        return pb.CreateProductRequest(**(values | fields))  # type: ignore[arg-type]

    cases = [
        (
            stub.CreateProduct(product(list_price=Money(amount=TOO_BIG, currency="EUR"))),
            "list_price.amount",
        ),
        (
            stub.CreateProduct(product(list_price=Money(amount="1.1234567", currency="EUR"))),
            "list_price.amount",
        ),
        (
            stub.CreateProduct(product(list_price=Money(amount="-1", currency="EUR"))),
            "list_price.amount",
        ),
        (stub.CreateProduct(product(cost=TOO_BIG)), "cost"),
        (stub.CreateProduct(product(description="x" * 5001)), "description"),
        (stub.CreateProduct(product(name="x" * 201)), "name"),
        (stub.CreateProduct(product(attributes={f"a{i}": "v" for i in range(51)})), "attributes"),
        (
            stub.CreateProduct(
                product(pictures=[pb.Picture(url="https://img.example/a.png")] * 21)
            ),
            "pictures",
        ),
        (
            stub.ChangeListPrice(
                pb.ChangeListPriceRequest(
                    product_id=made.id, list_price=Money(amount=TOO_BIG, currency="EUR")
                )
            ),
            "list_price.amount",
        ),
        (
            stub.ChangeProduct(
                pb.ChangeProductRequest(product_id=made.id, name="Lamp", description="x" * 5001)
            ),
            "description",
        ),
        (
            stub.AddPicture(
                pb.AddPictureRequest(
                    product_id=made.id,
                    content=PNG + b"\0" * (5 * 1024 * 1024),
                    content_type="image/png",
                )
            ),
            "content",
        ),
        (
            stub.SetProductSuppliers(
                pb.SetProductSuppliersRequest(
                    product_id=made.id,
                    suppliers=[
                        pb.ProductSupplier(
                            supplier_id="S",
                            cost="0.0000001",
                            currency="EUR",
                            minimum_order_quantity=1,
                        )
                    ],
                )
            ),
            "suppliers[0].cost",
        ),
        (
            stub.CreatePriceList(
                pb.CreatePriceListRequest(
                    name="Trade",
                    currency="EUR",
                    breaks=[pb.PriceBreak(product_id=made.id, min_quantity=1, unit_price=TOO_BIG)],
                )
            ),
            "breaks[0].unit_price",
        ),
        (
            stub.ResolvePrice(
                pb.ResolvePriceRequest(product_id=made.id, currency="EUR", quantity=10**12)
            ),
            "quantity",
        ),
    ]
    for call, field in cases:
        error = await refused(call)
        assert (error.code(), [v.field for v in violations_of(error)]) == (
            grpc.StatusCode.INVALID_ARGUMENT,
            [field],
        ), field
    assert [p.sku for p in (await stub.ListProducts(pb.ListProductsRequest())).products] == ["LAMP"]


async def test_every_list_refuses_pages_over_200(catalog: Catalog) -> None:
    stub = catalog.stub
    made = await catalog.product("SHIRT")
    for call in (
        stub.ListProducts(pb.ListProductsRequest(page_size=201)),
        stub.SearchProducts(pb.SearchProductsRequest(page_size=201)),
        stub.ListCategories(pb.ListCategoriesRequest(page_size=201)),
        stub.ListVariants(pb.ListVariantsRequest(parent_id=made.id, page_size=201)),
        stub.ListPriceLists(pb.ListPriceListsRequest(page_size=201)),
    ):
        error = await refused(call)
        assert [v.field for v in violations_of(error)] == ["page_size"]
    forged = await refused(stub.ListCategories(pb.ListCategoriesRequest(page_token="bm90IG91cnM=")))
    assert [v.field for v in violations_of(forged)] == ["page_token"]


async def test_categories_variants_and_price_lists_come_a_page_at_a_time(catalog: Catalog) -> None:
    stub = catalog.stub
    tools = (await stub.CreateCategory(pb.CreateCategoryRequest(name="Tools"))).category
    for name in ("Drills", "Saws"):
        await stub.CreateCategory(pb.CreateCategoryRequest(name=name, parent_id=tools.id))
    first = await stub.ListCategories(pb.ListCategoriesRequest(page_size=2))
    rest = await stub.ListCategories(
        pb.ListCategoriesRequest(page_size=2, page_token=first.next_page_token)
    )
    assert first.categories[0].name == "Tools"  # parents first
    assert sorted(c.name for c in [*first.categories, *rest.categories]) == [
        "Drills",
        "Saws",
        "Tools",
    ]
    assert rest.next_page_token == ""

    shirt = await catalog.product("SHIRT")
    for size in ("L", "M", "S"):
        await catalog.product(f"SHIRT-{size}", parent_id=shirt.id, variant_options={"size": size})
    page = await stub.ListVariants(pb.ListVariantsRequest(parent_id=shirt.id, page_size=2))
    last = await stub.ListVariants(
        pb.ListVariantsRequest(parent_id=shirt.id, page_size=2, page_token=page.next_page_token)
    )
    assert [v.sku for v in [*page.variants, *last.variants]] == ["SHIRT-L", "SHIRT-M", "SHIRT-S"]
    assert last.next_page_token == ""

    for name, currency in (("Retail", "EUR"), ("Export", "USD"), ("Trade", "EUR")):
        await stub.CreatePriceList(
            pb.CreatePriceListRequest(
                name=name,
                currency=currency,
                breaks=[
                    pb.PriceBreak(product_id=shirt.id, min_quantity=q, unit_price="9")
                    for q in (1, 10)
                ],
            )
        )
    lists = await stub.ListPriceLists(pb.ListPriceListsRequest(currency="EUR", page_size=1))
    more = await stub.ListPriceLists(
        pb.ListPriceListsRequest(currency="EUR", page_size=1, page_token=lists.next_page_token)
    )
    assert [
        (p.name, p.break_count, len(p.breaks)) for p in [*lists.price_lists, *more.price_lists]
    ] == [
        ("Retail", 2, 0),
        ("Trade", 2, 0),
    ]
    whole = await stub.GetPriceList(pb.GetPriceListRequest(price_list_id=more.price_lists[0].id))
    assert [(b.min_quantity, b.unit_price) for b in whole.price_list.breaks] == [
        (1, "9.00"),
        (10, "9.00"),
    ]
    missing = await refused(stub.GetPriceList(pb.GetPriceListRequest(price_list_id="nope")))
    assert missing.code() == grpc.StatusCode.NOT_FOUND
