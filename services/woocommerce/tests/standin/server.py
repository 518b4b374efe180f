"""A WooCommerce stand-in of the project's own: a real HTTP server (uvicorn on a free port) that
speaks the REST API v3 shapes the connector uses, and sends webhooks signed and encoded as
WooCommerce sends them (compact JSON with "/" escaped and non-ASCII as \\uXXXX, base64
HMAC-SHA256 of those bytes). Tests drive it: change an order, send a delivery now, keep one to
send later (reordering), send one twice (duplicates), or not at all (missed). It records what
the connector writes: each batch with its path, each order note, each status set.

Shapes follow WooCommerce's documentation and controllers: pagination by `per_page` (1..100) and
`page` with `X-WP-Total` / `X-WP-TotalPages`; `modified_after` exclusive, to the second, in GMT
with `dates_are_gmt=true`; batch endpoints refusing more than 100 items with 413
`woocommerce_rest_request_entity_too_large`; errors as `{code, message, data: {status}}`."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import hashlib
import hmac
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

BATCH_LIMIT = 100
FORMAT = "%Y-%m-%dT%H:%M:%S"


def php_json(data: Any) -> bytes:
    """What `trim(wp_json_encode($payload))` writes."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/").encode()


def error(code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "data": {"status": status}}, status)


@dataclass
class Webhook:
    webhook_id: int
    topic: str
    delivery_url: str
    secret: str


@dataclass(frozen=True)
class Prepared:
    """A delivery built now (its payload is the order as it is now), sent whenever."""

    url: str
    headers: dict[str, str]
    body: bytes


@dataclass
class StandIn:
    consumer_key: str = "ck_standin"
    consumer_secret: str = "cs_standin"
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    variations: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)
    webhooks: list[Webhook] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # "GET /orders?..." as received
    batches: list[dict[str, Any]] = field(default_factory=list)
    # (path under /wp-json/wc/v3, body) of every batch taken, and each order's notes
    batch_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    notes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    # the status each PUT /orders/<id> set, in order
    status_changes: list[tuple[int, str]] = field(default_factory=list)
    base_url: str = ""

    # What tests do to the store.

    def add_order(self, order: dict[str, Any], refunds: list[dict[str, Any]] = ()) -> None:  # type: ignore[assignment]
        self.orders[order["id"]] = copy.deepcopy(order)
        self.refunds[order["id"]] = copy.deepcopy(list(refunds))

    def change_order(self, order_id: int, seconds: int = 60, **changes: Any) -> dict[str, Any]:
        """Saves the order with `changes`, `seconds` after its last modification."""
        order = self.orders[order_id]
        modified = datetime.strptime(order["date_modified_gmt"], FORMAT) + timedelta(
            seconds=seconds
        )
        order.update(changes, date_modified_gmt=modified.strftime(FORMAT))
        return order

    def add_webhook(self, topic: str, delivery_url: str, secret: str) -> Webhook:
        hook = Webhook(len(self.webhooks) + 1, topic, delivery_url, secret)
        self.webhooks.append(hook)
        return hook

    def prepare(self, topic: str, order_id: int, delivery_id: str | None = None) -> Prepared:
        hook = next(h for h in self.webhooks if h.topic == topic)
        payload = {"id": order_id} if topic.endswith(".deleted") else self.orders[order_id]
        body = php_json(payload)
        digest = hmac.new(hook.secret.encode(), body, hashlib.sha256).digest()
        resource, event = topic.split(".")
        headers = {
            "User-Agent": "WooCommerce/9.1.2 Hookshot (WordPress/6.5.4)",
            "Content-Type": "application/json",
            "X-WC-Webhook-Source": "https://shop.example.com/",
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": base64.b64encode(digest).decode(),
            "X-WC-Webhook-ID": str(hook.webhook_id),
            "X-WC-Webhook-Delivery-ID": delivery_id
            or hashlib.md5(f"{hook.webhook_id}{order_id}{body!r}".encode()).hexdigest(),
        }
        return Prepared(hook.delivery_url, headers, body)

    async def send(self, prepared: Prepared) -> int:
        async with httpx.AsyncClient(follow_redirects=False, timeout=60) as client:
            response = await client.post(
                prepared.url, content=prepared.body, headers=prepared.headers
            )
        return response.status_code

    async def deliver(self, topic: str, order_id: int) -> int:
        return await self.send(self.prepare(topic, order_id))

    async def ping(self, topic: str) -> int:
        hook = next(h for h in self.webhooks if h.topic == topic)
        async with httpx.AsyncClient() as client:
            response = await client.post(
                hook.delivery_url,
                content=f"webhook_id={hook.webhook_id}".encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        return response.status_code

    # The REST API.

    def app(self) -> Starlette:
        root = "/wp-json/wc/v3"
        return Starlette(
            routes=[
                Route(f"{root}/orders", self._list_orders, methods=["GET"]),
                Route(f"{root}/orders/{{order_id:int}}", self._order, methods=["GET", "PUT"]),
                Route(f"{root}/orders/{{order_id:int}}/refunds", self._refunds, methods=["GET"]),
                Route(f"{root}/orders/{{order_id:int}}/notes", self._add_note, methods=["POST"]),
                Route(f"{root}/products", self._products, methods=["GET"]),
                Route(f"{root}/products/batch", self._product_batch, methods=["POST"]),
                Route(
                    f"{root}/products/{{product_id:int}}/variations",
                    self._variations,
                    methods=["GET"],
                ),
                Route(
                    f"{root}/products/{{product_id:int}}/variations/batch",
                    self._variation_batch,
                    methods=["POST"],
                ),
            ],
            middleware=[],
        )

    def _authorized(self, request: Request) -> bool:
        self.requests.append(f"{request.method} {request.url.path}?{request.url.query}")
        expected = base64.b64encode(f"{self.consumer_key}:{self.consumer_secret}".encode()).decode()
        return request.headers.get("authorization") == f"Basic {expected}"

    async def _list_orders(self, request: Request) -> Response:
        if not self._authorized(request):
            return error("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", 401)
        query = request.query_params
        per_page, page = int(query.get("per_page", "10")), int(query.get("page", "1"))
        if not 1 <= per_page <= 100:
            return error("rest_invalid_param", "Invalid parameter(s): per_page", 400)
        field_name = (
            "date_modified_gmt" if query.get("dates_are_gmt") == "true" else "date_modified"
        )
        found = list(self.orders.values())
        if "modified_after" in query:
            found = [o for o in found if o[field_name] > query["modified_after"]]
        if query.get("orderby") == "modified":
            found.sort(key=lambda o: (o[field_name], o["id"]), reverse=query.get("order") == "desc")
        else:
            found.sort(key=lambda o: (o["date_created_gmt"], o["id"]), reverse=True)
        pages = -(-len(found) // per_page)
        chunk = found[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(len(found)), "X-WP-TotalPages": str(pages)}
        return Response(php_json(chunk), headers=headers, media_type="application/json")

    async def _order(self, request: Request) -> Response:
        if not self._authorized(request):
            return error(
                "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.", 401
            )
        order = self.orders.get(request.path_params["order_id"])
        if order is None:
            return error("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404)
        if request.method == "PUT":
            changes = await request.json()
            order = self.change_order(order["id"], 1, **changes)
            if "status" in changes:
                self.status_changes.append((order["id"], changes["status"]))
        return Response(php_json(order), media_type="application/json")

    async def _refunds(self, request: Request) -> Response:
        if not self._authorized(request):
            return error("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", 401)
        return Response(php_json(self.refunds.get(request.path_params["order_id"], [])),
                        media_type="application/json")  # fmt: skip

    async def _add_note(self, request: Request) -> Response:
        if not self._authorized(request):
            return error("woocommerce_rest_cannot_create", "Sorry, you are not allowed.", 401)
        order_id = request.path_params["order_id"]
        if order_id not in self.orders:
            return error("woocommerce_rest_order_invalid_id", "Invalid order ID.", 404)
        body = await request.json()
        notes = self.notes.setdefault(order_id, [])
        note = {
            "id": 1000 * order_id + len(notes) + 1,
            "author": "WooCommerce",
            "note": body.get("note", ""),
            "customer_note": bool(body.get("customer_note")),
        }
        notes.append(note)
        return Response(php_json(note), status_code=201, media_type="application/json")

    async def _products(self, request: Request) -> Response:
        if not self._authorized(request):
            return error("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", 401)
        sku = request.query_params.get("sku")
        found = [p for p in self.products.values() if sku is None or p.get("sku") == sku]
        if sku is not None:  # WooCommerce's SKU filter finds variations as well
            found += [{**v, "parent_id": parent, "type": "variation"}
                      for parent, children in self.variations.items()
                      for v in children.values() if v.get("sku") == sku]  # fmt: skip
        return Response(php_json(found), headers={"X-WP-Total": str(len(found)),
                        "X-WP-TotalPages": "1"}, media_type="application/json")  # fmt: skip

    async def _variations(self, request: Request) -> Response:
        if not self._authorized(request):
            return error("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", 401)
        sku = request.query_params.get("sku")
        found = [v for v in self.variations.get(request.path_params["product_id"], {}).values()
                 if sku is None or v.get("sku") == sku]  # fmt: skip
        return Response(php_json(found), media_type="application/json")

    async def _batch(self, request: Request, items: dict[int, dict[str, Any]]) -> Response:
        if not self._authorized(request):
            return error("woocommerce_rest_cannot_edit", "Sorry, you are not allowed.", 401)
        body = await request.json()
        count = sum(len(body.get(k, [])) for k in ("create", "update", "delete"))
        if count > BATCH_LIMIT:
            return error(
                "woocommerce_rest_request_entity_too_large",
                f"Unable to accept more than {BATCH_LIMIT} items for this request.",
                413,
            )
        self.batches.append(body)
        self.batch_calls.append((request.url.path.removeprefix("/wp-json/wc/v3"), body))
        updated = []
        for change in body.get("update", []):
            item = items.get(change.get("id"))
            if item is None:
                updated.append({"id": change.get("id"), "error": {
                    "code": "woocommerce_rest_product_invalid_id", "message": "Invalid ID.",
                    "data": {"status": 400}}})  # fmt: skip
                continue
            item.update(change)
            updated.append(item)
        return Response(php_json({"update": updated}), media_type="application/json")

    async def _product_batch(self, request: Request) -> Response:
        return await self._batch(request, self.products)

    async def _variation_batch(self, request: Request) -> Response:
        return await self._batch(
            request, self.variations.get(request.path_params["product_id"], {})
        )


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def serving(stand_in: StandIn):  # type: ignore[no-untyped-def]
    """Serves the stand-in on a free loopback port until the block ends."""
    port = free_port()
    server = _Server(uvicorn.Config(stand_in.app(), host="127.0.0.1", port=port, log_config=None,
                                    access_log=False))  # fmt: skip
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    stand_in.base_url = f"http://127.0.0.1:{port}"
    try:
        yield stand_in
    finally:
        server.should_exit = True
        await task
