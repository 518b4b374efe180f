"""The catalog, as inventory needs it: which product ids exist, and what a product is (its kind,
a kit's components). Asked on inventory's own account over mutual TLS (the catalog admits
service `inventory` to read)."""

from __future__ import annotations

from collections.abc import Sequence

import grpc

from inventory.application.ports import CatalogProduct
from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from servicekit.errors import Unavailable
from servicekit.grpc import open_channel
from servicekit.tls import TlsFiles


class GrpcCatalog:
    def __init__(self, target: str, tls: TlsFiles) -> None:
        self.stub = catalog_pb2_grpc.CatalogServiceStub(open_channel(target, tls))

    async def unknown(self, product_ids: Sequence[str]) -> list[str]:
        if not product_ids:
            return []
        try:
            reply = await self.stub.BatchGetProducts(
                catalog_pb2.BatchGetProductsRequest(product_ids=list(product_ids)), timeout=5
            )
        except grpc.aio.AioRpcError as error:
            raise _unavailable("confirm the products", error) from error
        known = {p.id for p in reply.products}
        return [i for i in product_ids if i not in known]

    async def product(self, product_id: str) -> CatalogProduct | None:
        try:
            reply = await self.stub.GetProduct(
                catalog_pb2.GetProductRequest(product_id=product_id), timeout=5
            )
        except grpc.aio.AioRpcError as error:
            if error.code() == grpc.StatusCode.NOT_FOUND:
                return None
            raise _unavailable(f"say what product {product_id} is", error) from error
        found = reply.product
        components = {c.product_id: int(c.quantity) for c in found.components}
        return CatalogProduct(found.id, found.kind, components)


def _unavailable(what: str, error: grpc.aio.AioRpcError) -> Unavailable:
    return Unavailable(f"the catalog cannot {what} now: {error.details()}")
