"""/categories: the catalog's tree of product categories, read by everyone and kept by
purchasing, as products are."""

from fastapi import APIRouter, Request

from gateway.bodies import PageSize, PageToken
from gateway.catalog.schemas import Category, CategoryIn, CategoryPage
from gateway.edge.auth import AnyUser, require
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import problems
from oms.catalog.v1 import catalog_pb2 as pb

router = APIRouter(prefix="/categories", tags=["catalog"])

WRITERS = require("purchasing")


@router.post(
    "",
    status_code=201,
    response_model=Category,
    dependencies=[WRITERS],
    operation_id="createCategory",
    summary="Create a category",
    responses=problems(404, 409),
)
async def create_category(body: CategoryIn, request: Request) -> Category:
    """Adds a category under `parent_id` (or at the top; 404 when there is no such parent). It
    is read in the list of categories: there is no URL of one category, so no Location. Its
    Idempotency-Key goes on to the catalog as the `request_id`."""
    reply = await request.app.state.clients.catalog.CreateCategory(
        pb.CreateCategoryRequest(
            name=body.name, parent_id=body.parent_id, request_id=request_id(request)
        )
    )
    return Category.model_validate(reply.category)


@router.get(
    "",
    response_model=CategoryPage,
    dependencies=[AnyUser],
    operation_id="listCategories",
    summary="List categories",
)
async def list_categories(
    request: Request, page_size: PageSize = 50, page_token: PageToken = ""
) -> CategoryPage:
    """The category tree, parents before children, a page at a time."""
    reply = await request.app.state.clients.catalog.ListCategories(
        pb.ListCategoriesRequest(page_size=page_size, page_token=page_token)
    )
    return CategoryPage(
        items=[Category.model_validate(c) for c in reply.categories],
        next_page_token=reply.next_page_token,
    )
