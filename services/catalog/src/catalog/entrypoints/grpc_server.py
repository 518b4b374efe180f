"""catalog.v1.CatalogService: translates protobuf to use-case calls and back."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import grpc

from catalog.application.handlers import Catalog, Pricing
from catalog.domain.model import (
    Category,
    NewProduct,
    NewSupplier,
    Product,
    change_details,
    change_price,
    discontinue,
    search_criteria,
)
from oms.catalog.v1 import catalog_pb2 as pb
from oms.catalog.v1 import catalog_pb2_grpc
from pricing.money import Money
from pricing.wire import money_to_proto
from servicekit.grpc import timestamp


def category_to_proto(category: Category) -> pb.Category:
    return pb.Category(id=category.id, name=category.name, parent_id=category.parent_id or "")


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
        category_id=product.category_id or "",
        attributes=dict(product.attributes),
        kind=product.kind,
        unit_of_measure=product.unit_of_measure,
        cost="" if product.cost is None else _amount(product.cost, product.list_price.currency),
        tax_category=product.tax_category,
        parent_id=product.parent_id or "",
        variant_options=dict(product.variant_options),
        pictures=[
            pb.Picture(
                id=p.id, url=p.url, alt_text=p.alt_text, position=p.position, stored=p.stored
            )
            for p in product.pictures
        ],
        suppliers=[
            pb.ProductSupplier(
                supplier_id=s.supplier_id,
                supplier_sku=s.supplier_sku,
                cost=_amount(s.cost, s.currency),
                currency=s.currency,
                minimum_order_quantity=s.minimum_order_quantity,
                lead_time_days=s.lead_time_days,
            )
            for s in product.suppliers
        ],
        components=[
            pb.KitComponent(product_id=c.product_id, sku=c.sku, quantity=c.quantity)
            for c in product.components
        ],
        kit_pricing=product.kit_pricing,
    )


def _amount(amount: Decimal, currency: str) -> str:
    """As the list price reads: 4.5 EUR -> "4.50", 3.999 USD -> "3.999"."""
    return str(Money(amount, currency).trimmed().amount)


def suppliers_from_proto(suppliers: Iterable[pb.ProductSupplier]) -> list[NewSupplier]:
    return [
        NewSupplier(
            supplier_id=s.supplier_id,
            supplier_sku=s.supplier_sku,
            cost=s.cost,
            currency=s.currency,
            minimum_order_quantity=s.minimum_order_quantity,
            lead_time_days=s.lead_time_days,
        )
        for s in suppliers
    ]


class CatalogServicer(catalog_pb2_grpc.CatalogServiceServicer):
    def __init__(self, catalog: Catalog, pricing: Pricing) -> None:
        self.catalog = catalog
        self.pricing = pricing

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
                category_id=request.category_id,
                attributes=dict(request.attributes),
                kind=request.kind,
                unit_of_measure=request.unit_of_measure,
                cost=request.cost,
                tax_category=request.tax_category,
                parent_id=request.parent_id,
                variant_options=dict(request.variant_options),
                pictures=[(p.url, p.alt_text) for p in request.pictures],
                suppliers=suppliers_from_proto(request.suppliers),
                components=[(c.product_id, c.quantity) for c in request.components],
                kit_pricing=request.kit_pricing,
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
        found = await self.catalog.get_products(list(request.product_ids), list(request.skus))
        ids, skus = {p.id for p in found}, {p.sku for p in found}
        return pb.BatchGetProductsResponse(
            products=[product_to_proto(p) for p in found],
            missing_ids=[i for i in request.product_ids if i not in ids],
            missing_skus=[s for s in request.skus if s not in skus],
        )

    async def ListProducts(
        self, request: pb.ListProductsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListProductsResponse:
        found, token = await self.catalog.list_products(request.page_size, request.page_token)
        return pb.ListProductsResponse(
            products=[product_to_proto(p) for p in found], next_page_token=token
        )

    async def CreateCategory(
        self, request: pb.CreateCategoryRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateCategoryResponse:
        category = await self.catalog.create_category(request.name, request.parent_id)
        return pb.CreateCategoryResponse(category=category_to_proto(category))

    async def ListCategories(
        self, request: pb.ListCategoriesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListCategoriesResponse:
        found = await self.catalog.list_categories()
        return pb.ListCategoriesResponse(categories=[category_to_proto(c) for c in found])

    async def SearchProducts(
        self, request: pb.SearchProductsRequest, context: grpc.aio.ServicerContext
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
        return pb.SearchProductsResponse(
            products=[product_to_proto(p) for p in found], next_page_token=token
        )

    async def CreatePriceList(
        self, request: pb.CreatePriceListRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreatePriceListResponse:
        created = await self.pricing.create_price_list(
            request.name,
            request.currency,
            request.customer_group,
            request.valid_from,
            request.valid_to,
            [(b.product_id, b.min_quantity, b.unit_price) for b in request.breaks],
        )
        return pb.CreatePriceListResponse(
            price_list=pb.PriceList(
                id=created.id,
                name=created.name,
                currency=created.currency,
                customer_group=created.customer_group,
                valid_from=created.valid_from.isoformat() if created.valid_from else "",
                valid_to=created.valid_to.isoformat() if created.valid_to else "",
                breaks=[
                    pb.PriceBreak(
                        product_id=b.product_id,
                        min_quantity=b.min_quantity,
                        unit_price=str(b.unit_price),
                    )
                    for b in created.breaks
                ],
            )
        )

    async def ResolvePrice(
        self, request: pb.ResolvePriceRequest, context: grpc.aio.ServicerContext
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
        self, request: pb.ResolvePricesRequest, context: grpc.aio.ServicerContext
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

    async def ChangeProduct(
        self, request: pb.ChangeProductRequest, context: grpc.aio.ServicerContext
    ) -> pb.ChangeProductResponse:
        product = await self.catalog.change(
            request.product_id, lambda p: change_details(p, request.name, request.description)
        )
        return pb.ChangeProductResponse(product=product_to_proto(product))

    async def ChangeListPrice(
        self, request: pb.ChangeListPriceRequest, context: grpc.aio.ServicerContext
    ) -> pb.ChangeListPriceResponse:
        price = request.list_price
        product = await self.catalog.change(
            request.product_id, lambda p: change_price(p, price.amount, price.currency)
        )
        return pb.ChangeListPriceResponse(product=product_to_proto(product))

    async def DiscontinueProduct(
        self, request: pb.DiscontinueProductRequest, context: grpc.aio.ServicerContext
    ) -> pb.DiscontinueProductResponse:
        product = await self.catalog.change(request.product_id, discontinue)
        return pb.DiscontinueProductResponse(product=product_to_proto(product))

    async def ListVariants(
        self, request: pb.ListVariantsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListVariantsResponse:
        found = await self.catalog.list_variants(request.parent_id)
        return pb.ListVariantsResponse(variants=[product_to_proto(p) for p in found])

    async def SetProductSuppliers(
        self, request: pb.SetProductSuppliersRequest, context: grpc.aio.ServicerContext
    ) -> pb.SetProductSuppliersResponse:
        product = await self.catalog.set_suppliers(
            request.product_id, suppliers_from_proto(request.suppliers)
        )
        return pb.SetProductSuppliersResponse(product=product_to_proto(product))

    async def AddPicture(
        self, request: pb.AddPictureRequest, context: grpc.aio.ServicerContext
    ) -> pb.AddPictureResponse:
        product = await self.catalog.add_picture(
            request.product_id, request.url, request.content, request.content_type, request.alt_text
        )
        return pb.AddPictureResponse(product=product_to_proto(product))

    async def GetPictureContent(
        self, request: pb.GetPictureContentRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetPictureContentResponse:
        found = await self.catalog.picture_content(request.product_id, request.picture_id)
        return pb.GetPictureContentResponse(content=found.content, content_type=found.content_type)
