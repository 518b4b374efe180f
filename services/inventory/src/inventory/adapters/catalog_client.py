"""The catalog, as inventory needs it: which product ids exist. Asked on inventory's own account
over mutual TLS (the catalog admits service `inventory` to read)."""

from __future__ import annotations

from collections.abc import Sequence

import grpc

from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from servicekit.errors import Unavailable
from servicekit.grpc import open_channel
from servicekit.tls import TlsFiles


class CatalogClient:
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
            raise Unavailable(
                f"the catalog cannot confirm the products now: {error.details()}"
            ) from error
        known = {p.id for p in reply.products}
        return [i for i in product_ids if i not in known]
