"""Reading the catalog on the fakes: products by id, SKU, search and page, variants, pictures,
categories; price lists and the price a customer pays."""

from __future__ import annotations

import pytest

from catalog.application.commands.add_picture import AddPicture, add_picture
from catalog.application.commands.create_category import CreateCategory, create_category
from catalog.application.commands.create_price_list import CreatePriceList, create_price_list
from catalog.application.commands.create_product import CreateProduct, create_product
from catalog.application.queries.get_picture_content import get_picture_content
from catalog.application.queries.get_products import MAX_BATCH, batch_get_products, get_product
from catalog.application.queries.list_categories import list_categories
from catalog.application.queries.list_variants import list_variants
from catalog.application.queries.price_lists import (
    ListPriceLists,
    get_price_list,
    list_price_lists,
)
from catalog.application.queries.resolve_prices import (
    ResolvePrice,
    ResolvePrices,
    resolve_price,
    resolve_prices,
)
from catalog.application.queries.search_products import (
    SearchProducts,
    list_products,
    search_products,
)
from catalog.domain.products import NewProduct, Product
from servicekit.context import Principal, acting
from servicekit.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from services.catalog.tests.unit.fakes import FakeCatalog

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
WAREHOUSE = Principal("wes", ("warehouse",))


async def made(catalog: FakeCatalog, sku: str, price: str = "10.00", **fields: object) -> Product:
    request = NewProduct(sku, sku.title(), "", price, "EUR", **fields)  # type: ignore[arg-type]
    return (await create_product(catalog, CreateProduct(request))).value


async def test_products_are_read_by_id_and_sku_and_the_misses_are_not_errors() -> None:
    catalog = FakeCatalog()
    bolt = await made(catalog, "BOLT")
    assert (await get_product(catalog, bolt.id)).value == bolt
    with pytest.raises(NotFound, match="product nope not found"):
        await get_product(catalog, "nope")
    found = await batch_get_products(catalog, ["nope"], ["BOLT", "NOPE"])
    assert [p.id for p in found.value] == [bolt.id]
    with pytest.raises(InvalidArgument) as too_many:
        await batch_get_products(catalog, ["x"] * MAX_BATCH, ["y"])
    assert [v.field for v in too_many.value.violations] == ["product_ids"]


async def test_a_search_pages_by_sku_and_only_price_readers_search_by_price() -> None:
    catalog = FakeCatalog()
    for sku, colour in [("A-1", "blue"), ("A-2", "red"), ("A-3", "blue"), ("A-4", "blue")]:
        await made(catalog, sku, attributes={"colour": colour})
    first = await search_products(
        catalog, SearchProducts(attributes={"colour": "blue"}, page_size=2)
    )
    rest = await search_products(
        catalog,
        SearchProducts(
            attributes={"colour": "blue"}, page_size=2, page_token=first.value.next_page_token
        ),
    )
    assert [p.sku for p in first.value.items + rest.value.items] == ["A-1", "A-3", "A-4"]
    assert rest.value.next_page_token == ""
    everything = await list_products(catalog, 10, "")
    assert ([p.sku for p in everything.value.items], everything.value.next_page_token) == (
        ["A-1", "A-2", "A-3", "A-4"],
        "",
    )
    with pytest.raises(InvalidArgument) as reversed_range:
        await search_products(catalog, SearchProducts(min_price="9", max_price="1"))
    assert [v.field for v in reversed_range.value.violations] == ["min_price"]
    with acting(WAREHOUSE):
        with pytest.raises(PermissionDenied):
            await search_products(catalog, SearchProducts(min_price="5"))
        by_sku = await search_products(catalog, SearchProducts(sku="A-1"))
    assert ([p.sku for p in by_sku.value.items], by_sku.seen.prices) == (["A-1"], False)
    with pytest.raises(InvalidArgument) as too_big:
        await list_products(catalog, 201, "")
    assert [v.field for v in too_big.value.violations] == ["page_size"]


async def test_variants_come_a_page_at_a_time_and_stored_pictures_are_read_back() -> None:
    catalog = FakeCatalog()
    shirt = await made(catalog, "SHIRT")
    for size in ("L", "M", "S"):
        await made(catalog, f"SHIRT-{size}", parent_id=shirt.id, variant_options={"size": size})
    page = (await list_variants(catalog, shirt.id, 2, "")).value
    last = (await list_variants(catalog, shirt.id, 2, page.next_page_token)).value
    assert [v.sku for v in page.items + last.items] == ["SHIRT-L", "SHIRT-M", "SHIRT-S"]
    assert last.next_page_token == ""
    with pytest.raises(NotFound):
        await list_variants(catalog, "nope", 0, "")

    pictured = await add_picture(
        catalog, AddPicture(shirt.id, content=PNG, content_type="image/png")
    )
    picture = pictured.value.pictures[0]
    content = await get_picture_content(catalog, shirt.id, picture.id)
    assert (content.content, content.content_type) == (PNG, "image/png")
    with pytest.raises(NotFound):
        await get_picture_content(catalog, "nope", picture.id)


async def test_categories_are_logged_and_listed_parents_first() -> None:
    catalog = FakeCatalog()
    with acting(Principal("pia", ("purchasing",))):
        tools = await create_category(catalog, CreateCategory("Tools"))
        for name in ("Drills", "Saws"):
            await create_category(catalog, CreateCategory(name, tools.id))
    with pytest.raises(NotFound):
        await create_category(catalog, CreateCategory("X", "nope"))
    first = await list_categories(catalog, 2, "")
    rest = await list_categories(catalog, 2, first.next_page_token)
    assert first.items[0].name == "Tools"
    assert sorted(c.name for c in first.items + rest.items) == ["Drills", "Saws", "Tools"]
    assert rest.next_page_token == ""
    (created, *_) = catalog.state.changes
    assert (created.entity_type, created.entity_id, created.actor, created.after) == (
        "category",
        tools.id,
        "pia",
        {"name": "Tools", "parent_id": None},
    )


async def a_price_list(catalog: FakeCatalog, product: Product) -> str:
    created = await create_price_list(
        catalog,
        CreatePriceList(
            "Wholesale",
            "EUR",
            "wholesale",
            "2026-01-01",
            "",
            [(product.id, 1, "0.90"), (product.id, 100, "0.75")],
        ),
    )
    return created.id


async def test_a_price_list_prices_a_customer_groups_quantities_and_says_why() -> None:
    catalog = FakeCatalog()
    bolt = await made(catalog, "P-1", "1.00")
    await a_price_list(catalog, bolt)

    async def price(group: str, quantity: int, on: str = "2026-11-24") -> tuple[str, str]:
        found = await resolve_price(catalog, ResolvePrice(bolt.id, group, "EUR", quantity, on))
        return str(found.unit_price.amount), found.rule

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
    with pytest.raises(FailedPrecondition):
        await resolve_price(catalog, ResolvePrice(bolt.id, "", "USD", 1))
    with pytest.raises(NotFound):
        await resolve_price(catalog, ResolvePrice("nope", "", "EUR", 1))
    with pytest.raises(InvalidArgument) as quantity:
        await resolve_price(catalog, ResolvePrice(bolt.id, "", "EUR", 10**12))
    assert [v.field for v in quantity.value.violations] == ["quantity"]

    queries = [(bolt.id, 150), ("nope", 1), (bolt.id, 10)]
    batch = await resolve_prices(catalog, ResolvePrices("wholesale", "EUR", "2026-11-24", queries))
    assert [a if isinstance(a, str) else str(a.unit_price.amount) for a in batch] == [
        "0.75",
        "no product nope",
        "0.90",
    ]
    with pytest.raises(InvalidArgument) as bad_date:
        await resolve_prices(catalog, ResolvePrices("", "EUR", "24.11.2026", []))
    assert [v.field for v in bad_date.value.violations] == ["date"]


async def test_price_lists_name_known_products_are_logged_and_come_a_page_at_a_time() -> None:
    catalog = FakeCatalog()
    shirt = await made(catalog, "SHIRT")
    with pytest.raises(InvalidArgument) as unknown:
        await create_price_list(
            catalog, CreatePriceList("X", "EUR", "", "", "", [("nope", 1, "1")])
        )
    assert [v.field for v in unknown.value.violations] == ["breaks[0].product_id"]
    with pytest.raises(InvalidArgument) as bad_date:
        await create_price_list(
            catalog, CreatePriceList("X", "EUR", "", "2026-13-01", "", [(shirt.id, 1, "1")])
        )
    assert [v.field for v in bad_date.value.violations] == ["valid_from"]
    for name, currency in (("Retail", "EUR"), ("Export", "USD"), ("Trade", "EUR")):
        breaks = [(shirt.id, q, "9") for q in (1, 10)]
        await create_price_list(catalog, CreatePriceList(name, currency, "", "", "", breaks))
    lists = await list_price_lists(catalog, ListPriceLists(currency="EUR", page_size=1))
    more = await list_price_lists(
        catalog, ListPriceLists(currency="EUR", page_size=1, page_token=lists.next_page_token)
    )
    assert [(p.name, count, p.breaks) for p, count in lists.items + more.items] == [
        ("Retail", 2, ()),
        ("Trade", 2, ()),
    ]
    whole = await get_price_list(catalog, more.items[0][0].id)
    assert [(b.min_quantity, str(b.unit_price)) for b in whole.breaks] == [(1, "9"), (10, "9")]
    with pytest.raises(NotFound):
        await get_price_list(catalog, "nope")
    logged = [c for c in catalog.state.changes if c.entity_type == "price_list"]
    assert [c.after["name"] for c in logged] == ["Retail", "Export", "Trade"]
    assert logged[0].after["breaks"][0] == {
        "product_id": shirt.id,
        "min_quantity": 1,
        "unit_price": "9.00",
    }
