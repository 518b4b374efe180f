"""/products"""

from fastapi import APIRouter, Request, Response

from gateway.auth import AnyUser, require
from gateway.schemas import Product, ProductIn, ProductPage
from oms.catalog.v1 import catalog_pb2 as pb
from oms.types.v1.types_pb2 import Money

router = APIRouter(prefix="/products", tags=["catalog"])


@router.post("", status_code=201, response_model=Product, dependencies=[require("purchasing")])
async def create_product(body: ProductIn, request: Request, response: Response) -> Product:
    reply = await request.app.state.clients.catalog.CreateProduct(
        pb.CreateProductRequest(
            sku=body.sku,
            name=body.name,
            description=body.description,
            list_price=Money(amount=body.list_price.amount, currency=body.list_price.currency),
        )
    )
    response.headers["Location"] = f"{request.url.path}/{reply.product.id}"
    return Product.model_validate(reply.product)


@router.get("", response_model=ProductPage, dependencies=[AnyUser])
async def list_products(request: Request, page_size: int = 50, cursor: str = "") -> ProductPage:
    reply = await request.app.state.clients.catalog.ListProducts(
        pb.ListProductsRequest(page_size=page_size, page_token=cursor)
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
