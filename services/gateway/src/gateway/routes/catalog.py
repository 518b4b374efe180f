"""/products, with their variants, suppliers, pictures and availability"""

import asyncio
from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.auth import AnyUser, require
from gateway.catalog_schemas import (
    Availability,
    PictureIn,
    Product,
    ProductIn,
    ProductPage,
    ProductSupplierIn,
    SuppliersIn,
    Variants,
    WarehouseAvailability,
)
from gateway.schemas import (
    Category,
    CategoryIn,
    Items,
    MoneyIn,
    PriceList,
    PriceListIn,
    ProductChange,
    ResolvedPrice,
)
from oms.catalog.v1 import catalog_pb2 as pb
from oms.inventory.v1 import inventory_pb2
from oms.types.v1.types_pb2 import Money

router = APIRouter(prefix="/products", tags=["catalog"])
categories = APIRouter(prefix="/categories", tags=["catalog"])
price_lists = APIRouter(prefix="/price-lists", tags=["catalog"])


@router.post("", status_code=201, response_model=Product, dependencies=[require("purchasing")])
async def create_product(body: ProductIn, request: Request, response: Response) -> Product:
    reply = await request.app.state.clients.catalog.CreateProduct(
        pb.CreateProductRequest(
            sku=body.sku,
            name=body.name,
            description=body.description,
            list_price=Money(amount=body.list_price.amount, currency=body.list_price.currency),
            category_id=body.category_id,
            attributes=body.attributes,
            kind=body.kind,
            unit_of_measure=body.unit_of_measure,
            cost=body.cost,
            tax_category=body.tax_category,
            parent_id=body.parent_id,
            variant_options=body.variant_options,
            pictures=[pb.Picture(url=p.url, alt_text=p.alt_text) for p in body.pictures],
            suppliers=_suppliers(body.suppliers),
            components=[
                pb.KitComponent(product_id=c.product_id, quantity=c.quantity)
                for c in body.components
            ],
            kit_pricing=body.kit_pricing,
        )
    )
    response.headers["Location"] = f"{request.url.path}/{reply.product.id}"
    return Product.model_validate(reply.product)


def _suppliers(suppliers: list[ProductSupplierIn]) -> list[pb.ProductSupplier]:
    return [pb.ProductSupplier(**s.model_dump()) for s in suppliers]


@router.get("", response_model=ProductPage, dependencies=[AnyUser])
async def search_products(
    request: Request,
    q: Annotated[str, Query(description="words of the name; the last may be a prefix")] = "",
    sku: str = "",
    category_id: Annotated[str, Query(description="this category and its descendants")] = "",
    attribute: Annotated[list[str], Query(description="name:value, repeatable")] = [],  # noqa: B006
    min_price: str = "",
    max_price: str = "",
    page_size: int = 50,
    cursor: str = "",
) -> ProductPage:
    attributes = dict(a.partition(":")[::2] for a in attribute)
    reply = await request.app.state.clients.catalog.SearchProducts(
        pb.SearchProductsRequest(
            text=q,
            sku=sku,
            category_id=category_id,
            attributes=attributes,
            min_price=min_price,
            max_price=max_price,
            page_size=page_size,
            page_token=cursor,
        )
    )
    return ProductPage(
        items=[Product.model_validate(p) for p in reply.products],
        next_cursor=reply.next_page_token,
    )


@router.get("/{product_id}", response_model=Product, dependencies=[AnyUser])
async def get_product(product_id: str, request: Request) -> Product:
    reply = await request.app.state.clients.catalog.GetProduct(
        pb.GetProductRequest(product_id=product_id)
    )
    return Product.model_validate(reply.product)


@categories.post("", status_code=201, response_model=Category, dependencies=[require("purchasing")])
async def create_category(body: CategoryIn, request: Request, response: Response) -> Category:
    reply = await request.app.state.clients.catalog.CreateCategory(
        pb.CreateCategoryRequest(name=body.name, parent_id=body.parent_id)
    )
    response.headers["Location"] = f"{request.url.path}/{reply.category.id}"
    return Category.model_validate(reply.category)


@categories.get("", response_model=Items, dependencies=[AnyUser])
async def list_categories(request: Request) -> Items:
    reply = await request.app.state.clients.catalog.ListCategories(pb.ListCategoriesRequest())
    return Items(items=[Category.model_validate(c) for c in reply.categories])


@router.get("/{product_id}/price", response_model=ResolvedPrice, dependencies=[AnyUser])
async def resolve_price(
    product_id: str,
    request: Request,
    currency: str,
    quantity: int = 1,
    customer_group: str = "",
    date: Annotated[str, Query(description="YYYY-MM-DD; empty: today")] = "",
) -> ResolvedPrice:
    """The unit price this customer group pays for this quantity on this date, and why."""
    reply = await request.app.state.clients.catalog.ResolvePrice(
        pb.ResolvePriceRequest(
            product_id=product_id,
            customer_group=customer_group,
            currency=currency,
            quantity=quantity,
            date=date,
        )
    )
    return ResolvedPrice.model_validate(reply)


@price_lists.post("", status_code=201, response_model=PriceList, dependencies=[require("sales")])
async def create_price_list(body: PriceListIn, request: Request) -> PriceList:
    reply = await request.app.state.clients.catalog.CreatePriceList(
        pb.CreatePriceListRequest(
            name=body.name,
            currency=body.currency,
            customer_group=body.customer_group,
            valid_from=body.valid_from,
            valid_to=body.valid_to,
            breaks=[
                pb.PriceBreak(
                    product_id=b.product_id, min_quantity=b.min_quantity, unit_price=b.unit_price
                )
                for b in body.breaks
            ],
        )
    )
    return PriceList.model_validate(reply.price_list)


@router.patch("/{product_id}", response_model=Product, dependencies=[require("purchasing")])
async def change_product(product_id: str, body: ProductChange, request: Request) -> Product:
    reply = await request.app.state.clients.catalog.ChangeProduct(
        pb.ChangeProductRequest(product_id=product_id, name=body.name, description=body.description)
    )
    return Product.model_validate(reply.product)


@router.put(
    "/{product_id}/list-price", response_model=Product, dependencies=[require("purchasing")]
)
async def change_list_price(product_id: str, body: MoneyIn, request: Request) -> Product:
    reply = await request.app.state.clients.catalog.ChangeListPrice(
        pb.ChangeListPriceRequest(
            product_id=product_id, list_price=Money(amount=body.amount, currency=body.currency)
        )
    )
    return Product.model_validate(reply.product)


@router.post(
    "/{product_id}/discontinue", response_model=Product, dependencies=[require("purchasing")]
)
async def discontinue_product(product_id: str, request: Request) -> Product:
    reply = await request.app.state.clients.catalog.DiscontinueProduct(
        pb.DiscontinueProductRequest(product_id=product_id)
    )
    return Product.model_validate(reply.product)


@router.get("/{product_id}/variants", response_model=Variants, dependencies=[AnyUser])
async def list_variants(product_id: str, request: Request) -> Variants:
    """A variable product's variants, by SKU."""
    reply = await request.app.state.clients.catalog.ListVariants(
        pb.ListVariantsRequest(parent_id=product_id)
    )
    return Variants(items=[Product.model_validate(p) for p in reply.variants])


@router.put("/{product_id}/suppliers", response_model=Product, dependencies=[require("purchasing")])
async def set_suppliers(product_id: str, body: SuppliersIn, request: Request) -> Product:
    """Replaces the product's suppliers."""
    reply = await request.app.state.clients.catalog.SetProductSuppliers(
        pb.SetProductSuppliersRequest(product_id=product_id, suppliers=_suppliers(body.suppliers))
    )
    return Product.model_validate(reply.product)


@router.post(
    "/{product_id}/pictures",
    status_code=201,
    response_model=Product,
    dependencies=[require("purchasing")],
)
async def add_picture(product_id: str, body: PictureIn, request: Request) -> Product:
    """Links a picture by URL, or stores an uploaded one (served under its `url`)."""
    reply = await request.app.state.clients.catalog.AddPicture(
        pb.AddPictureRequest(
            product_id=product_id,
            url=body.url,
            content=body.content_base64,
            content_type=body.content_type,
            alt_text=body.alt_text,
        )
    )
    return Product.model_validate(reply.product)


@router.get(
    "/{product_id}/pictures/{picture_id}",
    response_class=Response,
    responses={200: {"content": {"image/*": {}}, "description": "the picture's bytes"}},
    dependencies=[AnyUser],
)
async def get_picture(product_id: str, picture_id: str, request: Request) -> Response:
    """A stored picture's bytes, with its content type."""
    reply = await request.app.state.clients.catalog.GetPictureContent(
        pb.GetPictureContentRequest(product_id=product_id, picture_id=picture_id)
    )
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=86400"}
    return Response(reply.content, media_type=reply.content_type, headers=headers)


@router.get("/{product_id}/availability", response_model=Availability, dependencies=[AnyUser])
async def availability(product_id: str, request: Request) -> Availability:
    """Units available per warehouse, from catalog and inventory. A kit has as many as its
    scarcest component allows there: the least of floor(available / quantity per kit)."""
    clients = request.app.state.clients
    product = (
        await clients.catalog.GetProduct(pb.GetProductRequest(product_id=product_id))
    ).product
    if product.kind == "kit":
        per_unit = {c.product_id: c.quantity for c in product.components}
    else:
        per_unit = {product.id: 1}
    replies = await asyncio.gather(
        *[clients.inventory.GetStock(inventory_pb2.GetStockRequest(product_id=p)) for p in per_unit]
    )
    stock: dict[str, dict[str, int]] = defaultdict(dict)  # warehouse -> product -> available
    for reply in replies:
        for level in reply.levels:
            stock[level.warehouse_id][level.product_id] = level.available
    warehouses = [
        WarehouseAvailability(
            warehouse_id=warehouse,
            available=min((have.get(p, 0) // n for p, n in per_unit.items()), default=0),
        )
        for warehouse, have in sorted(stock.items())
    ]
    return Availability(
        product_id=product.id,
        kind=product.kind,
        warehouses=warehouses,
        total=sum(w.available for w in warehouses),
    )
