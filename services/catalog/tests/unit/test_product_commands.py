"""The commands on products, on the fakes: what each keeps, announces and logs, and what it
refuses without leaving a trace."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.application.commands.add_picture import AddPicture, add_picture
from catalog.application.commands.change_list_price import ChangeListPrice, change_list_price
from catalog.application.commands.change_product import ChangeProduct, change_product
from catalog.application.commands.create_category import CreateCategory, create_category
from catalog.application.commands.create_product import CreateProduct, create_product
from catalog.application.commands.discontinue_product import (
    DiscontinueProduct,
    discontinue_product,
)
from catalog.application.commands.set_product_suppliers import (
    SetProductSuppliers,
    set_product_suppliers,
)
from catalog.domain.events import (
    ProductChanged,
    ProductCreated,
    ProductDiscontinued,
    ProductPriceChanged,
)
from catalog.domain.product_changes import ProductEdit
from catalog.domain.products import NewProduct, NewSupplier, Product
from pricing.money import Money
from servicekit.context import Principal, acting
from servicekit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from services.catalog.tests.unit.fakes import FakeCatalog

BUYER = Principal("pia", ("purchasing",))
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def new(sku: str = "LAMP", price: str = "10", **fields: object) -> NewProduct:
    return NewProduct(sku, sku.title(), "", price, "EUR", **fields)  # type: ignore[arg-type]


async def made(catalog: FakeCatalog, sku: str = "LAMP", **fields: object) -> Product:
    return (await create_product(catalog, CreateProduct(new(sku, **fields)))).value


def log(catalog: FakeCatalog, entity_id: str) -> list[tuple[str, object, object]]:
    return [
        (c.action, c.before, c.after) for c in catalog.state.changes if c.entity_id == entity_id
    ]


async def test_a_new_product_is_kept_announced_and_logged_with_its_actor() -> None:
    catalog = FakeCatalog()
    with acting(BUYER):
        shown = await create_product(catalog, CreateProduct(new("LAMP", "12.5", cost="4")))
    product = shown.value
    assert (shown.seen.prices, shown.seen.costs) == (True, True)
    assert (product.created_by, str(product.list_price.amount)) == ("pia", "12.5")
    assert list(catalog.state.products) == [product.id]
    assert catalog.state.published == [
        ProductCreated(product.id, "LAMP", "Lamp", Money(Decimal("12.5"), "EUR"))
    ]
    (created,) = catalog.state.changes
    assert (created.entity_type, created.action, created.actor, created.before) == (
        "product",
        "created",
        "pia",
        None,
    )
    assert (created.after["list_price"], created.after["cost"]) == ("12.50 EUR", "4.00 EUR")


async def test_a_retried_create_returns_the_first_product_and_other_content_is_refused() -> None:
    catalog = FakeCatalog()
    first = await create_product(catalog, CreateProduct(new("BOLT"), "r-1", "print"))
    again = await create_product(catalog, CreateProduct(new("BOLT"), "r-1", "print"))
    assert again.value == first.value
    with pytest.raises(AlreadyExists) as other_content:
        await create_product(catalog, CreateProduct(new("BOLT", "9.99"), "r-1", "other"))
    assert [v.field for v in other_content.value.violations] == ["request_id"]
    with pytest.raises(AlreadyExists, match="SKU 'BOLT' already exists"):
        await create_product(catalog, CreateProduct(new("BOLT")))
    assert [a for a, _, _ in log(catalog, first.value.id)] == ["created"]
    assert len(catalog.state.published) == 1


async def test_a_refused_create_keeps_nothing_not_even_its_request_id() -> None:
    catalog = FakeCatalog()
    unknown = CreateProduct(new("A-9", category_id="nope"), "r-2", "print")
    with pytest.raises(InvalidArgument) as error:
        await create_product(catalog, unknown)
    assert [v.field for v in error.value.violations] == ["category_id"]
    assert (catalog.state.products, catalog.state.requests, catalog.state.changes) == ({}, {}, [])
    tools = await create_category(catalog, CreateCategory("Tools"))
    known = CreateProduct(new("A-9", category_id=tools.id), "r-2", "print")
    assert (await create_product(catalog, known)).value.category_id == tools.id


async def test_variants_and_kits_refer_to_products_the_catalog_has() -> None:
    catalog = FakeCatalog()
    shirt, bolt = await made(catalog, "SHIRT"), await made(catalog, "BOLT")
    small = await made(catalog, "SHIRT-S", parent_id=shirt.id, variant_options={"size": "S"})
    assert small.parent_id == shirt.id
    with pytest.raises(InvalidArgument) as same:
        await made(catalog, "SHIRT-S2", parent_id=shirt.id, variant_options={"size": "S"})
    assert [v.field for v in same.value.violations] == ["variant_options"]
    kit = await made(catalog, "SET", kind="kit", components=[(bolt.id, 4)])
    assert [(c.sku, c.quantity) for c in kit.components] == [("BOLT", 4)]
    with pytest.raises(InvalidArgument) as nested:
        await made(catalog, "SET-2", kind="kit", components=[(kit.id, 1)])
    assert [v.field for v in nested.value.violations] == ["components[0].product_id"]


async def test_each_change_is_announced_and_logged_with_only_the_fields_it_changed() -> None:
    catalog = FakeCatalog()
    lamp = await made(catalog, "LAMP")
    catalog.state.published.clear()
    with acting(BUYER):
        await change_product(catalog, ChangeProduct(lamp.id, ProductEdit("Desk lamp", "")))
        await change_list_price(catalog, ChangeListPrice(lamp.id, "12", "EUR"))
        supplier = NewSupplier("S-1", "", "3.5", "EUR", 5)
        await set_product_suppliers(catalog, SetProductSuppliers(lamp.id, [supplier]))
        pictured = await add_picture(
            catalog, AddPicture(lamp.id, content=PNG, content_type="image/png")
        )
        gone = await discontinue_product(catalog, DiscontinueProduct(lamp.id))
    picture = pictured.value.pictures[0]
    assert (gone.value.name, gone.value.active, str(gone.value.list_price)) == (
        "Desk lamp",
        False,
        "12.00 EUR",
    )
    assert catalog.state.published == [
        ProductChanged(lamp.id, "LAMP", "Desk lamp", "", None, "", "standard"),
        ProductPriceChanged(lamp.id, "LAMP", Money.of("10", "EUR"), Money.of("12", "EUR")),
        ProductDiscontinued(lamp.id, "LAMP"),
    ]
    assert {c.actor for c in catalog.state.changes[1:]} == {"pia"}
    assert log(catalog, lamp.id)[1:] == [
        ("changed", {"name": "Lamp"}, {"name": "Desk lamp"}),
        ("list_price_changed", {"list_price": "10.00 EUR"}, {"list_price": "12.00 EUR"}),
        (
            "suppliers_set",
            {"suppliers": []},
            {
                "suppliers": [
                    {
                        "supplier_id": "S-1",
                        "supplier_sku": "",
                        "cost": "3.50 EUR",
                        "minimum_order_quantity": 5,
                        "lead_time_days": 0,
                    }
                ]
            },
        ),
        (
            "picture_added",
            {"pictures": []},
            {"pictures": [{"id": picture.id, "url": picture.url, "alt_text": "", "stored": True}]},
        ),
        ("discontinued", {"active": True}, {"active": False}),
    ]
    assert catalog.state.picture_contents[picture.id][1].content == PNG


async def test_cost_category_and_tax_category_change_with_the_audit_trail_and_event() -> None:
    catalog = FakeCatalog()
    with acting(BUYER):
        lamps = await create_category(catalog, CreateCategory("Lamps"))
        lamp = await made(catalog, "LAMP", cost="4")
        catalog.state.published.clear()
        edit = ProductEdit(cost="5.25", category_id=lamps.id, tax_category="reduced")
        changed = (await change_product(catalog, ChangeProduct(lamp.id, edit))).value
    assert (changed.name, changed.cost, changed.category_id, changed.tax_category) == (
        "Lamp",
        Decimal("5.25"),
        lamps.id,
        "reduced",
    )
    assert catalog.state.published == [
        ProductChanged(lamp.id, "LAMP", "Lamp", "", Decimal("5.25"), lamps.id, "reduced")
    ]
    assert log(catalog, lamp.id)[-1] == (
        "changed",
        {"cost": "4.00 EUR", "category_id": None, "tax_category": "standard"},
        {"cost": "5.25 EUR", "category_id": lamps.id, "tax_category": "reduced"},
    )
    bad = ProductEdit(cost="-1", category_id="nope", tax_category="luxury")
    with pytest.raises(InvalidArgument) as refused:
        await change_product(catalog, ChangeProduct(lamp.id, bad))
    assert [v.field for v in refused.value.violations] == ["cost", "tax_category", "category_id"]


async def test_a_refused_change_leaves_no_entry_and_no_event() -> None:
    catalog = FakeCatalog()
    lamp = await made(catalog, "LAMP")
    before = (dict(catalog.state.products), list(catalog.state.published))
    with pytest.raises(InvalidArgument) as too_big:
        await change_list_price(catalog, ChangeListPrice(lamp.id, "1000000000000", "EUR"))
    assert [v.field for v in too_big.value.violations] == ["list_price.amount"]
    with pytest.raises(InvalidArgument) as fake:
        await add_picture(catalog, AddPicture(lamp.id, content=b"<svg/>", content_type="image/png"))
    assert [v.field for v in fake.value.violations] == ["content"]
    await discontinue_product(catalog, DiscontinueProduct(lamp.id))
    with pytest.raises(FailedPrecondition, match="discontinued"):
        await discontinue_product(catalog, DiscontinueProduct(lamp.id))
    assert [a for a, _, _ in log(catalog, lamp.id)] == ["created", "discontinued"]
    assert len(catalog.state.published) == len(before[1]) + 1


@pytest.mark.parametrize(
    "command",
    [
        lambda c: change_product(c, ChangeProduct("nope", ProductEdit("X", ""))),
        lambda c: change_list_price(c, ChangeListPrice("nope", "1", "EUR")),
        lambda c: discontinue_product(c, DiscontinueProduct("nope")),
        lambda c: set_product_suppliers(c, SetProductSuppliers("nope", [])),
        lambda c: add_picture(c, AddPicture("nope", url="http://img.example/1.png")),
    ],
)
async def test_a_change_to_an_unknown_product_is_not_found(command) -> None:  # type: ignore[no-untyped-def]
    catalog = FakeCatalog()
    with pytest.raises(NotFound, match="product nope not found"):
        await command(catalog)
    assert catalog.state.changes == []
