"""The SKU port over the real catalog (`python -m catalog`): BatchGetProducts by SKU, called with
a certificate: the connector's own suite identity `woocommerce` (as the runner starts it), or a
registered client holding `catalog:read`; an identity catalog does not name is refused, and the
connector then keeps orders as received."""

from __future__ import annotations

import pytest

from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from oms.types.v1.types_pb2 import Money
from testkit.security import session_security
from woocommerce.adapters.catalog_client import GrpcSkuCatalog
from woocommerce.application.ports import CatalogUnavailable

pytestmark = pytest.mark.integration


async def test_skus_are_resolved_to_catalog_products(catalog_process: str) -> None:
    security = session_security()
    async with security.channel(catalog_process) as channel:  # as the gateway, an admin's token
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        ids = {}
        for sku in ("HOODIE-TRAIL", "SHIRT-LINEN-BLUE-M"):
            request = catalog_pb2.CreateProductRequest(
                sku=sku, name=sku.title(), list_price=Money(amount="10.00", currency="EUR")
            )
            ids[sku] = (await stub.CreateProduct(request)).product.id
    as_suite_identity = GrpcSkuCatalog(catalog_process, security.pki.files("woocommerce"))
    wanted = ["HOODIE-TRAIL", "SHIRT-LINEN-BLUE-M", "NOT-THERE"]
    assert await as_suite_identity.products_by_sku(wanted) == ids
    files = security.pki.register_client("woo-sku-test", ["catalog:read"])
    assert await GrpcSkuCatalog(catalog_process, files).products_by_sku(wanted) == ids

    without_the_scope = security.pki.register_client("woo-no-scope", ["orders:read"])
    with pytest.raises(CatalogUnavailable, match=r"(?i)lacks the scope catalog:read"):
        await GrpcSkuCatalog(catalog_process, without_the_scope).products_by_sku(["HOODIE-TRAIL"])
