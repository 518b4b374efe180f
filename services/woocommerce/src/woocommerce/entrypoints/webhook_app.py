"""The HTTP door WooCommerce delivers to: `POST /webhooks/{store_id}`. The body is read raw and
bounded, its signature checked before anything parses it, kept, and acknowledged at once;
`GET /health` for probes. Nothing here decides anything (commands/receive_delivery.py does)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from woocommerce.application.commands.receive_delivery import Receipt, receive_delivery
from woocommerce.application.ports import UnitsOfWork

log = logging.getLogger(__name__)

_STATUS = {
    Receipt.PING: 200,  # WooCommerce counts the ping good on exactly 200
    Receipt.ACCEPTED: 200,
    Receipt.DUPLICATE: 200,
    Receipt.IGNORED: 200,
    Receipt.UNKNOWN_STORE: 404,
    Receipt.BAD_SIGNATURE: 401,
    Receipt.NOT_JSON: 400,
}


class TooLarge(Exception):
    pass


async def _bounded_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def webhook_app(
    units: UnitsOfWork,
    max_body_bytes: int,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Starlette:
    async def deliver(request: Request) -> Response:
        store_id = request.path_params["store_id"]
        try:
            body = await _bounded_body(request, max_body_bytes)
        except TooLarge:
            return JSONResponse({"error": "body too large"}, status_code=413)
        headers = {k.lower(): v for k, v in request.headers.items()}
        receipt = await receive_delivery(units, store_id, body, headers, clock())
        if receipt is Receipt.BAD_SIGNATURE:
            log.warning("store %s: a delivery with a bad signature was refused", store_id)
        return JSONResponse({"result": receipt.value}, status_code=_STATUS[receipt])

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/webhooks/{store_id}", deliver, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
        ]
    )
