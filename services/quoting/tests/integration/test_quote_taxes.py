"""A quote for a customer in a tax zone, taxed by the real catalog's tax rules (ResolveTaxes over
gRPC): the customer's zone arrives on its copy by event, each catalog line takes its product's
tax category, shipping the standard goods', entered taxes win."""

import asyncio
import uuid

import grpc

from oms.catalog.v1 import catalog_pb2 as catalog
from oms.catalog.v1 import catalog_pb2_grpc
from oms.events.v1 import orders_pb2
from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from pricing.wire import verify
from services.quoting.tests.integration.conftest import SALES, Catalog, Quoting, product
from testkit.security import session_security
from testkit.services import publish

ECO = pricing.TaxRate(code="ECO", rate="0.02")


async def test_a_quote_takes_the_tax_rules_of_its_customers_zone(
    quoting: Quoting, products: Catalog, catalog_process: str, kafka_bootstrap: str
) -> None:
    zone = f"Z{uuid.uuid4().hex[:6]}"  # this test's rules only
    async with session_security().channel(catalog_process) as channel:
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        book = await product(stub, "20.00", name="Book", tax_category="reduced")
        for category, rate in (("standard", "0.19"), ("reduced", "0.07")):
            rule = catalog.CreateTaxRuleRequest(
                tax_category=category, tax_zone=zone, code="VAT", rate=rate
            )
            await stub.CreateTaxRule(rule)
    customer_id = str(uuid.uuid4())
    account = orders_pb2.CustomerAccount(
        customer_id=customer_id, name="Kunde", currency="EUR", tax_zone=zone
    )
    await publish(
        kafka_bootstrap, orders_pb2.CustomerRegistered(customer=account), customer_id, quoting.ns
    )
    content = pb.QuoteContent(
        customer_id=customer_id,
        salesperson="sam",
        groups=[
            pb.GroupInput(
                name="Main",
                lines=[
                    pb.LineInput(sku=products.widget, quantity=2),
                    pb.LineInput(sku=book, quantity=1),
                    pb.LineInput(sku=book, quantity=1, taxes=[ECO]),
                ],
            )
        ],
        shipping=[pricing.ShippingCharge(description="Freight", amount="10.00")],
    )
    quote = None
    for _ in range(50):  # until the account's copy has arrived (no currency before: refused)
        try:
            quote = (
                await quoting.stub.CreateQuote(
                    pb.CreateQuoteRequest(content=content), metadata=SALES
                )
            ).quote
            break
        except grpc.aio.AioRpcError:
            await asyncio.sleep(0.2)
    assert quote is not None
    document = quote.document
    lines = document.groups[0].lines
    assert [[(t.code, t.rate) for t in line.taxes] for line in lines] == [
        [("VAT", "0.19")],
        [("VAT", "0.07")],
        [("ECO", "0.02")],
    ]
    assert [(t.code, t.rate) for t in document.shipping[0].taxes] == [("VAT", "0.19")]
    figures = document.breakdown
    assert [(t.rate, t.base, t.amount) for t in figures.taxes] == [
        ("0.02", "20.00", "0.40"),
        ("0.07", "20.00", "1.40"),
        ("0.19", "30.00", "5.70"),  # 2 widgets at 10 and the freight
    ]
    assert quote.total.amount == "77.50"
    verify(document)
