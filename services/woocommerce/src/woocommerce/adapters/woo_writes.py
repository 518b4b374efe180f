"""What the connector writes to a store's REST API v3: stock in batches (`POST .../batch` with
`update`), an order's status (`PUT /orders/<id>`) and notes (`POST /orders/<id>/notes`); and the
SKU look-up that finds where a SKU's stock lives (`GET /products?sku=`, which answers variations
too). Transport errors, 5xx, 401/403, 413 and 429 raise StoreUnreachable: the caller tries again
later."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import httpx

from woocommerce.application.ports import StoreUnreachable
from woocommerce.domain.stock_push import Batch
from woocommerce.domain.stores import Store

_RETRYABLE = (401, 403, 408, 413, 429)


class WooWriteApi:
    def __init__(self, timeout: float = 30.0) -> None:
        self._client = httpx.AsyncClient(timeout=timeout, follow_redirects=False)

    async def close(self) -> None:
        await self._client.aclose()

    async def find_sku(self, store: Store, sku: str) -> Mapping[str, Any] | None:
        found = await self._call(store, "GET", "/products", params={"sku": sku})
        if not isinstance(found, list):
            raise StoreUnreachable(f"store {store.store_id} answered a list with {type(found)}")
        exact = [item for item in found if isinstance(item, dict) and item.get("sku") == sku]
        return exact[0] if exact else None

    async def batch(self, store: Store, batch: Batch) -> Mapping[int, str]:
        answer = await self._call(store, "POST", batch.path, body=batch.body())
        refused: dict[int, str] = {}
        if isinstance(answer, dict):
            for item in answer.get("update", []):
                if isinstance(item, dict) and isinstance(item.get("error"), dict):
                    refused[int(item.get("id") or 0)] = str(item["error"].get("message", ""))
        return refused

    async def update_order(self, store: Store, order_id: int, changes: Mapping[str, Any]) -> None:
        await self._call(store, "PUT", f"/orders/{order_id}", body=dict(changes))

    async def add_note(self, store: Store, order_id: int, note: str) -> None:
        body = {"note": note, "customer_note": True}
        await self._call(store, "POST", f"/orders/{order_id}/notes", body=body)

    async def _call(
        self,
        store: Store,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        credentials = store.credentials
        try:
            response = await self._client.request(
                method,
                store.api_root + path,
                params=params,
                json=body,
                auth=(credentials.consumer_key, credentials.consumer_secret),
            )
        except httpx.HTTPError as error:
            raise StoreUnreachable(f"store {store.store_id}: {type(error).__name__}") from error
        status = response.status_code
        if status >= 500 or status in _RETRYABLE:
            raise StoreUnreachable(f"store {store.store_id} answered {status} to {method} {path}")
        if status >= 400:
            raise StoreRefused(f"store {store.store_id} refused {method} {path}: {status}")
        try:
            return json.loads(response.content, parse_float=Decimal)
        except ValueError as error:
            raise StoreUnreachable(f"store {store.store_id} answered no JSON") from error


class StoreRefused(StoreUnreachable):
    """A 4xx other than the retryable ones: tried again later all the same (a product deleted in
    the store is found again by SKU)."""
