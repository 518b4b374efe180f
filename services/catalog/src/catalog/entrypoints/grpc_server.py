"""catalog.v1.CatalogService: each RPC maps its request to a use case of application/ and the
result back, nothing more. Who may call each RPC is in entrypoints/access.py; what of a product
the caller may read is decided by the use cases (domain/rights.py)."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from catalog.application.commands.add_picture import AddPicture, add_picture
from catalog.application.commands.change_list_price import ChangeListPrice, change_list_price
from catalog.application.commands.change_product import ChangeProduct, change_product
from catalog.application.commands.create_category import CreateCategory, create_category
from catalog.application.commands.create_price_list import CreatePriceList, create_price_list
from catalog.application.commands.create_product import create_product
from catalog.application.commands.create_tax_rule import CreateTaxRule, create_tax_rule
from catalog.application.commands.discontinue_product import (
    DiscontinueProduct,
    discontinue_product,
)
from catalog.application.commands.set_product_suppliers import (
    SetProductSuppliers,
    set_product_suppliers,
)
from catalog.application.ports import UnitsOfWork
from catalog.application.queries.get_picture_content import get_picture_content
from catalog.application.queries.get_products import batch_get_products, get_product
from catalog.application.queries.list_categories import list_categories
from catalog.application.queries.list_variants import list_variants
from catalog.application.queries.price_lists import (
    ListPriceLists,
    get_price_list,
    list_price_lists,
)
from catalog.application.queries.resolve_prices import (
    ResolvePrice,
    ResolvePrices,
    resolve_price,
    resolve_prices,
)
from catalog.application.queries.search_products import (
    SearchProducts,
    list_products,
    search_products,
)
from catalog.application.queries.tax_rules import ResolveTaxes, list_tax_rules, resolve_taxes
from catalog.entrypoints.messages import (
    category_taxes,
    category_to_proto,
    create_product_from_proto,
    price_answers,
    price_list_to_proto,
    product_edit_from_proto,
    shown_product,
    shown_products,
    suppliers_from_proto,
    tax_rule_to_proto,
)
from oms.catalog.v1 import catalog_pb2 as pb
from oms.catalog.v1 import catalog_pb2_grpc
from pricing.wire import money_to_proto
from servicekit.idempotency import fingerprint

Context: TypeAlias = grpc.aio.ServicerContext


class CatalogServicer(catalog_pb2_grpc.CatalogServiceServicer):
    def __init__(self, units: UnitsOfWork, reads: UnitsOfWork | None = None) -> None:
        self.units = units
        # the queries' units: they only read (without BEGIN and COMMIT in PostgreSQL)
        self.reads = reads or units

    async def CreateProduct(
        self, request: pb.CreateProductRequest, context: Context
    ) -> pb.CreateProductResponse:
        made = await create_product(self.units, create_product_from_proto(request))
        return pb.CreateProductResponse(product=shown_product(made))

    async def GetProduct(
        self, request: pb.GetProductRequest, context: Context
    ) -> pb.GetProductResponse:
        found = await get_product(self.reads, request.product_id)
        return pb.GetProductResponse(product=shown_product(found))

    async def BatchGetProducts(
        self, request: pb.BatchGetProductsRequest, context: Context
    ) -> pb.BatchGetProductsResponse:
        found = await batch_get_products(self.reads, list(request.product_ids), list(request.skus))
        ids, skus = {p.id for p in found.value}, {p.sku for p in found.value}
        return pb.BatchGetProductsResponse(
            products=shown_products(found.value, found.seen),
            missing_ids=[i for i in request.product_ids if i not in ids],
            missing_skus=[s for s in request.skus if s not in skus],
        )

    async def ListProducts(
        self, request: pb.ListProductsRequest, context: Context
    ) -> pb.ListProductsResponse:
        found = await list_products(self.reads, request.page_size, request.page_token)
        page = found.value
        return pb.ListProductsResponse(
            products=shown_products(page.items, found.seen), next_page_token=page.next_page_token
        )

    async def SearchProducts(
        self, request: pb.SearchProductsRequest, context: Context
    ) -> pb.SearchProductsResponse:
        query = SearchProducts(
            request.text,
            request.sku,
            request.category_id,
            dict(request.attributes),
            request.min_price,
            request.max_price,
            request.page_size,
            request.page_token,
        )
        found = await search_products(self.reads, query)
        page = found.value
        return pb.SearchProductsResponse(
            products=shown_products(page.items, found.seen), next_page_token=page.next_page_token
        )

    async def ListVariants(
        self, request: pb.ListVariantsRequest, context: Context
    ) -> pb.ListVariantsResponse:
        found = await list_variants(
            self.reads, request.parent_id, request.page_size, request.page_token
        )
        page = found.value
        return pb.ListVariantsResponse(
            variants=shown_products(page.items, found.seen), next_page_token=page.next_page_token
        )

    async def ChangeProduct(
        self, request: pb.ChangeProductRequest, context: Context
    ) -> pb.ChangeProductResponse:
        command = ChangeProduct(request.product_id, product_edit_from_proto(request))
        changed = await change_product(self.units, command)
        return pb.ChangeProductResponse(product=shown_product(changed))

    async def ChangeListPrice(
        self, request: pb.ChangeListPriceRequest, context: Context
    ) -> pb.ChangeListPriceResponse:
        price = request.list_price
        command = ChangeListPrice(request.product_id, price.amount, price.currency)
        changed = await change_list_price(self.units, command)
        return pb.ChangeListPriceResponse(product=shown_product(changed))

    async def DiscontinueProduct(
        self, request: pb.DiscontinueProductRequest, context: Context
    ) -> pb.DiscontinueProductResponse:
        changed = await discontinue_product(self.units, DiscontinueProduct(request.product_id))
        return pb.DiscontinueProductResponse(product=shown_product(changed))

    async def SetProductSuppliers(
        self, request: pb.SetProductSuppliersRequest, context: Context
    ) -> pb.SetProductSuppliersResponse:
        command = SetProductSuppliers(request.product_id, suppliers_from_proto(request.suppliers))
        changed = await set_product_suppliers(self.units, command)
        return pb.SetProductSuppliersResponse(product=shown_product(changed))

    async def AddPicture(
        self, request: pb.AddPictureRequest, context: Context
    ) -> pb.AddPictureResponse:
        command = AddPicture(
            request.product_id,
            request.url,
            request.content,
            request.content_type,
            request.alt_text,
            request.request_id,
            fingerprint(request) if request.request_id else "",
        )
        changed = await add_picture(self.units, command)
        return pb.AddPictureResponse(product=shown_product(changed))

    async def GetPictureContent(
        self, request: pb.GetPictureContentRequest, context: Context
    ) -> pb.GetPictureContentResponse:
        found = await get_picture_content(self.reads, request.product_id, request.picture_id)
        return pb.GetPictureContentResponse(content=found.content, content_type=found.content_type)

    async def CreateCategory(
        self, request: pb.CreateCategoryRequest, context: Context
    ) -> pb.CreateCategoryResponse:
        command = CreateCategory(
            request.name,
            request.parent_id,
            request.request_id,
            fingerprint(request) if request.request_id else "",
        )
        category = await create_category(self.units, command)
        return pb.CreateCategoryResponse(category=category_to_proto(category))

    async def ListCategories(
        self, request: pb.ListCategoriesRequest, context: Context
    ) -> pb.ListCategoriesResponse:
        page = await list_categories(self.reads, request.page_size, request.page_token)
        return pb.ListCategoriesResponse(
            categories=[category_to_proto(c) for c in page.items],
            next_page_token=page.next_page_token,
        )

    async def CreatePriceList(
        self, request: pb.CreatePriceListRequest, context: Context
    ) -> pb.CreatePriceListResponse:
        command = CreatePriceList(
            request.name,
            request.currency,
            request.customer_group,
            request.valid_from,
            request.valid_to,
            [(b.product_id, b.min_quantity, b.unit_price) for b in request.breaks],
            request.request_id,
            fingerprint(request) if request.request_id else "",
        )
        created = await create_price_list(self.units, command)
        return pb.CreatePriceListResponse(price_list=price_list_to_proto(created))

    async def ListPriceLists(
        self, request: pb.ListPriceListsRequest, context: Context
    ) -> pb.ListPriceListsResponse:
        query = ListPriceLists(
            request.customer_group, request.currency, request.page_size, request.page_token
        )
        page = await list_price_lists(self.reads, query)
        return pb.ListPriceListsResponse(
            price_lists=[price_list_to_proto(p, count) for p, count in page.items],
            next_page_token=page.next_page_token,
        )

    async def CreateTaxRule(
        self, request: pb.CreateTaxRuleRequest, context: Context
    ) -> pb.CreateTaxRuleResponse:
        command = CreateTaxRule(
            request.tax_category,
            request.tax_zone,
            request.code,
            request.rate,
            request.valid_from,
            request.valid_to,
            request.request_id,
            fingerprint(request) if request.request_id else "",
        )
        created = await create_tax_rule(self.units, command)
        return pb.CreateTaxRuleResponse(tax_rule=tax_rule_to_proto(created))

    async def ListTaxRules(
        self, request: pb.ListTaxRulesRequest, context: Context
    ) -> pb.ListTaxRulesResponse:
        found = await list_tax_rules(self.reads, request.tax_zone)
        return pb.ListTaxRulesResponse(tax_rules=[tax_rule_to_proto(r) for r in found])

    async def ResolveTaxes(
        self, request: pb.ResolveTaxesRequest, context: Context
    ) -> pb.ResolveTaxesResponse:
        query = ResolveTaxes(request.tax_zone, list(request.tax_categories), request.date)
        found = await resolve_taxes(self.reads, query)
        return pb.ResolveTaxesResponse(answers=category_taxes(found))

    async def GetPriceList(
        self, request: pb.GetPriceListRequest, context: Context
    ) -> pb.GetPriceListResponse:
        found = await get_price_list(self.reads, request.price_list_id)
        return pb.GetPriceListResponse(price_list=price_list_to_proto(found))

    async def ResolvePrice(
        self, request: pb.ResolvePriceRequest, context: Context
    ) -> pb.ResolvePriceResponse:
        query = ResolvePrice(
            request.product_id,
            request.customer_group,
            request.currency,
            request.quantity,
            request.date,
        )
        found = await resolve_price(self.reads, query)
        return pb.ResolvePriceResponse(unit_price=money_to_proto(found.unit_price), rule=found.rule)

    async def ResolvePrices(
        self, request: pb.ResolvePricesRequest, context: Context
    ) -> pb.ResolvePricesResponse:
        queries = [(q.product_id, q.quantity) for q in request.queries]
        query = ResolvePrices(request.customer_group, request.currency, request.date, queries)
        found = await resolve_prices(self.reads, query)
        return pb.ResolvePricesResponse(answers=price_answers(query, found))
