"""The catalog, as quoting needs it: products by SKU or id, and prices from its price lists."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from typing import TypeVar

import grpc

from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from pricing.money import parse_amount
from quoting.domain.model import CatalogItem, KitComponent, PriceKey, ResolvedPrice
from servicekit.errors import Unavailable
from servicekit.grpc import open_channel

T = TypeVar("T")
R = TypeVar("R")
# Calls in flight at once for one quote: enough to hide latency, few enough to be a good neighbour.
CONCURRENCY = 32
TIMEOUT = 5.0


def _item(product: catalog_pb2.Product) -> CatalogItem:
    return CatalogItem(
        product_id=product.id,
        sku=product.sku,
        name=product.name,
        kind=product.kind or "stocked",
        active=product.active,
        components=tuple(KitComponent(c.product_id, c.sku, c.quantity) for c in product.components),
        kit_pricing=product.kit_pricing or "kit",
    )


async def _each(items: Iterable[T], call: Callable[[T], Awaitable[R]]) -> list[R]:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def bounded(item: T) -> R:
        async with gate:
            return await call(item)

    return await asyncio.gather(*(bounded(item) for item in items))


class CatalogClient:
    def __init__(self, target: str) -> None:
        self.stub = catalog_pb2_grpc.CatalogServiceStub(open_channel(target))

    async def items(self, skus: set[str], ids: set[str]) -> dict[str, CatalogItem]:
        """Items by SKU and by id; unknown ones are simply absent."""
        try:
            found = await self._by_ids(ids)
            for products in await _each(sorted(skus), self._by_sku):
                found += products
        except grpc.aio.AioRpcError as error:
            raise Unavailable(f"the catalog cannot be reached: {error.details()}") from error
        items = [_item(p) for p in found]
        return {item.sku: item for item in items} | {item.product_id: item for item in items}

    async def _by_ids(self, ids: set[str]) -> list[catalog_pb2.Product]:
        if not ids:
            return []
        request = catalog_pb2.BatchGetProductsRequest(product_ids=sorted(ids))
        return list((await self.stub.BatchGetProducts(request, timeout=TIMEOUT)).products)

    async def _by_sku(self, sku: str) -> list[catalog_pb2.Product]:
        request = catalog_pb2.SearchProductsRequest(sku=sku, page_size=1)
        return list((await self.stub.SearchProducts(request, timeout=TIMEOUT)).products)

    async def prices(
        self, keys: set[PriceKey], customer_group: str, currency: str, on: date
    ) -> dict[PriceKey, ResolvedPrice | None]:
        """Each (product, quantity)'s unit price, or None where nothing prices it in `currency`."""

        async def resolve(key: PriceKey) -> ResolvedPrice | None:
            request = catalog_pb2.ResolvePriceRequest(
                product_id=key[0],
                quantity=key[1],
                customer_group=customer_group,
                currency=currency,
                date=on.isoformat(),
            )
            try:
                reply = await self.stub.ResolvePrice(request, timeout=TIMEOUT)
            except grpc.aio.AioRpcError as error:
                if error.code() in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.NOT_FOUND):
                    return None
                raise Unavailable(f"the catalog cannot price now: {error.details()}") from error
            return ResolvedPrice(parse_amount(reply.unit_price.amount), reply.rule)

        ordered = sorted(keys)
        return dict(zip(ordered, await _each(ordered, resolve), strict=True))
