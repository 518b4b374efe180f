"""The catalog's products by SKU (BatchGetProducts; variants are products with SKUs of their
own), called over mutual TLS with the connector's own certificate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import grpc

from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from servicekit.grpc import open_channel
from servicekit.tls import TlsFiles
from woocommerce.application.ports import CatalogUnavailable

TIMEOUT = 5.0
# BatchGetProducts takes at most 5,000 ids and SKUs.
BATCH = 5000


class GrpcSkuCatalog:
    def __init__(self, target: str, tls: TlsFiles) -> None:
        self.stub = catalog_pb2_grpc.CatalogServiceStub(open_channel(target, tls))

    async def products_by_sku(self, skus: Sequence[str]) -> Mapping[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(skus), BATCH):
            request = catalog_pb2.BatchGetProductsRequest(skus=list(skus[start : start + BATCH]))
            try:
                reply = await self.stub.BatchGetProducts(request, timeout=TIMEOUT)
            except grpc.aio.AioRpcError as error:
                raise CatalogUnavailable(f"catalog: {error.details()}") from error
            found.update({p.sku: p.id for p in reply.products})
        return found

    async def skus_of(self, product_ids: Sequence[str]) -> Mapping[str, str]:
        """product id -> SKU (stock out finds the store's product by it)."""
        found: dict[str, str] = {}
        for start in range(0, len(product_ids), BATCH):
            ids = list(product_ids[start : start + BATCH])
            request = catalog_pb2.BatchGetProductsRequest(product_ids=ids)
            try:
                reply = await self.stub.BatchGetProducts(request, timeout=TIMEOUT)
            except grpc.aio.AioRpcError as error:
                raise CatalogUnavailable(f"catalog: {error.details()}") from error
            found.update({p.id: p.sku for p in reply.products if p.sku})
        return found


class UnconnectedCatalog:
    """No catalog configured: orders wait as received until one is."""

    async def products_by_sku(self, skus: Sequence[str]) -> Mapping[str, str]:
        raise CatalogUnavailable("no catalog is configured (WOOCOMMERCE_CATALOG_TARGET)")

    async def skus_of(self, product_ids: Sequence[str]) -> Mapping[str, str]:
        raise CatalogUnavailable("no catalog is configured (WOOCOMMERCE_CATALOG_TARGET)")
