"""A store's REST API v3 (`/wp-json/wc/v3`), as the connector reads it: HTTP Basic with the
consumer key and secret (the store's URL is https, or a stand-in on loopback), JSON numbers read
as Decimal, pages by `X-WP-TotalPages`, dates as naive UTC with `dates_are_gmt=true`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from woocommerce.application.ports import OrderPage, StoreUnreachable
from woocommerce.domain.stores import Store

# WooCommerce's per_page maximum.
PAGE_SIZE = 100


class WooRestApi:
    def __init__(self, timeout: float = 30.0, page_size: int = PAGE_SIZE) -> None:
        self._page_size = page_size
        # A page of 100 orders can take a while: well above the official client's 5 s.
        self._client = httpx.AsyncClient(timeout=timeout, follow_redirects=False)

    async def close(self) -> None:
        await self._client.aclose()

    async def order(self, store: Store, order_id: int) -> Mapping[str, Any] | None:
        response = await self._get(store, f"/orders/{order_id}", {})
        if response.status_code == httpx.codes.NOT_FOUND:
            return None
        data = _json(response, store)
        if not isinstance(data, dict):
            raise StoreUnreachable(f"store {store.store_id} answered an order with {type(data)}")
        return data

    async def refunds(self, store: Store, order_id: int) -> list[Mapping[str, Any]]:
        response = await self._get(store, f"/orders/{order_id}/refunds", {"per_page": "100"})
        data = _json(response, store)
        if not isinstance(data, list):
            raise StoreUnreachable(f"store {store.store_id} answered refunds with {type(data)}")
        return data

    async def orders_modified_after(self, store: Store, after: datetime, page: int) -> OrderPage:
        params = {
            "modified_after": after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "dates_are_gmt": "true",
            "orderby": "modified",
            "order": "asc",
            "status": "any",
            "per_page": str(self._page_size),
            "page": str(page),
        }
        response = await self._get(store, "/orders", params)
        data = _json(response, store)
        if not isinstance(data, list):
            raise StoreUnreachable(f"store {store.store_id} answered a list with {type(data)}")
        pages = response.headers.get("X-WP-TotalPages", "1")
        return OrderPage(data, int(pages) if pages.isdigit() else 1)

    async def _get(self, store: Store, path: str, params: Mapping[str, str]) -> httpx.Response:
        credentials = store.credentials
        try:
            response = await self._client.get(
                store.api_root + path,
                params=params,
                auth=(credentials.consumer_key, credentials.consumer_secret),
            )
        except httpx.HTTPError as error:
            raise StoreUnreachable(f"store {store.store_id}: {type(error).__name__}") from error
        if response.status_code >= 500 or response.status_code in (401, 403, 429):
            raise StoreUnreachable(f"store {store.store_id} answered {response.status_code}")
        return response


def _json(response: httpx.Response, store: Store) -> Any:
    if response.status_code != httpx.codes.OK:
        raise StoreUnreachable(f"store {store.store_id} answered {response.status_code}")
    try:
        return json.loads(response.content, parse_float=Decimal)
    except ValueError as error:
        raise StoreUnreachable(f"store {store.store_id} answered no JSON") from error
