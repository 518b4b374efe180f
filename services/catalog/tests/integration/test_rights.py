"""Rights the catalog keeps itself, through the gRPC API: costs only for purchasing, finance,
admin and the suite's services; no prices for the warehouse; price lists kept by sales managers."""

from __future__ import annotations

import uuid

import grpc

from oms.catalog.v1 import catalog_pb2 as pb
from oms.types.v1.types_pb2 import Money
from services.catalog.tests.integration.conftest import Catalog, Stub, refused
from testkit.security import session_security
from testkit.services import as_user

SUPPLIER = pb.ProductSupplier(
    supplier_id="S-1", cost="4.20", currency="EUR", minimum_order_quantity=10, lead_time_days=3
)


def as_service(catalog: Catalog, name: str) -> grpc.aio.Channel:
    """A channel with `name`'s certificate and no person's token: that caller's own account."""
    return session_security().channel(catalog.target, as_name=name, token="")


# role: (cost, supplier cost, list price, withheld)
FIGURES = {
    "purchasing": ("4.50", "4.20", "10.00", []),
    "finance": ("4.50", "4.20", "10.00", []),
    "sales": ("", "", "10.00", ["cost", "suppliers.cost"]),
    "sales-manager": ("", "", "10.00", ["cost", "suppliers.cost"]),
    "order-desk": ("", "", "10.00", ["cost", "suppliers.cost"]),
    "warehouse": ("", "", "", ["list_price", "cost", "suppliers.cost"]),
}


async def test_each_role_reads_the_figures_it_may_see(catalog: Catalog) -> None:
    made = await catalog.product("BOLT", cost="4.5", suppliers=[SUPPLIER])
    for role, expected in FIGURES.items():
        who = as_user("pat", role)
        got = await catalog.stub.GetProduct(pb.GetProductRequest(product_id=made.id), metadata=who)
        batch = await catalog.stub.BatchGetProducts(
            pb.BatchGetProductsRequest(product_ids=[made.id]), metadata=who
        )
        listed = await catalog.stub.ListProducts(pb.ListProductsRequest(), metadata=who)
        for product in (got.product, batch.products[0], listed.products[0]):
            read = (
                product.cost,
                product.suppliers[0].cost,
                product.list_price.amount,
                list(product.withheld),
            )
            assert read == expected, role
            assert product.suppliers[0].minimum_order_quantity == 10


async def test_the_suites_services_read_costs_and_internal_clients_read_prices_only(
    catalog: Catalog,
) -> None:
    made = await catalog.product("BOLT", cost="4.5", suppliers=[SUPPLIER])
    request = pb.GetProductRequest(product_id=made.id)
    async with as_service(catalog, "orders") as orders:
        seen = (await Stub(orders).GetProduct(request)).product
    assert (seen.cost, seen.suppliers[0].cost, seen.list_price.amount) == ("4.50", "4.20", "10.00")

    reporting = f"reporting-{uuid.uuid4().hex[:6]}"
    session_security().pki.register_client(reporting, ["catalog:read"])
    async with as_service(catalog, reporting) as client:
        read = (await Stub(client).GetProduct(request)).product
        price = await Stub(client).ResolvePrice(
            pb.ResolvePriceRequest(product_id=made.id, currency="EUR", quantity=1)
        )
        change = await refused(
            Stub(client).DiscontinueProduct(pb.DiscontinueProductRequest(product_id=made.id))
        )
    assert (read.cost, read.list_price.amount, price.unit_price.amount) == ("", "10.00", "10.00")
    assert change.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_the_warehouse_is_refused_every_price(catalog: Catalog) -> None:
    made = await catalog.product("BOLT")
    price_list = await catalog.stub.CreatePriceList(
        pb.CreatePriceListRequest(
            name="Trade",
            currency="EUR",
            breaks=[pb.PriceBreak(product_id=made.id, min_quantity=1, unit_price="9")],
        )
    )
    warehouse = as_user("wes", "warehouse")
    stub = catalog.stub
    for call in (
        stub.ResolvePrice(
            pb.ResolvePriceRequest(product_id=made.id, currency="EUR", quantity=1),
            metadata=warehouse,
        ),
        stub.ResolvePrices(
            pb.ResolvePricesRequest(currency="EUR", queries=[pb.PriceQuery(product_id=made.id)]),
            metadata=warehouse,
        ),
        stub.ListPriceLists(pb.ListPriceListsRequest(), metadata=warehouse),
        stub.GetPriceList(
            pb.GetPriceListRequest(price_list_id=price_list.price_list.id), metadata=warehouse
        ),
        # a price range would tell the price by halving it
        stub.SearchProducts(pb.SearchProductsRequest(min_price="5"), metadata=warehouse),
    ):
        assert (await refused(call)).code() == grpc.StatusCode.PERMISSION_DENIED
    found = await stub.SearchProducts(pb.SearchProductsRequest(sku="BOLT"), metadata=warehouse)
    assert [(p.sku, p.HasField("list_price")) for p in found.products] == [("BOLT", False)]

    async with as_service(catalog, "inventory") as inventory:
        stock_side = Stub(inventory)
        assert (await stock_side.GetProduct(pb.GetProductRequest(product_id=made.id))).product
        no_price = await refused(
            stock_side.ResolvePrice(
                pb.ResolvePriceRequest(product_id=made.id, currency="EUR", quantity=1)
            )
        )
    assert no_price.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_price_lists_are_kept_by_sales_managers_and_products_by_purchasing(
    catalog: Catalog,
) -> None:
    made = await catalog.product("BOLT")
    price_list = pb.CreatePriceListRequest(
        name="Trade",
        currency="EUR",
        breaks=[pb.PriceBreak(product_id=made.id, min_quantity=1, unit_price="9")],
    )
    denied = await refused(
        catalog.stub.CreatePriceList(price_list, metadata=as_user("sam", "sales"))
    )
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    kept = await catalog.stub.CreatePriceList(price_list, metadata=as_user("max", "sales-manager"))
    assert kept.price_list.breaks[0].unit_price == "9.00"

    product = pb.CreateProductRequest(
        sku="NUT", name="Nut", list_price=Money(amount="1", currency="EUR")
    )
    for role in ("sales", "finance", "warehouse"):
        error = await refused(catalog.stub.CreateProduct(product, metadata=as_user("x", role)))
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    created = await catalog.stub.CreateProduct(product, metadata=as_user("pia", "purchasing"))
    assert created.product.created_by == "pia"
