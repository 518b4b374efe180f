"""The catalog over gRPC (quoting.application.ports.Catalog): products by SKU or id, prices
from its price lists and taxes from its tax rules."""

from __future__ import annotations

from datetime import date

import grpc

from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from pricing.document import TaxRate
from pricing.money import parse_amount
from pricing.taxation import CategoryTaxes
from quoting.domain.catalog import CatalogItem, KitComponent, PriceKey, ResolvedPrice
from servicekit.errors import Unavailable
from servicekit.grpc import open_channel
from servicekit.tls import TlsFiles

TIMEOUT = 10.0


def _item(product: catalog_pb2.Product) -> CatalogItem:
    return CatalogItem(
        product_id=product.id,
        sku=product.sku,
        name=product.name,
        kind=product.kind or "stocked",
        active=product.active,
        components=tuple(KitComponent(c.product_id, c.sku, c.quantity) for c in product.components),
        kit_pricing=product.kit_pricing or "kit",
        tax_category=product.tax_category or "standard",
    )


class GrpcCatalog:
    """A few calls per quote, however many lines: the products, their prices and (for a customer
    in a tax zone) their taxes. Made on quoting's own account (its certificate), whoever the
    quote is for."""

    def __init__(self, target: str, tls: TlsFiles) -> None:
        self.stub = catalog_pb2_grpc.CatalogServiceStub(open_channel(target, tls))

    async def items(self, skus: set[str], ids: set[str]) -> dict[str, CatalogItem]:
        """Items by SKU and by id; unknown ones are simply absent."""
        if not skus and not ids:
            return {}
        request = catalog_pb2.BatchGetProductsRequest(product_ids=sorted(ids), skus=sorted(skus))
        try:
            reply = await self.stub.BatchGetProducts(request, timeout=TIMEOUT)
        except grpc.aio.AioRpcError as error:
            raise Unavailable(f"the catalog cannot be reached: {error.details()}") from error
        items = [_item(p) for p in reply.products]
        return {item.sku: item for item in items} | {item.product_id: item for item in items}

    async def prices(
        self, keys: set[PriceKey], customer_group: str, currency: str, on: date
    ) -> dict[PriceKey, ResolvedPrice | None]:
        """Each (product, quantity)'s unit price, or None where nothing prices it in `currency`."""
        if not keys:
            return {}
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
            raise Unavailable(f"the catalog cannot price now: {error.details()}") from error
        return {
            key: ResolvedPrice(parse_amount(a.unit_price.amount), a.rule) if a.found else None
            for key, a in zip(ordered, reply.answers, strict=True)
        }

    async def taxes(self, tax_zone: str, tax_categories: set[str], on: date) -> CategoryTaxes:
        """The taxes each tax category carries in the zone on `on`, by the catalog's tax rules."""
        if not tax_categories:
            return {}
        request = catalog_pb2.ResolveTaxesRequest(
            tax_zone=tax_zone, tax_categories=sorted(tax_categories), date=on.isoformat()
        )
        try:
            reply = await self.stub.ResolveTaxes(request, timeout=TIMEOUT)
        except grpc.aio.AioRpcError as error:
            raise Unavailable(f"the catalog cannot tax now: {error.details()}") from error
        return {
            a.tax_category: tuple(TaxRate(t.code, t.rate) for t in a.taxes) for a in reply.answers
        }
