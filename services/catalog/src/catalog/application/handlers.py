"""Catalog use cases: each is one transaction in which state and outgoing events commit together."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import UTC, datetime

from catalog.adapters.repository import ProductRepository
from catalog.domain.model import NewProduct, Product, create_product
from messaging.outbox import Outbox
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import AlreadyExists, InvalidArgument, NotFound

MAX_PAGE = 500


class Catalog:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def create_product(self, request: NewProduct) -> Product:
        product, event = create_product(request, datetime.now(UTC), current_principal().subject)
        async with self.database.transaction() as session:
            if not await ProductRepository(session).add(product):
                raise AlreadyExists(f"SKU {request.sku!r} already exists")
            await self.outbox.add(session, event, key=product.id)
        return product

    async def get_products(self, ids: Sequence[str]) -> list[Product]:
        async with self.database.transaction() as session:
            return await ProductRepository(session).get_many(ids)

    async def get_product(self, product_id: str) -> Product:
        found = await self.get_products([product_id])
        if not found:
            raise NotFound(f"product {product_id} not found")
        return found[0]

    async def list_products(self, page_size: int, page_token: str) -> tuple[list[Product], str]:
        """A page of products by SKU, and the token of the next page ("" on the last)."""
        if not 0 <= page_size <= MAX_PAGE:
            raise InvalidArgument.of("page_size", f"must be between 1 and {MAX_PAGE}")
        limit = page_size or 50
        try:
            after = base64.urlsafe_b64decode(page_token.encode()).decode() if page_token else ""
        except ValueError as error:
            raise InvalidArgument.of("page_token", "not a token this API issued") from error
        async with self.database.transaction() as session:
            found = await ProductRepository(session).page(after, limit + 1)
        next_token = base64.urlsafe_b64encode(found[limit - 1].sku.encode()).decode()
        return (found[:limit], next_token) if len(found) > limit else (found, "")
