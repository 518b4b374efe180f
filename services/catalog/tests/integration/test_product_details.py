"""Variants, kits, suppliers and pictures against the real database, through the gRPC API."""

from collections.abc import AsyncIterator, Awaitable, Callable

import grpc
import pytest

from catalog.bootstrap import SPEC
from catalog.config import Settings
from oms.catalog.v1 import catalog_pb2 as pb
from oms.catalog.v1 import catalog_pb2_grpc
from oms.types.v1.types_pb2 import Money
from servicekit.grpc import violations_of
from testkit.services import serving

Stub = catalog_pb2_grpc.CatalogServiceStub
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4096  # 1 MiB and a bit


@pytest.fixture
async def stub(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[Stub]:
    async with serving(SPEC, Settings, await fresh_database("catalog"), kafka_bootstrap) as (
        channel,
        _,
    ):
        yield catalog_pb2_grpc.CatalogServiceStub(channel)


async def create(stub: Stub, sku: str, price: str = "10.00", **fields: object) -> pb.Product:
    request = pb.CreateProductRequest(
        sku=sku,
        name=sku.title(),
        list_price=Money(amount=price, currency="EUR"),
        **fields,  # type: ignore[arg-type]
    )
    return (await stub.CreateProduct(request)).product


async def rejected(call: Awaitable[object]) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    return error.value


async def test_variants_have_their_own_sku_price_and_options(stub: Stub) -> None:
    shirt = await create(stub, "SHIRT", kind="stocked", unit_of_measure="pc", cost="4.5")
    assert (shirt.kind, shirt.unit_of_measure, shirt.cost, shirt.tax_category) == (
        "stocked",
        "pc",
        "4.50",
        "standard",
    )
    for sku, price, size in [("SHIRT-M", "21.00", "M"), ("SHIRT-L", "22.00", "L")]:
        await create(stub, sku, price, parent_id=shirt.id, variant_options={"size": size})

    variants = (await stub.ListVariants(pb.ListVariantsRequest(parent_id=shirt.id))).variants
    assert [(v.sku, v.list_price.amount, dict(v.variant_options)) for v in variants] == [
        ("SHIRT-L", "22.00", {"size": "L"}),
        ("SHIRT-M", "21.00", {"size": "M"}),
    ]
    assert {v.parent_id for v in variants} == {shirt.id}

    same = await rejected(
        create(stub, "SHIRT-M2", parent_id=shirt.id, variant_options={"size": "M"})
    )
    assert [v.field for v in violations_of(same)] == ["variant_options"]
    nested = await rejected(
        create(stub, "SHIRT-M-X", parent_id=variants[1].id, variant_options={"fit": "slim"})
    )
    assert [v.field for v in violations_of(nested)] == ["parent_id"]
    unknown = await rejected(create(stub, "X", parent_id="nope", variant_options={"size": "S"}))
    assert [v.field for v in violations_of(unknown)] == ["parent_id"]
    missing = await rejected(stub.ListVariants(pb.ListVariantsRequest(parent_id="nope")))
    assert missing.code() == grpc.StatusCode.NOT_FOUND


async def test_a_kit_lists_its_components_wherever_products_are_read(stub: Stub) -> None:
    drill = await create(stub, "DRILL", tax_category="reduced")
    bits = await create(stub, "BITS")
    kit = await create(
        stub,
        "DRILL-KIT",
        "99.00",
        kind="kit",
        kit_pricing="components",
        components=[
            pb.KitComponent(product_id=drill.id, quantity=1),
            pb.KitComponent(product_id=bits.id, quantity=2),
        ],
    )
    expected = [(drill.id, "DRILL", 1), (bits.id, "BITS", 2)]

    def parts(product: pb.Product) -> list[tuple[str, str, int]]:
        return [(c.product_id, c.sku, c.quantity) for c in product.components]

    got = (await stub.GetProduct(pb.GetProductRequest(product_id=kit.id))).product
    batch = await stub.BatchGetProducts(pb.BatchGetProductsRequest(product_ids=[kit.id, drill.id]))
    found = (await stub.SearchProducts(pb.SearchProductsRequest(sku="DRILL-KIT"))).products
    assert parts(kit) == parts(got) == parts(found[0]) == expected
    assert {p.sku: parts(p) for p in batch.products} == {"DRILL-KIT": expected, "DRILL": []}
    assert (got.kind, got.kit_pricing) == ("kit", "components")
    assert {p.sku: p.tax_category for p in batch.products}["DRILL"] == "reduced"

    nested = await rejected(
        create(
            stub, "KIT-2", kind="kit", components=[pb.KitComponent(product_id=kit.id, quantity=1)]
        )
    )
    assert [v.field for v in violations_of(nested)] == ["components[0].product_id"]
    empty = await rejected(create(stub, "KIT-3", kind="kit"))
    assert [v.field for v in violations_of(empty)] == ["components"]


async def test_suppliers_are_replaced_as_a_whole(stub: Stub) -> None:
    acme = pb.ProductSupplier(
        supplier_id="S-1", supplier_sku="A-9", cost="4.2", currency="EUR", minimum_order_quantity=10
    )
    bolt = await create(stub, "BOLT", suppliers=[acme])
    assert [(s.supplier_id, s.cost, s.minimum_order_quantity) for s in bolt.suppliers] == [
        ("S-1", "4.20", 10)
    ]
    other = pb.ProductSupplier(
        supplier_id="S-2", cost="3.999", currency="USD", minimum_order_quantity=1, lead_time_days=9
    )
    changed = await stub.SetProductSuppliers(
        pb.SetProductSuppliersRequest(product_id=bolt.id, suppliers=[other])
    )
    read = (await stub.GetProduct(pb.GetProductRequest(product_id=bolt.id))).product
    assert list(changed.product.suppliers) == list(read.suppliers)
    assert [(s.supplier_id, s.cost, s.currency, s.lead_time_days) for s in read.suppliers] == [
        ("S-2", "3.999", "USD", 9)
    ]

    bad = pb.ProductSupplier(supplier_id="S-3", cost="1", currency="EUR")
    error = await rejected(
        stub.SetProductSuppliers(pb.SetProductSuppliersRequest(product_id=bolt.id, suppliers=[bad]))
    )
    assert [v.field for v in violations_of(error)] == ["suppliers[0].minimum_order_quantity"]
    unknown = await rejected(
        stub.SetProductSuppliers(pb.SetProductSuppliersRequest(product_id="nope"))
    )
    assert unknown.code() == grpc.StatusCode.NOT_FOUND


async def test_pictures_are_linked_or_stored_and_stored_ones_can_be_read_back(stub: Stub) -> None:
    lamp = await create(stub, "LAMP", pictures=[pb.Picture(url="https://img.example/lamp.jpg")])
    stored = await stub.AddPicture(
        pb.AddPictureRequest(
            product_id=lamp.id, content=PNG, content_type="image/png", alt_text="lit"
        )
    )
    first, second = stored.product.pictures
    assert (first.url, first.position, first.stored) == ("https://img.example/lamp.jpg", 0, False)
    assert (second.url, second.position, second.stored, second.alt_text) == (
        f"/products/{lamp.id}/pictures/{second.id}",
        1,
        True,
        "lit",
    )
    read = (await stub.GetProduct(pb.GetProductRequest(product_id=lamp.id))).product
    assert list(read.pictures) == [first, second]

    content = await stub.GetPictureContent(
        pb.GetPictureContentRequest(product_id=lamp.id, picture_id=second.id)
    )
    assert (content.content, content.content_type) == (PNG, "image/png")
    for product_id, picture_id in [(lamp.id, first.id), ("nope", second.id), (lamp.id, "nope")]:
        error = await rejected(
            stub.GetPictureContent(
                pb.GetPictureContentRequest(product_id=product_id, picture_id=picture_id)
            )
        )
        assert error.code() == grpc.StatusCode.NOT_FOUND

    fake = await rejected(
        stub.AddPicture(
            pb.AddPictureRequest(product_id=lamp.id, content=b"<svg/>", content_type="image/png")
        )
    )
    assert [v.field for v in violations_of(fake)] == ["content"]
    linked = await stub.AddPicture(
        pb.AddPictureRequest(product_id=lamp.id, url="http://img.example/side.jpg")
    )
    assert [p.position for p in linked.product.pictures] == [0, 1, 2]
