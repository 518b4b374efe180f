"""Every change to the catalog is in its change log (who, when, before and after), written with
the change or not at all; a retried CreateProduct returns the first product, a retried
CreateTaxRule, CreateCategory or CreatePriceList what the first call created, and a retried
AddPicture adds no second picture."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TypeVar

import grpc

from oms.audit.v1 import audit_pb2, audit_pb2_grpc
from oms.catalog.v1 import catalog_pb2 as pb
from oms.types.v1.types_pb2 import Money
from servicekit.grpc import violations_of
from services.catalog.tests.integration.conftest import Catalog, refused
from testkit.services import as_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
BUYER = as_user("pia", "purchasing")
FINANCE = as_user("fay", "finance")
SALES_MANAGER = as_user("max", "sales-manager")

T = TypeVar("T")


async def entries(catalog: Catalog, entity_type: str, entity_id: str) -> list[audit_pb2.AuditEntry]:
    """Oldest first."""
    reply = await audit_pb2_grpc.AuditServiceStub(catalog.channel).ListAuditEntries(
        audit_pb2.ListAuditEntriesRequest(entity_type=entity_type, entity_id=entity_id)
    )
    return list(reversed(reply.entries))


def changes(found: list[audit_pb2.AuditEntry]) -> list[tuple[str, object, object]]:
    return [
        (e.action, json.loads(e.before_json or "null"), json.loads(e.after_json or "null"))
        for e in found
    ]


async def test_each_product_change_is_logged_with_its_actor_and_the_fields_it_changed(
    catalog: Catalog,
) -> None:
    stub = catalog.stub
    made = (
        await stub.CreateProduct(
            pb.CreateProductRequest(
                sku="LAMP", name="Lamp", list_price=Money(amount="10", currency="EUR"), cost="4"
            ),
            metadata=BUYER,
        )
    ).product
    product_id = made.id
    await stub.ChangeProduct(
        pb.ChangeProductRequest(product_id=product_id, name="Desk lamp"), metadata=BUYER
    )
    await stub.ChangeListPrice(
        pb.ChangeListPriceRequest(
            product_id=product_id, list_price=Money(amount="12", currency="EUR")
        ),
        metadata=BUYER,
    )
    supplier = pb.ProductSupplier(
        supplier_id="S-1", cost="3.5", currency="EUR", minimum_order_quantity=5
    )
    await stub.SetProductSuppliers(
        pb.SetProductSuppliersRequest(product_id=product_id, suppliers=[supplier]), metadata=BUYER
    )
    pictured = await stub.AddPicture(
        pb.AddPictureRequest(product_id=product_id, content=PNG, content_type="image/png"),
        metadata=BUYER,
    )
    await stub.DiscontinueProduct(
        pb.DiscontinueProductRequest(product_id=product_id), metadata=BUYER
    )

    logged = await entries(catalog, "product", product_id)
    assert {(e.actor, tuple(e.actor_roles), e.service) for e in logged} == {
        ("pia", ("purchasing",), "catalog")
    }
    picture = pictured.product.pictures[0]
    created, *rest = changes(logged)
    assert created[0] == "created"
    assert created[1] is None
    assert isinstance(created[2], dict)
    assert (created[2]["list_price"], created[2]["cost"]) == ("10.00 EUR", "4.00 EUR")
    assert rest == [
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


async def test_a_refused_change_leaves_no_entry(catalog: Catalog) -> None:
    made = await catalog.product("LAMP")
    too_big = pb.ChangeListPriceRequest(
        product_id=made.id, list_price=Money(amount="1000000000000", currency="EUR")
    )
    error = await refused(catalog.stub.ChangeListPrice(too_big))
    assert [v.field for v in violations_of(error)] == ["list_price.amount"]
    assert [e.action for e in await entries(catalog, "product", made.id)] == ["created"]


async def test_categories_and_price_lists_are_logged_when_created(catalog: Catalog) -> None:
    tools = (
        await catalog.stub.CreateCategory(pb.CreateCategoryRequest(name="Tools"), metadata=BUYER)
    ).category
    assert changes(await entries(catalog, "category", tools.id)) == [
        ("created", None, {"name": "Tools", "parent_id": None})
    ]
    made = await catalog.product("BOLT")
    trade = (
        await catalog.stub.CreatePriceList(
            pb.CreatePriceListRequest(
                name="Trade",
                currency="EUR",
                customer_group="wholesale",
                valid_from="2026-01-01",
                breaks=[pb.PriceBreak(product_id=made.id, min_quantity=10, unit_price="8.5")],
            ),
            metadata=as_user("max", "sales-manager"),
        )
    ).price_list
    ((action, before, after),) = changes(await entries(catalog, "price_list", trade.id))
    assert (action, before) == ("created", None)
    assert after == {
        "name": "Trade",
        "currency": "EUR",
        "customer_group": "wholesale",
        "valid_from": "2026-01-01",
        "valid_to": None,
        "breaks": [{"product_id": made.id, "min_quantity": 10, "unit_price": "8.50"}],
    }


def bolt(request_id: str, price: str = "1.00") -> pb.CreateProductRequest:
    return pb.CreateProductRequest(
        sku="BOLT",
        name="Bolt",
        list_price=Money(amount=price, currency="EUR"),
        request_id=request_id,
    )


async def test_a_retried_create_returns_the_first_product(catalog: Catalog) -> None:
    first = (await catalog.stub.CreateProduct(bolt("r-1"))).product
    again = (await catalog.stub.CreateProduct(bolt("r-1"))).product
    assert again == first

    other_content = await refused(catalog.stub.CreateProduct(bolt("r-1", "9.99")))
    assert other_content.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [v.field for v in violations_of(other_content)] == ["request_id"]
    without_id = await refused(catalog.stub.CreateProduct(bolt("")))
    assert without_id.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [e.action for e in await entries(catalog, "product", first.id)] == ["created"]


async def test_the_same_create_sent_twice_at_once_makes_one_product(catalog: Catalog) -> None:
    replies = await asyncio.gather(*[catalog.stub.CreateProduct(bolt("r-3")) for _ in range(3)])
    assert len({r.product.id for r in replies}) == 1
    listed = await catalog.stub.ListProducts(pb.ListProductsRequest())
    assert [p.sku for p in listed.products] == ["BOLT"]


def vat(request_id: str, rate: str = "0.19") -> pb.CreateTaxRuleRequest:
    return pb.CreateTaxRuleRequest(
        tax_category="standard",
        tax_zone="DE",
        code="VAT",
        rate=rate,
        valid_from="2026-01-01",
        request_id=request_id,
    )


async def test_a_retried_tax_rule_is_created_once_even_when_the_retries_race(
    catalog: Catalog,
) -> None:
    stub = catalog.stub
    first = (await stub.CreateTaxRule(vat("t-1"), metadata=FINANCE)).tax_rule
    # its answer lost, the retry answers the rule the first call created
    again = (await stub.CreateTaxRule(vat("t-1"), metadata=FINANCE)).tax_rule
    assert again == first
    # three racing from the start: one creates, the others wait for it and answer it
    raced = await asyncio.gather(
        *(stub.CreateTaxRule(vat("t-2"), metadata=FINANCE) for _ in range(3))
    )
    assert len({r.tax_rule.id for r in raced}) == 1
    listed = await stub.ListTaxRules(pb.ListTaxRulesRequest(tax_zone="DE"), metadata=FINANCE)
    assert sorted(r.id for r in listed.tax_rules) == sorted([first.id, raced[0].tax_rule.id])

    other_content = await refused(stub.CreateTaxRule(vat("t-1", "0.07"), metadata=FINANCE))
    assert other_content.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [v.field for v in violations_of(other_content)] == ["request_id"]
    assert [e.action for e in await entries(catalog, "tax_rule", first.id)] == ["created"]


async def sent_again_and_raced(send: Callable[[str, str], Awaitable[T]]) -> tuple[T, T]:
    """`send(request_id, content)` creates something. Sent again after it, under the same id, it
    answers what the first call created; three sent at once under another id answer one thing;
    other content under a used id is ALREADY_EXISTS on `request_id`. The two things made."""
    first = await send("r-1", "first")
    # its answer lost, the retry answers what the first call created
    assert await send("r-1", "first") == first
    # three racing from the start: one creates, the others wait for it and answer it
    raced, *others = await asyncio.gather(*(send("r-2", "first") for _ in range(3)))
    assert others == [raced, raced]

    other_content = await refused(send("r-1", "other"))
    assert other_content.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [v.field for v in violations_of(other_content)] == ["request_id"]
    return first, raced


async def test_a_retried_category_is_created_once_even_when_the_retries_race(
    catalog: Catalog,
) -> None:
    async def create(request_id: str, name: str) -> pb.Category:
        request = pb.CreateCategoryRequest(name=name, request_id=request_id)
        return (await catalog.stub.CreateCategory(request, metadata=BUYER)).category

    first, raced = await sent_again_and_raced(create)
    listed = await catalog.stub.ListCategories(pb.ListCategoriesRequest(), metadata=BUYER)
    assert sorted(c.id for c in listed.categories) == sorted([first.id, raced.id])
    assert [e.action for e in await entries(catalog, "category", first.id)] == ["created"]


async def test_a_retried_price_list_is_created_once_even_when_the_retries_race(
    catalog: Catalog,
) -> None:
    bolt_id = (await catalog.product("BOLT")).id

    async def create(request_id: str, name: str) -> pb.PriceList:
        request = pb.CreatePriceListRequest(
            name=name,
            currency="EUR",
            breaks=[pb.PriceBreak(product_id=bolt_id, min_quantity=10, unit_price="8.50")],
            request_id=request_id,
        )
        return (await catalog.stub.CreatePriceList(request, metadata=SALES_MANAGER)).price_list

    first, raced = await sent_again_and_raced(create)
    listed = await catalog.stub.ListPriceLists(pb.ListPriceListsRequest(), metadata=SALES_MANAGER)
    assert sorted(p.id for p in listed.price_lists) == sorted([first.id, raced.id])
    assert [e.action for e in await entries(catalog, "price_list", first.id)] == ["created"]


async def test_a_retried_picture_is_added_once_even_when_the_retries_race(
    catalog: Catalog,
) -> None:
    bolt_id = (await catalog.product("BOLT")).id

    async def add(request_id: str, alt_text: str) -> pb.Product:
        request = pb.AddPictureRequest(
            product_id=bolt_id,
            content=PNG,
            content_type="image/png",
            alt_text=alt_text,
            request_id=request_id,
        )
        return (await catalog.stub.AddPicture(request, metadata=BUYER)).product

    first, raced = await sent_again_and_raced(add)
    assert len(first.pictures) == 1
    assert raced.pictures[:1] == first.pictures
    assert len(raced.pictures) == 2
    now = await catalog.stub.GetProduct(pb.GetProductRequest(product_id=bolt_id), metadata=BUYER)
    assert now.product == raced
    # sent again now, the first request answers the product as it is: with both pictures
    assert await add("r-1", "first") == raced
    logged = await entries(catalog, "product", bolt_id)
    assert [e.action for e in logged] == ["created", "picture_added", "picture_added"]
