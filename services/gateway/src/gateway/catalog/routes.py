"""/products, with their variants, suppliers, pictures, prices and availability; /price-lists
(/categories in gateway.catalog.categories). The role checks are a first line: the catalog
decides again, and leaves out of each product what the caller may not see (costs, or for the
warehouse, prices)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import StringConstraints

from gateway.bodies import IdPath, MoneyIn, PageSize, PageToken
from gateway.catalog.categories import router as categories
from gateway.catalog.schemas import (
    Availability,
    PictureIn,
    PriceList,
    PriceListIn,
    PriceListPage,
    Product,
    ProductChange,
    ProductIn,
    ProductPage,
    ResolvedPrice,
    SuppliersIn,
)
from gateway.downloads import BYTES
from gateway.edge.auth import AnyUser, require
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import located, problems
from oms.catalog.v1 import catalog_pb2 as pb
from oms.inventory.v1 import inventory_pb2
from servicekit.bounds import MAX_ID_LENGTH, MAX_QUANTITY

router = APIRouter(prefix="/products", tags=["catalog"])
price_lists = APIRouter(prefix="/price-lists", tags=["catalog"])
routers = (router, categories, price_lists)

PRODUCT_MASTER = require("purchasing")
# Everyone but the warehouse, which sees quantities, not prices.
PRICE_READERS = require("sales", "sales-manager", "order-desk", "purchasing", "finance")

ProductId = IdPath
PictureId = IdPath
PriceListId = IdPath
Attribute = Annotated[str, StringConstraints(max_length=251)]


@router.post(
    "",
    status_code=201,
    response_model=Product,
    dependencies=[PRODUCT_MASTER],
    operation_id="createProduct",
    summary="Create a product",
    responses=located("getProduct", "product_id") | problems(409),
)
async def create_product(body: ProductIn, request: Request, response: Response) -> Product:
    """Adds a product. Sent again with the same `Idempotency-Key`, returns the first product."""
    reply = await request.app.state.clients.catalog.CreateProduct(
        body.to_proto(request_id(request))
    )
    response.headers["Location"] = f"{request.url.path}/{reply.product.id}"
    return Product.model_validate(reply.product)


@router.get(
    "",
    response_model=ProductPage,
    dependencies=[AnyUser],
    operation_id="searchProducts",
    summary="Search products",
)
async def search_products(
    request: Request,
    text: Annotated[
        str, Query(max_length=200, description="words of the name; the last may be a prefix")
    ] = "",
    q: Annotated[
        str,
        Query(max_length=200, deprecated=True, description="the former name of `text`"),
    ] = "",
    sku: Annotated[str, Query(max_length=64)] = "",
    category_id: Annotated[
        str, Query(max_length=MAX_ID_LENGTH, description="this category and its descendants")
    ] = "",
    attribute: Annotated[
        list[Attribute], Query(max_length=50, description="name:value, repeatable")
    ] = [],  # noqa: B006
    min_price: Annotated[str, Query(max_length=40, description="not for the warehouse")] = "",
    max_price: Annotated[str, Query(max_length=40, description="not for the warehouse")] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> ProductPage:
    """Products matching every filter given, by SKU, a page at a time."""
    attributes = dict(a.partition(":")[::2] for a in attribute)
    reply = await request.app.state.clients.catalog.SearchProducts(
        pb.SearchProductsRequest(
            text=text or q,
            sku=sku,
            category_id=category_id,
            attributes=attributes,
            min_price=min_price,
            max_price=max_price,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return ProductPage(
        items=[Product.model_validate(p) for p in reply.products],
        next_page_token=reply.next_page_token,
    )


@router.get(
    "/{product_id}",
    response_model=Product,
    dependencies=[AnyUser],
    operation_id="getProduct",
    summary="Get a product",
    responses=problems(404),
)
async def get_product(product_id: ProductId, request: Request) -> Product:
    """A product, without what your role may not see (named in `withheld`)."""
    reply = await request.app.state.clients.catalog.GetProduct(
        pb.GetProductRequest(product_id=product_id)
    )
    return Product.model_validate(reply.product)


@router.patch(
    "/{product_id}",
    response_model=Product,
    dependencies=[PRODUCT_MASTER],
    operation_id="changeProduct",
    summary="Change a product",
    responses=problems(404, 409),
)
async def change_product(product_id: ProductId, body: ProductChange, request: Request) -> Product:
    """Changes the fields the body names; the others stay as they are."""
    reply = await request.app.state.clients.catalog.ChangeProduct(body.to_proto(product_id))
    return Product.model_validate(reply.product)


@router.put(
    "/{product_id}/list-price",
    response_model=Product,
    dependencies=[PRODUCT_MASTER],
    operation_id="changeListPrice",
    summary="Change a product's list price",
    responses=problems(404, 409),
)
async def change_list_price(product_id: ProductId, body: MoneyIn, request: Request) -> Product:
    """Sets the product's list price (in any currency the catalog keeps)."""
    reply = await request.app.state.clients.catalog.ChangeListPrice(
        pb.ChangeListPriceRequest(product_id=product_id, list_price=body.to_proto())
    )
    return Product.model_validate(reply.product)


@router.post(
    "/{product_id}/discontinue",
    response_model=Product,
    dependencies=[PRODUCT_MASTER],
    operation_id="discontinueProduct",
    summary="Discontinue a product",
    responses=problems(404, 409),
)
async def discontinue_product(product_id: ProductId, request: Request) -> Product:
    """Takes the product off sale; it stays readable, and orders placed keep it."""
    reply = await request.app.state.clients.catalog.DiscontinueProduct(
        pb.DiscontinueProductRequest(product_id=product_id)
    )
    return Product.model_validate(reply.product)


@router.get(
    "/{product_id}/variants",
    response_model=ProductPage,
    dependencies=[AnyUser],
    operation_id="listVariants",
    summary="List a product's variants",
    responses=problems(404),
)
async def list_variants(
    product_id: ProductId, request: Request, page_size: PageSize = 50, page_token: PageToken = ""
) -> ProductPage:
    """A variable product's variants, by SKU, a page at a time."""
    reply = await request.app.state.clients.catalog.ListVariants(
        pb.ListVariantsRequest(parent_id=product_id, page_size=page_size, page_token=page_token)
    )
    return ProductPage(
        items=[Product.model_validate(p) for p in reply.variants],
        next_page_token=reply.next_page_token,
    )


@router.put(
    "/{product_id}/suppliers",
    response_model=Product,
    dependencies=[PRODUCT_MASTER],
    operation_id="setProductSuppliers",
    summary="Replace a product's suppliers",
    responses=problems(404),
)
async def set_suppliers(product_id: ProductId, body: SuppliersIn, request: Request) -> Product:
    """Replaces the product's suppliers."""
    reply = await request.app.state.clients.catalog.SetProductSuppliers(
        pb.SetProductSuppliersRequest(product_id=product_id, suppliers=body.to_proto())
    )
    return Product.model_validate(reply.product)


@router.post(
    "/{product_id}/pictures",
    status_code=201,
    response_model=Product,
    dependencies=[PRODUCT_MASTER],
    operation_id="addProductPicture",
    summary="Add a picture to a product",
    responses=problems(404),
)
async def add_picture(product_id: ProductId, body: PictureIn, request: Request) -> Product:
    """Links a picture by URL, or stores an uploaded one (served under its `url`). Its
    Idempotency-Key goes on to the catalog as the `request_id`: sent again, it adds no second
    picture and answers the product as it is now."""
    reply = await request.app.state.clients.catalog.AddPicture(
        pb.AddPictureRequest(
            product_id=product_id,
            url=body.url,
            content=body.content_base64,
            content_type=body.content_type,
            alt_text=body.alt_text,
            request_id=request_id(request),
        )
    )
    return Product.model_validate(reply.product)


@router.get(
    "/{product_id}/pictures/{picture_id}",
    response_class=Response,
    responses=problems(404)
    | {200: {"content": {"image/*": {"schema": BYTES}}, "description": "the picture's bytes"}},
    dependencies=[AnyUser],
    operation_id="getProductPicture",
    summary="Download a product's stored picture",
)
async def get_picture(product_id: ProductId, picture_id: PictureId, request: Request) -> Response:
    """A stored picture's bytes, with its content type."""
    reply = await request.app.state.clients.catalog.GetPictureContent(
        pb.GetPictureContentRequest(product_id=product_id, picture_id=picture_id)
    )
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=86400"}
    return Response(reply.content, media_type=reply.content_type, headers=headers)


@router.get(
    "/{product_id}/price",
    response_model=ResolvedPrice,
    dependencies=[PRICE_READERS],
    operation_id="resolvePrice",
    summary="Resolve a product's price",
    responses=problems(404),
)
async def resolve_price(
    product_id: ProductId,
    request: Request,
    currency: Annotated[str, Query(min_length=3, max_length=3)],
    quantity: Annotated[int, Query(ge=1, le=MAX_QUANTITY)] = 1,
    customer_group: Annotated[str, Query(max_length=100)] = "",
    date: Annotated[str, Query(max_length=10, description="YYYY-MM-DD; empty: today")] = "",
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


@router.get(
    "/{product_id}/availability",
    response_model=Availability,
    dependencies=[AnyUser],
    operation_id="getAvailability",
    summary="Get a product's availability",
    responses=problems(404),
)
async def availability(product_id: ProductId, request: Request) -> Availability:
    """Units available per warehouse, as inventory counts them. A kit has as many as its
    scarcest component allows there: the least of floor(available / quantity per kit)."""
    reply = await request.app.state.clients.inventory.GetAvailability(
        inventory_pb2.GetAvailabilityRequest(product_id=product_id)
    )
    return Availability.model_validate(reply)


@price_lists.post(
    "",
    status_code=201,
    response_model=PriceList,
    dependencies=[require("sales-manager")],
    operation_id="createPriceList",
    summary="Create a price list",
    responses=located("getPriceList", "price_list_id"),
)
async def create_price_list(body: PriceListIn, request: Request, response: Response) -> PriceList:
    """Adds a price list: quantity breaks per product for a customer group and currency,
    valid between two dates. Its Idempotency-Key goes on to the catalog as the `request_id`."""
    price_list = body.to_proto()
    price_list.request_id = request_id(request)
    reply = await request.app.state.clients.catalog.CreatePriceList(price_list)
    response.headers["Location"] = f"{request.url.path}/{reply.price_list.id}"
    return PriceList.model_validate(reply.price_list)


@price_lists.get(
    "",
    response_model=PriceListPage,
    dependencies=[PRICE_READERS],
    operation_id="listPriceLists",
    summary="List price lists",
)
async def list_price_lists(
    request: Request,
    customer_group: Annotated[str, Query(max_length=100)] = "",
    currency: Annotated[str, Query(max_length=3)] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> PriceListPage:
    """Price lists by name, each without its breaks (`break_count` says how many), a page at a
    time."""
    reply = await request.app.state.clients.catalog.ListPriceLists(
        pb.ListPriceListsRequest(
            customer_group=customer_group,
            currency=currency,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return PriceListPage(
        items=[PriceList.model_validate(p) for p in reply.price_lists],
        next_page_token=reply.next_page_token,
    )


@price_lists.get(
    "/{price_list_id}",
    response_model=PriceList,
    dependencies=[PRICE_READERS],
    operation_id="getPriceList",
    summary="Get a price list",
    responses=problems(404),
)
async def get_price_list(price_list_id: PriceListId, request: Request) -> PriceList:
    """A price list with all its breaks."""
    reply = await request.app.state.clients.catalog.GetPriceList(
        pb.GetPriceListRequest(price_list_id=price_list_id)
    )
    return PriceList.model_validate(reply.price_list)
