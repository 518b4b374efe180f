"""catalog.v1.CatalogService: translates protobuf to use-case calls and back."""

from __future__ import annotations

import grpc

from catalog.application.handlers import Catalog
from catalog.domain.model import NewProduct, Product
from oms.catalog.v1 import catalog_pb2 as pb
from oms.catalog.v1 import catalog_pb2_grpc
from pricing.wire import money_to_proto
from servicekit.grpc import timestamp


def product_to_proto(product: Product) -> pb.Product:
    return pb.Product(
        id=product.id,
        sku=product.sku,
        name=product.name,
        description=product.description,
        list_price=money_to_proto(product.list_price),
        active=product.active,
        created_at=timestamp(product.created_at),
        created_by=product.created_by,
    )


class CatalogServicer(catalog_pb2_grpc.CatalogServiceServicer):
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    async def CreateProduct(
        self, request: pb.CreateProductRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateProductResponse:
        product = await self.catalog.create_product(
            NewProduct(
                sku=request.sku,
                name=request.name,
                description=request.description,
                price_amount=request.list_price.amount,
                price_currency=request.list_price.currency,
            )
        )
        return pb.CreateProductResponse(product=product_to_proto(product))

    async def GetProduct(
        self, request: pb.GetProductRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetProductResponse:
        product = await self.catalog.get_product(request.product_id)
        return pb.GetProductResponse(product=product_to_proto(product))

    async def BatchGetProducts(
        self, request: pb.BatchGetProductsRequest, context: grpc.aio.ServicerContext
    ) -> pb.BatchGetProductsResponse:
        found = await self.catalog.get_products(list(request.product_ids))
        known = {p.id for p in found}
        return pb.BatchGetProductsResponse(
            products=[product_to_proto(p) for p in found],
            missing_ids=[i for i in request.product_ids if i not in known],
        )

    async def ListProducts(
        self, request: pb.ListProductsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListProductsResponse:
        found, token = await self.catalog.list_products(request.page_size, request.page_token)
        return pb.ListProductsResponse(
            products=[product_to_proto(p) for p in found], next_page_token=token
        )
