"""catalog.v1.CatalogService: translates protobuf to use-case calls and back. Who may call each
RPC is in entrypoints/access.py; what of a product the caller may read, in domain/rights.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

import grpc

from catalog.application.pricing import Pricing
from catalog.application.products import Catalog
from catalog.domain.model import Product
from catalog.domain.rights import visibility
from catalog.domain.search import search_criteria
from catalog.entrypoints.messages import (
    category_to_proto,
    new_product_from_proto,
    price_list_to_proto,
    product_to_proto,
    suppliers_from_proto,
)
from oms.catalog.v1 import catalog_pb2 as pb
from oms.catalog.v1 import catalog_pb2_grpc
from pricing.wire import money_to_proto
from servicekit.context import current_principal

Context: TypeAlias = grpc.aio.ServicerContext


def _for_caller(products: Iterable[Product]) -> list[pb.Product]:
    seen = visibility(current_principal())
    return [product_to_proto(p, seen) for p in products]


def _one_for_caller(product: Product) -> pb.Product:
    (message,) = _for_caller([product])
    return message


class CatalogServicer(catalog_pb2_grpc.CatalogServiceServicer):
    def __init__(self, catalog: Catalog, pricing: Pricing) -> None:
        self.catalog = catalog
        self.pricing = pricing

    async def CreateProduct(
        self, request: pb.CreateProductRequest, context: Context
    ) -> pb.CreateProductResponse:
        product = await self.catalog.create_product(
            new_product_from_proto(request), request.request_id, request
        )
        return pb.CreateProductResponse(product=_one_for_caller(product))

    async def GetProduct(
        self, request: pb.GetProductRequest, context: Context
    ) -> pb.GetProductResponse:
        product = await self.catalog.get_product(request.product_id)
        return pb.GetProductResponse(product=_one_for_caller(product))

    async def BatchGetProducts(
        self, request: pb.BatchGetProductsRequest, context: Context
    ) -> pb.BatchGetProductsResponse:
        found = await self.catalog.get_products(list(request.product_ids), list(request.skus))
        ids, skus = {p.id for p in found}, {p.sku for p in found}
        return pb.BatchGetProductsResponse(
            products=_for_caller(found),
            missing_ids=[i for i in request.product_ids if i not in ids],
            missing_skus=[s for s in request.skus if s not in skus],
        )

    async def ListProducts(
        self, request: pb.ListProductsRequest, context: Context
    ) -> pb.ListProductsResponse:
        found, token = await self.catalog.list_products(request.page_size, request.page_token)
        return pb.ListProductsResponse(products=_for_caller(found), next_page_token=token)

    async def SearchProducts(
        self, request: pb.SearchProductsRequest, context: Context
    ) -> pb.SearchProductsResponse:
        search = search_criteria(
            request.text,
            request.sku,
            request.category_id,
            dict(request.attributes),
            request.min_price,
            request.max_price,
        )
        found, token = await self.catalog.search(search, request.page_size, request.page_token)
        return pb.SearchProductsResponse(products=_for_caller(found), next_page_token=token)

    async def ListVariants(
        self, request: pb.ListVariantsRequest, context: Context
    ) -> pb.ListVariantsResponse:
        found, token = await self.catalog.list_variants(
            request.parent_id, request.page_size, request.page_token
        )
        return pb.ListVariantsResponse(variants=_for_caller(found), next_page_token=token)

    async def ChangeProduct(
        self, request: pb.ChangeProductRequest, context: Context
    ) -> pb.ChangeProductResponse:
        product = await self.catalog.change_details(
            request.product_id, request.name, request.description
        )
        return pb.ChangeProductResponse(product=_one_for_caller(product))

    async def ChangeListPrice(
        self, request: pb.ChangeListPriceRequest, context: Context
    ) -> pb.ChangeListPriceResponse:
        price = request.list_price
        product = await self.catalog.change_list_price(
            request.product_id, price.amount, price.currency
        )
        return pb.ChangeListPriceResponse(product=_one_for_caller(product))

    async def DiscontinueProduct(
        self, request: pb.DiscontinueProductRequest, context: Context
    ) -> pb.DiscontinueProductResponse:
        product = await self.catalog.discontinue(request.product_id)
        return pb.DiscontinueProductResponse(product=_one_for_caller(product))

    async def SetProductSuppliers(
        self, request: pb.SetProductSuppliersRequest, context: Context
    ) -> pb.SetProductSuppliersResponse:
        product = await self.catalog.set_suppliers(
            request.product_id, suppliers_from_proto(request.suppliers)
        )
        return pb.SetProductSuppliersResponse(product=_one_for_caller(product))

    async def AddPicture(
        self, request: pb.AddPictureRequest, context: Context
    ) -> pb.AddPictureResponse:
        product = await self.catalog.add_picture(
            request.product_id, request.url, request.content, request.content_type, request.alt_text
        )
        return pb.AddPictureResponse(product=_one_for_caller(product))

    async def GetPictureContent(
        self, request: pb.GetPictureContentRequest, context: Context
    ) -> pb.GetPictureContentResponse:
        found = await self.catalog.picture_content(request.product_id, request.picture_id)
        return pb.GetPictureContentResponse(content=found.content, content_type=found.content_type)

    async def CreateCategory(
        self, request: pb.CreateCategoryRequest, context: Context
    ) -> pb.CreateCategoryResponse:
        category = await self.catalog.create_category(request.name, request.parent_id)
        return pb.CreateCategoryResponse(category=category_to_proto(category))

    async def ListCategories(
        self, request: pb.ListCategoriesRequest, context: Context
    ) -> pb.ListCategoriesResponse:
        found, token = await self.catalog.list_categories(request.page_size, request.page_token)
        return pb.ListCategoriesResponse(
            categories=[category_to_proto(c) for c in found], next_page_token=token
        )

    async def CreatePriceList(
        self, request: pb.CreatePriceListRequest, context: Context
    ) -> pb.CreatePriceListResponse:
        created = await self.pricing.create_price_list(
            request.name,
            request.currency,
            request.customer_group,
            request.valid_from,
            request.valid_to,
            [(b.product_id, b.min_quantity, b.unit_price) for b in request.breaks],
        )
        return pb.CreatePriceListResponse(price_list=price_list_to_proto(created))

    async def ListPriceLists(
        self, request: pb.ListPriceListsRequest, context: Context
    ) -> pb.ListPriceListsResponse:
        found, token = await self.pricing.list_price_lists(
            request.customer_group, request.currency, request.page_size, request.page_token
        )
        return pb.ListPriceListsResponse(
            price_lists=[price_list_to_proto(p, count) for p, count in found],
            next_page_token=token,
        )

    async def GetPriceList(
        self, request: pb.GetPriceListRequest, context: Context
    ) -> pb.GetPriceListResponse:
        found = await self.pricing.get_price_list(request.price_list_id)
        return pb.GetPriceListResponse(price_list=price_list_to_proto(found))

    async def ResolvePrice(
        self, request: pb.ResolvePriceRequest, context: Context
    ) -> pb.ResolvePriceResponse:
        found = await self.pricing.resolve(
            request.product_id,
            request.customer_group,
            request.currency,
            request.quantity,
            request.date,
        )
        return pb.ResolvePriceResponse(unit_price=money_to_proto(found.unit_price), rule=found.rule)

    async def ResolvePrices(
        self, request: pb.ResolvePricesRequest, context: Context
    ) -> pb.ResolvePricesResponse:
        queries = [(q.product_id, q.quantity) for q in request.queries]
        found = await self.pricing.resolve_many(
            request.customer_group, request.currency, request.date, queries
        )
        return pb.ResolvePricesResponse(
            answers=[
                pb.PriceAnswer(product_id=product_id, quantity=quantity, found=False, rule=answer)
                if isinstance(answer, str)
                else pb.PriceAnswer(
                    product_id=product_id,
                    quantity=quantity,
                    found=True,
                    unit_price=money_to_proto(answer.unit_price),
                    rule=answer.rule,
                )
                for (product_id, quantity), answer in zip(queries, found, strict=True)
            ]
        )
