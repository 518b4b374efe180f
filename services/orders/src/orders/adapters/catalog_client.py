"""The catalog, as the orders service needs it: current products, the customer's prices and the
taxes of its tax zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import grpc

from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from orders.domain.order_pricing import PriceKey, ResolvedPrice
from orders.domain.placing import CatalogProduct
from pricing.document import TaxRate
from pricing.money import parse_amount
from pricing.wire import money_from_proto
from servicekit.errors import Unavailable
from servicekit.grpc import open_channel
from servicekit.tls import TlsFiles

TIMEOUT = 5.0


def _product(p: catalog_pb2.Product) -> CatalogProduct:
    return CatalogProduct(
        p.id,
        p.sku,
        money_from_proto(p.list_price),
        p.active,
        parse_amount(p.cost) if p.cost else None,
        p.category_id,
        tuple((c.product_id, c.sku, c.quantity) for c in p.components),
        name=p.name,
        tax_category=p.tax_category or "standard",
        kind=p.kind or "stocked",
    )


class GrpcCatalog:
    """Calls the catalog on the orders service's own account (its certificate)."""

    def __init__(self, target: str, tls: TlsFiles) -> None:
        self.stub = catalog_pb2_grpc.CatalogServiceStub(open_channel(target, tls))

    async def products(self, ids: Sequence[str]) -> dict[str, CatalogProduct]:
        try:
            reply = await self.stub.BatchGetProducts(
                catalog_pb2.BatchGetProductsRequest(product_ids=list(ids)), timeout=TIMEOUT
            )
        except grpc.aio.AioRpcError as error:
            raise Unavailable(f"catalog cannot price the order now: {error.details()}") from error
        return {p.id: _product(p) for p in reply.products}

    async def prices(
        self, keys: set[PriceKey], customer_group: str, currency: str, on: date
    ) -> dict[PriceKey, ResolvedPrice | None]:
        ordered = sorted(keys)
        request = catalog_pb2.ResolvePricesRequest(
            customer_group=customer_group,
            currency=currency,
            date=on.isoformat(),
            queries=[catalog_pb2.PriceQuery(product_id=p, quantity=q) for p, q in ordered],
        )
        try:
            reply = await self.stub.ResolvePrices(request, timeout=TIMEOUT)
        except grpc.aio.AioRpcError as error:
            raise Unavailable(f"catalog cannot price the order now: {error.details()}") from error
        return {
            key: ResolvedPrice(parse_amount(a.unit_price.amount), a.rule) if a.found else None
            for key, a in zip(ordered, reply.answers, strict=True)
        }

    async def taxes(
        self, tax_zone: str, tax_categories: set[str], on: date
    ) -> dict[str, tuple[TaxRate, ...]]:
        request = catalog_pb2.ResolveTaxesRequest(
            tax_zone=tax_zone, tax_categories=sorted(tax_categories), date=on.isoformat()
        )
        try:
            reply = await self.stub.ResolveTaxes(request, timeout=TIMEOUT)
        except grpc.aio.AioRpcError as error:
            raise Unavailable(f"catalog cannot tax the order now: {error.details()}") from error
        return {
            a.tax_category: tuple(TaxRate(t.code, t.rate) for t in a.taxes) for a in reply.answers
        }
