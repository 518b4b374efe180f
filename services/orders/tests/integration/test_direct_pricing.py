"""A directly placed order priced against a real catalog process: the customer's price list and
quantity break and the tax rules of its tax zone (both asked once per order), stored with the
order and announced on SalesOrderPlaced; an exempt customer's reason on the document; a discount
larger than its line refused naming the field."""

from __future__ import annotations

import uuid

import grpc

from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from oms.events.v1 import orders_pb2
from oms.orders.v1 import customers_pb2, customers_pb2_grpc
from oms.orders.v1 import orders_pb2 as pb
from oms.types.v1 import pricing_pb2
from oms.types.v1.types_pb2 import Money
from pricing.wire import document_from_proto
from servicekit.grpc import violations_of
from services.orders.tests.integration.conftest import Env, refused
from testkit.security import session_security
from testkit.services import EventLog, as_user

SALES = as_user("sam", "sales")
FINANCE = as_user("fin", "finance")


async def _priced_catalog(catalog: str, group: str, zone: str) -> tuple[str, str]:
    """A standard widget (12.50; 11.00 from 10 units for `group`) and a reduced-rate book
    (20.00), with VAT 19 % and 7 % in `zone`."""
    async with session_security().channel(catalog) as channel:
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        ids = []
        for name, price, category in (
            ("Widget", "12.50", "standard"),
            ("Atlas", "20.00", "reduced"),
        ):
            made = await stub.CreateProduct(
                catalog_pb2.CreateProductRequest(
                    sku=f"{name[:3].upper()}-{uuid.uuid4().hex[:8]}",
                    name=name,
                    list_price=Money(amount=price, currency="EUR"),
                    tax_category=category,
                )
            )
            ids.append(made.product.id)
        await stub.CreatePriceList(
            catalog_pb2.CreatePriceListRequest(
                name=group,
                currency="EUR",
                customer_group=group,
                breaks=[
                    catalog_pb2.PriceBreak(product_id=ids[0], min_quantity=10, unit_price="11")
                ],
            )
        )
        for category, rate in (("standard", "0.19"), ("reduced", "0.07")):
            await stub.CreateTaxRule(
                catalog_pb2.CreateTaxRuleRequest(
                    tax_category=category, tax_zone=zone, code="VAT", rate=rate
                )
            )
    return ids[0], ids[1]


async def _customer(
    customers: customers_pb2_grpc.CustomersServiceStub, group: str, zone: str, exemption: str = ""
) -> str:
    account = customers_pb2.CustomerInput(
        name=f"Shop {uuid.uuid4().hex[:6]}",
        kind="company",
        currency="EUR",
        customer_group=group,
        tax_zone=zone,
        tax_exemption=exemption,
    )
    created = await customers.CreateCustomer(
        customers_pb2.CreateCustomerRequest(customer=account), metadata=FINANCE
    )
    assert (created.customer.tax_zone, created.customer.tax_exemption) == (zone, exemption)
    return str(created.customer.id)


def _sale(customer: str, widget: str, book: str) -> pb.PlaceSalesOrderRequest:
    return pb.PlaceSalesOrderRequest(
        customer_id=customer,
        currency="EUR",
        lines=[
            pb.PlaceSalesOrderLine(
                product_id=widget, quantity=10, discount=pricing_pb2.Discount(percent="10")
            ),
            pb.PlaceSalesOrderLine(
                product_id=book, quantity=2, discount=pricing_pb2.Discount(amount="5")
            ),
        ],
        discount=pricing_pb2.Discount(percent="10"),
        shipping=[pricing_pb2.ShippingCharge(description="Parcel", amount="10.00")],
    )


async def test_a_direct_order_is_priced_from_the_catalogs_price_lists_and_tax_rules(
    env: Env,
    catalog: str,
    kafka_bootstrap: str,
    customers: customers_pb2_grpc.CustomersServiceStub,
) -> None:
    stub, ns, _ = env
    group, zone = f"trade-{uuid.uuid4().hex[:6]}", f"DE-{uuid.uuid4().hex[:6]}"
    widget, book = await _priced_catalog(catalog, group, zone)
    customer = await _customer(customers, group, zone)
    async with EventLog(kafka_bootstrap, [orders_pb2.SalesOrderPlaced], ns) as log:
        order = (await stub.PlaceSalesOrder(_sale(customer, widget, book), metadata=SALES)).order
        ((_, announced),) = await log.wait_for(order.id, count=1)
    assert order.total.amount == "151.64"  # worked by hand in tests/e2e/test_money_direct_orders
    figures = order.document.breakdown
    assert [(t.code, t.rate, t.base, t.amount) for t in figures.taxes] == [
        ("VAT", "0.07", "31.50", "2.21"),
        ("VAT", "0.19", "99.10", "18.83"),
    ]
    assert [(g.name, g.net, g.tax) for g in figures.groups] == [("Items", "120.60", "19.14")]
    assert announced.document == order.document
    document = document_from_proto(order.document)
    assert document.lines[0].price_rule.startswith(f"price list '{group}'")

    reason = "Intra-community supply"
    exempt = await _customer(customers, group, zone, reason)
    untaxed = (await stub.PlaceSalesOrder(_sale(exempt, widget, book), metadata=SALES)).order
    assert (untaxed.total.amount, untaxed.document.tax_exemption) == ("130.60", reason)
    assert list(untaxed.document.breakdown.taxes) == []

    too_much = _sale(customer, widget, book)
    too_much.lines[1].discount.amount = "40.01"
    error = await refused(stub.PlaceSalesOrder(too_much, metadata=SALES))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in violations_of(error)] == ["lines[1].discount"]
