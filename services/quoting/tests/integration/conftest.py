"""Quoting against the real broker and database, pricing from a real catalog process: products
made once per module, a fresh quoting service per test, and helpers to call it as people."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

import grpc
import pytest

from oms.audit.v1 import audit_pb2, audit_pb2_grpc
from oms.catalog.v1 import catalog_pb2 as catalog
from oms.catalog.v1 import catalog_pb2_grpc
from oms.quoting.v1 import quoting_pb2 as pb
from oms.quoting.v1 import quoting_pb2_grpc
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from quoting.bootstrap import SPEC
from quoting.config import Settings
from servicekit.grpc import violations_of
from testkit.security import session_security
from testkit.services import as_user, free_port, namespace, running

SALES = as_user("sam", "sales")
VAT19 = pricing.TaxRate(code="VAT19", rate="0.19")
VAT7 = pricing.TaxRate(code="VAT7", rate="0.07")
Metadata = Sequence[tuple[str, str]]


@dataclass
class Catalog:
    widget: str
    bolt: str
    kit: str
    loose_kit: str
    service: str
    dollar: str


@dataclass
class Quoting:
    """One running quoting service: its stubs (as the gateway; calls carry an admin's token
    unless they pass a person's), its topic namespace, database and address."""

    stub: quoting_pb2_grpc.QuotingServiceStub
    audit: audit_pb2_grpc.AuditServiceStub
    ns: str
    url: str
    target: str

    async def entries(self, entity_type: str, entity_id: str) -> list[audit_pb2.AuditEntry]:
        """The change log of one entity, oldest first."""
        request = audit_pb2.ListAuditEntriesRequest(entity_type=entity_type, entity_id=entity_id)
        return list(reversed((await self.audit.ListAuditEntries(request)).entries))


async def product(
    stub: catalog_pb2_grpc.CatalogServiceStub, price: str, currency: str = "EUR", **fields: object
) -> str:
    request = catalog.CreateProductRequest(
        sku=f"S-{uuid.uuid4().hex[:8]}",
        name=str(fields.pop("name", "Widget")),
        list_price=Money(amount=price, currency=currency),
        **fields,  # type: ignore[arg-type]
    )
    return str((await stub.CreateProduct(request)).product.sku)


@pytest.fixture(scope="module")
async def products(catalog_process: str) -> AsyncIterator[Catalog]:
    async with session_security().channel(catalog_process) as channel:
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        widget = await product(stub, "10.00", name="Widget")
        bolt = await product(stub, "0.50", name="Bolt")
        ids = {
            p.sku: p.id
            for p in (
                await stub.SearchProducts(catalog.SearchProductsRequest(page_size=10))
            ).products
        }
        parts = [
            catalog.KitComponent(product_id=ids[widget], quantity=1),
            catalog.KitComponent(product_id=ids[bolt], quantity=4),
        ]
        kit = await product(stub, "11.00", name="Starter kit", kind="kit", components=parts)
        loose = await product(
            stub, "0", name="Loose kit", kind="kit", components=parts, kit_pricing="components"
        )
        service = await product(stub, "80.00", name="Installation", kind="service")
        dollar = await product(stub, "5.00", "USD", name="Imported")
        await stub.CreatePriceList(
            catalog.CreatePriceListRequest(
                name="Wholesale",
                currency="EUR",
                customer_group="wholesale",
                breaks=[
                    catalog.PriceBreak(product_id=ids[widget], min_quantity=10, unit_price="9.00")
                ],
            )
        )
        yield Catalog(widget, bolt, kit, loose, service, dollar)


@pytest.fixture
async def quoting(
    catalog_process: str, fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[Quoting]:
    ns, url, port = namespace(), await fresh_database("quoting"), free_port()
    settings = Settings(
        database_url=url,
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=port,
        topic_namespace=ns,
        catalog_target=catalog_process,
        expiry_interval_seconds=0.2,
    )
    async with running(SPEC, settings) as channel:
        yield Quoting(
            quoting_pb2_grpc.QuotingServiceStub(channel),
            audit_pb2_grpc.AuditServiceStub(channel),
            ns,
            url,
            f"127.0.0.1:{port}",
        )


def one_line(
    line: pb.LineInput, customer_id: str = "C-1", salesperson: str = ""
) -> pb.CreateQuoteRequest:
    """A quote of one line in one group, for `salesperson` (empty: the caller)."""
    group = pb.GroupInput(name="Main", lines=[line])
    return pb.CreateQuoteRequest(
        content=pb.QuoteContent(
            customer_id=customer_id, salesperson=salesperson, currency="EUR", groups=[group]
        )
    )


async def refusal(call: Awaitable[object]) -> tuple[grpc.StatusCode, list[str]]:
    """The status code and the fields at fault of a call that must fail."""
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await call
    return refused.value.code(), [v.field for v in violations_of(refused.value)]
