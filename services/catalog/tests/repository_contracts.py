"""What each repository of the catalog must do, run against the fakes (tests/unit/
test_repositories.py) and PostgreSQL (tests/integration/test_repositories.py), so the fakes
cannot drift from the real adapters. Each check takes a fresh, empty catalog's units of work."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from catalog.application.ports import UnitsOfWork
from catalog.domain.categories import Category, new_category
from catalog.domain.pictures import Picture, PictureContent
from catalog.domain.price_lists import PriceBreak, PriceList, new_price_list
from catalog.domain.product_changes import ProductEdit, change_details, create_product
from catalog.domain.products import ListPrice, NewProduct, NewSupplier, Product, Related
from catalog.domain.search import Search
from catalog.domain.tax_rules import new_tax_rule
from pricing.money import Money
from servicekit.errors import AlreadyExists, InvalidArgument

Check = Callable[[UnitsOfWork], Awaitable[None]]
NOW = datetime(2026, 11, 24, 9, 30, 15, 123456, tzinfo=UTC)
PNG = PictureContent(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image/png")


def a_product(sku: str, related: Related | None = None, **fields: object) -> Product:
    values: dict[str, object] = {
        "name": sku.title(),
        "description": "",
        "price_amount": "10",
        "price_currency": "EUR",
    }
    request = NewProduct(sku=sku, **(values | fields))  # type: ignore[arg-type]
    return create_product(request, NOW, "pia", related)[0]


async def added(units: UnitsOfWork, *products: Product) -> None:
    async with units() as uow:
        for product in products:
            assert await uow.products.add(product)


async def a_category(units: UnitsOfWork, name: str, parent: Category | None = None) -> Category:
    category = new_category(name, parent)
    async with units() as uow:
        await uow.categories.add(category, "pia")
    return category


# Products


async def a_product_comes_back_as_it_was_added(units: UnitsOfWork) -> None:
    tools = await a_category(units, "Tools")
    bolt = a_product("BOLT", price_amount="0.5")
    kit = a_product(
        "KIT",
        Related(components={bolt.id: bolt}),
        kind="kit",
        kit_pricing="components",
        components=[(bolt.id, 4)],
        category_id=tools.id,
        attributes={"colour": "blue"},
        cost="4.5",
        unit_of_measure="set",
        tax_category="reduced",
        pictures=[("https://img.example/kit.png", "the kit")],
        suppliers=[NewSupplier("S-1", "A-9", "3.999", "USD", 10, 3)],
    )
    shirt = a_product("SHIRT")
    small = a_product("SHIRT-S", Related(shirt), parent_id=shirt.id, variant_options={"size": "S"})
    await added(units, bolt, kit, shirt, small)
    async with units() as uow:
        found = {p.id: p for p in await uow.products.get_many([bolt.id, kit.id, small.id])}
    assert found == {bolt.id: bolt, kit.id: kit, small.id: small}
    # the list price comes back with the currency's decimals, whatever was asked for
    assert str(found[bolt.id].list_price.amount) == "0.50"
    assert found[kit.id].suppliers[0].cost == Decimal("3.999")


async def a_taken_sku_is_refused_and_nothing_written(units: UnitsOfWork) -> None:
    first = a_product("BOLT")
    await added(units, first)
    again = a_product("BOLT", suppliers=[NewSupplier("S-1", "", "1", "EUR")])
    async with units() as uow:
        assert not await uow.products.add(again)
    async with units() as uow:
        assert await uow.products.get_many([again.id], ["BOLT"]) == [first]


async def products_are_found_by_id_or_sku(units: UnitsOfWork) -> None:
    bolt, nut, washer = a_product("BOLT"), a_product("NUT"), a_product("WASHER")
    await added(units, bolt, nut, washer)
    async with units() as uow:
        found = await uow.products.get_many([bolt.id, "nope"], ["WASHER", "NOPE"])
        assert sorted(p.sku for p in found) == ["BOLT", "WASHER"]
        assert await uow.products.get_many([]) == []
        prices = await uow.products.list_prices([bolt.id, nut.id, "nope"])
        assert prices == {p.id: ListPrice(p.sku, p.list_price) for p in (bolt, nut)}
        assert await uow.products.list_prices([]) == {}
        assert await uow.products.get_for_update(nut.id) == nut
        assert await uow.products.get_for_update("nope") is None


async def saving_writes_only_what_a_change_may_touch(units: UnitsOfWork) -> None:
    lamp = a_product("LAMP", description="old")
    await added(units, lamp)
    changed = replace(
        lamp,
        name="Desk lamp",
        description="new",
        list_price=Money(Decimal("12.5"), "EUR"),
        active=False,
        kind="service",
        attributes={"colour": "red"},
    )
    async with units() as uow:
        await uow.products.save(changed)
    async with units() as uow:
        (read,) = await uow.products.get_many([lamp.id])
    expected = replace(lamp, name="Desk lamp", description="new", active=False)
    assert read == replace(expected, list_price=Money(Decimal("12.50"), "EUR"))
    assert str(read.list_price.amount) == "12.50"


async def suppliers_are_replaced_as_a_whole(units: UnitsOfWork) -> None:
    bolt = a_product("BOLT", suppliers=[NewSupplier("S-1", "", "1", "EUR")])
    await added(units, bolt)
    other = a_product("X", suppliers=[NewSupplier("S-2", "B", "2.25", "USD", 5, 9)]).suppliers
    async with units() as uow:
        await uow.products.replace_suppliers(replace(bolt, suppliers=other))
    async with units() as uow:
        assert (await uow.products.get_many([bolt.id]))[0].suppliers == other
        await uow.products.replace_suppliers(replace(bolt, suppliers=()))
    async with units() as uow:
        assert (await uow.products.get_many([bolt.id]))[0].suppliers == ()


async def pictures_are_added_and_stored_bytes_read_back(units: UnitsOfWork) -> None:
    lamp, other = a_product("LAMP"), a_product("OTHER")
    await added(units, lamp, other)
    linked = Picture(str(uuid.uuid4()), "https://img.example/1.jpg", "front", 0, stored=False)
    stored = Picture(str(uuid.uuid4()), f"/products/{lamp.id}/pictures/x", "", 1, stored=True)
    async with units() as uow:
        await uow.products.add_picture(lamp.id, stored, PNG)
        await uow.products.add_picture(lamp.id, linked, None)
    async with units() as uow:
        assert (await uow.products.get_many([lamp.id]))[0].pictures == (linked, stored)
        assert await uow.products.picture_content(lamp.id, stored.id) == PNG
        assert await uow.products.picture_content(lamp.id, linked.id) is None
        assert await uow.products.picture_content(other.id, stored.id) is None
        assert await uow.products.picture_content(lamp.id, "nope") is None


async def variants_come_by_sku_a_page_at_a_time(units: UnitsOfWork) -> None:
    shirt = a_product("SHIRT")
    sizes = [
        a_product(f"SHIRT-{s}", Related(shirt), parent_id=shirt.id, variant_options={"size": s})
        for s in ("S", "M", "L")
    ]
    await added(units, shirt, *sizes, a_product("SHIRT-ZZ"))
    async with units() as uow:
        assert [p.sku for p in await uow.products.variants(shirt.id)] == [
            "SHIRT-L",
            "SHIRT-M",
            "SHIRT-S",
        ]
        assert [p.sku for p in await uow.products.variants(shirt.id, "SHIRT-L", 1)] == ["SHIRT-M"]
        assert await uow.products.variants(sizes[0].id) == []


async def a_search_finds_by_every_criterion(units: UnitsOfWork) -> None:
    tools = await a_category(units, "Tools")
    drills = await a_category(units, "Drills", tools)
    garden = await a_category(units, "Garden")
    await added(
        units,
        *[
            a_product(sku, name=name, price_amount=price, category_id=c.id, attributes=a)
            for sku, name, price, c, a in [
                ("A-1", "Blue cordless drill", "89.00", drills, {"colour": "blue", "size": "L"}),
                ("A-2", "Red cordless drill", "79.00", drills, {"colour": "red"}),
                ("A-3", "Blue hammer", "19.90", tools, {"colour": "blue"}),
                ("A-4", "Blue garden hose", "24.50", garden, {"colour": "blue"}),
            ]
        ],
    )

    async def skus(after: str = "", limit: int = 50, **criteria: object) -> list[str]:
        async with units() as uow:
            found = await uow.products.search(Search(**criteria), after, limit)  # type: ignore[arg-type]
        return [p.sku for p in found]

    assert await skus() == ["A-1", "A-2", "A-3", "A-4"]
    assert await skus(text="cordless dri") == ["A-1", "A-2"]
    assert await skus(text="BLUE") == ["A-1", "A-3", "A-4"]
    assert await skus(text="cord") == ["A-1", "A-2"]
    assert await skus(text="ord") == []
    assert await skus(text="&|!") == ["A-1", "A-2", "A-3", "A-4"]
    assert await skus(category_id=tools.id) == ["A-1", "A-2", "A-3"]
    assert await skus(category_id=drills.id) == ["A-1", "A-2"]
    assert await skus(category_id="nope") == []
    assert await skus(attributes={"colour": "blue"}) == ["A-1", "A-3", "A-4"]
    assert await skus(attributes={"colour": "blue", "size": "L"}) == ["A-1"]
    assert await skus(min_price=Decimal(20), max_price=Decimal(80)) == ["A-2", "A-4"]
    assert await skus(min_price=Decimal("89.00")) == ["A-1"]
    assert await skus(text="blue", category_id=tools.id, max_price=Decimal(50)) == ["A-3"]
    assert await skus(sku="A-4") == ["A-4"]
    assert await skus(after="A-1", limit=2) == ["A-2", "A-3"]


PRODUCT_CHECKS: list[Check] = [
    a_product_comes_back_as_it_was_added,
    a_taken_sku_is_refused_and_nothing_written,
    products_are_found_by_id_or_sku,
    saving_writes_only_what_a_change_may_touch,
    suppliers_are_replaced_as_a_whole,
    pictures_are_added_and_stored_bytes_read_back,
    variants_come_by_sku_a_page_at_a_time,
    a_search_finds_by_every_criterion,
]


# Categories


async def categories_come_back_and_by_path(units: UnitsOfWork) -> None:
    tools = await a_category(units, "Tools")
    drills = await a_category(units, "Drills", tools)
    garden = await a_category(units, "Garden")
    async with units() as uow:
        assert await uow.categories.get(drills.id) == drills
        assert await uow.categories.get("nope") is None
        by_path = sorted([tools, drills, garden], key=lambda c: c.path)
        assert await uow.categories.page("", 10) == by_path
        assert await uow.categories.page(by_path[0].path, 1) == by_path[1:2]
    assert by_path.index(tools) < by_path.index(drills)  # parents before children


CATEGORY_CHECKS: list[Check] = [categories_come_back_and_by_path]


# Price lists


def a_price_list(
    name: str, currency: str, *breaks: tuple[str, int, str], group: str = ""
) -> PriceList:
    return new_price_list(name, currency, group, date(2026, 1, 1), None, breaks)


async def a_price_list_comes_back_with_its_breaks_in_order(units: UnitsOfWork) -> None:
    bolt, nut = a_product("BOLT"), a_product("NUT")
    await added(units, bolt, nut)
    trade = a_price_list(
        "Trade", "EUR", (nut.id, 10, "0.5"), (bolt.id, 10, "8.5"), (bolt.id, 1, "9")
    )
    async with units() as uow:
        await uow.price_lists.add(trade, "max")
    async with units() as uow:
        found = await uow.price_lists.get(trade.id)
        assert await uow.price_lists.get("nope") is None
    ordered = sorted(trade.breaks, key=lambda b: (b.product_id, b.min_quantity))
    assert found == replace(trade, breaks=tuple(ordered))


async def price_lists_are_listed_by_name_with_their_break_count(units: UnitsOfWork) -> None:
    bolt = a_product("BOLT")
    await added(units, bolt)
    lists = [
        a_price_list("Retail", "EUR", (bolt.id, 1, "9")),
        a_price_list("Export", "USD", (bolt.id, 1, "9")),
        a_price_list("Trade", "EUR", (bolt.id, 1, "9"), (bolt.id, 10, "8"), group="wholesale"),
    ]
    async with units() as uow:
        for price_list in lists:
            await uow.price_lists.add(price_list, "max")
    async with units() as uow:
        every = await uow.price_lists.page("", "", None, 10)
        euros = await uow.price_lists.page("", "EUR", None, 1)
        after = await uow.price_lists.page("", "EUR", (euros[0][0].name, euros[0][0].id), 10)
        wholesale = await uow.price_lists.page("wholesale", "", None, 10)
    assert [(p.name, count, p.breaks) for p, count in every] == [
        ("Export", 1, ()),
        ("Retail", 1, ()),
        ("Trade", 2, ()),
    ]
    assert every[0][0] == replace(lists[1], breaks=())
    assert [p.name for p, _ in euros + after] == ["Retail", "Trade"]
    assert [p.name for p, _ in wholesale] == ["Trade"]


async def the_lists_pricing_products_in_a_currency_hold_only_their_breaks(
    units: UnitsOfWork,
) -> None:
    bolt, nut, washer = a_product("BOLT"), a_product("NUT"), a_product("WASHER")
    await added(units, bolt, nut, washer)
    trade = a_price_list("Trade", "EUR", (bolt.id, 1, "9"), (bolt.id, 10, "8"), (nut.id, 1, "1"))
    volume = a_price_list("Volume", "EUR", (nut.id, 100, "0.5"))
    dollars = a_price_list("Export", "USD", (bolt.id, 1, "11"))
    async with units() as uow:
        for price_list in (trade, volume, dollars):
            await uow.price_lists.add(price_list, "max")
    async with units() as uow:
        found = await uow.price_lists.for_products([bolt.id, nut.id, washer.id], "EUR")

    def breaks(price_list: PriceList) -> set[PriceBreak]:
        return set(price_list.breaks)

    assert sorted(found) == sorted([bolt.id, nut.id])
    assert [(p.id, breaks(p)) for p in found[bolt.id]] == [
        (trade.id, {PriceBreak(bolt.id, 1, Decimal(9)), PriceBreak(bolt.id, 10, Decimal(8))})
    ]
    assert sorted((p.name, breaks(p)) for p in found[nut.id]) == [
        ("Trade", {PriceBreak(nut.id, 1, Decimal(1))}),
        ("Volume", {PriceBreak(nut.id, 100, Decimal("0.5"))}),
    ]
    assert replace(found[bolt.id][0], breaks=()) == replace(trade, breaks=())


PRICE_LIST_CHECKS: list[Check] = [
    a_price_list_comes_back_with_its_breaks_in_order,
    price_lists_are_listed_by_name_with_their_break_count,
    the_lists_pricing_products_in_a_currency_hold_only_their_breaks,
]


# Processed requests, and the unit of work itself


async def a_request_id_is_claimed_once_and_replayed(units: UnitsOfWork) -> None:
    async with units() as uow:
        assert await uow.requests.claim("create_product", "r-1", "print") is None
        await uow.requests.complete("create_product", "r-1", "p-1")
    async with units() as uow:
        assert await uow.requests.claim("create_product", "r-1", "print") == "p-1"
        assert await uow.requests.claim("other_operation", "r-1", "print") is None
        assert await uow.requests.claim("create_product", "", "print") is None
    async with units() as uow:
        with pytest.raises(AlreadyExists) as other_content:
            await uow.requests.claim("create_product", "r-1", "another print")
    assert [v.field for v in other_content.value.violations] == ["request_id"]
    async with units() as uow:
        with pytest.raises(InvalidArgument) as too_long:
            await uow.requests.claim("create_product", "r" * 101, "print")
    assert [v.field for v in too_long.value.violations] == ["request_id"]


async def a_unit_of_work_that_fails_leaves_nothing(units: UnitsOfWork) -> None:
    bolt = a_product("BOLT")

    async def fails() -> None:
        async with units() as uow:
            assert await uow.requests.claim("create_product", "r-1", "print") is None
            assert await uow.products.add(bolt)
            await uow.categories.add(new_category("Tools", None), "pia")
            raise RuntimeError("the use case failed")

    with pytest.raises(RuntimeError):
        await fails()
    async with units() as uow:
        assert await uow.products.get_many([bolt.id]) == []
        assert await uow.categories.page("", 10) == []
        assert await uow.requests.claim("create_product", "r-1", "print") is None


async def tax_rules_come_back_by_zone_category_and_code_with_their_dates(
    units: UnitsOfWork,
) -> None:
    vat = new_tax_rule("standard", "DE", "VAT", "0.19", date(2021, 1, 1), None)
    books = new_tax_rule("reduced", "DE", "VAT", "0.07", None, date(2030, 12, 31))
    other = new_tax_rule("standard", "AT", "USt", "0.2", None, None)
    async with units() as uow:
        for rule in (vat, books, other):
            await uow.tax_rules.add(rule, "fay")
    async with units() as uow:
        assert await uow.tax_rules.in_zone("DE") == [books, vat]
        assert await uow.tax_rules.in_zone("") == [other, books, vat]
        assert await uow.tax_rules.in_zone("FR") == []


async def a_product_change_keeps_its_cost_category_and_tax_category(units: UnitsOfWork) -> None:
    lamp = a_product("LAMP", cost="4")
    lamps = new_category("Lamps", None)
    async with units() as uow:
        await uow.categories.add(lamps, "pia")
        assert await uow.products.add(lamp)
    edit = ProductEdit(cost="5.5", category_id=lamps.id, tax_category="reduced")
    changed, _ = change_details(lamp, edit)
    async with units() as uow:
        await uow.products.save(changed)
    async with units() as uow:
        (kept,) = await uow.products.get_many([lamp.id])
    assert (kept.cost, kept.category_id, kept.tax_category) == (Decimal("5.5"), lamps.id, "reduced")


UNIT_OF_WORK_CHECKS: list[Check] = [
    a_request_id_is_claimed_once_and_replayed,
    a_unit_of_work_that_fails_leaves_nothing,
]

EVERY_CHECK: list[Check] = [
    *PRODUCT_CHECKS,
    *CATEGORY_CHECKS,
    *PRICE_LIST_CHECKS,
    *UNIT_OF_WORK_CHECKS,
    tax_rules_come_back_by_zone_category_and_code_with_their_dates,
    a_product_change_keeps_its_cost_category_and_tax_category,
]
