"""The catalog, as the orders service needs it: current prices of a few products."""

from __future__ import annotations

from collections.abc import Sequence

import grpc

from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from orders.domain.placing import CatalogProduct
from pricing.money import parse_amount
from pricing.wire import money_from_proto
from servicekit.errors import Unavailable
from servicekit.grpc import open_channel
from servicekit.tls import TlsFiles


class GrpcCatalog:
    """Calls the catalog on the orders service's own account (its certificate)."""

    def __init__(self, target: str, tls: TlsFiles) -> None:
        self.stub = catalog_pb2_grpc.CatalogServiceStub(open_channel(target, tls))

    async def products(self, ids: Sequence[str]) -> dict[str, CatalogProduct]:
        try:
            reply = await self.stub.BatchGetProducts(
                catalog_pb2.BatchGetProductsRequest(product_ids=list(ids)), timeout=5
            )
        except grpc.aio.AioRpcError as error:
            raise Unavailable(f"catalog cannot price the order now: {error.details()}") from error
        return {
            p.id: CatalogProduct(
                p.id,
                p.sku,
                money_from_proto(p.list_price),
                p.active,
                parse_amount(p.cost) if p.cost else None,
                p.category_id,
                tuple((c.product_id, c.sku, c.quantity) for c in p.components),
            )
            for p in reply.products
        }
