"""A webhook delivery arrives: answered at once, kept only when the store signed it. The raw
bytes are checked before anything reads them; the work happens later (process_deliveries)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

from woocommerce.application.ports import UnitsOfWork
from woocommerce.domain.webhooks import ORDER_TOPICS, Delivery, is_ping, signed_by


class Receipt(StrEnum):
    PING = "ping"  # the creation ping: 200
    UNKNOWN_STORE = "unknown store"  # 404
    BAD_SIGNATURE = "bad signature"  # 401, kept nowhere
    NOT_JSON = "not json"  # signed but unreadable: 400, kept nowhere
    IGNORED = "ignored"  # a topic the connector does not take: 200
    ACCEPTED = "accepted"  # kept for processing: 200
    DUPLICATE = "duplicate"  # the same delivery again: 200, kept once


async def receive_delivery(
    units: UnitsOfWork,
    store_id: str,
    body: bytes,
    headers: Mapping[str, str],
    now: datetime,
) -> Receipt:
    """`headers` with lower-case names, as they arrive through proxies."""
    signature = headers.get("x-wc-webhook-signature")
    async with units() as uow:
        store = await uow.stores.get(store_id)
        if store is None:
            return Receipt.UNKNOWN_STORE
        if is_ping(body, signature):
            return Receipt.PING
        if not signed_by(body, signature, store.credentials.webhook_secret):
            return Receipt.BAD_SIGNATURE
        topic = headers.get("x-wc-webhook-topic", "")
        if topic not in ORDER_TOPICS:
            return Receipt.IGNORED
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return Receipt.NOT_JSON
        resource = data.get("id") if isinstance(data, dict) else None
        delivery = Delivery(
            store_id=store_id,
            delivery_id=headers.get("x-wc-webhook-delivery-id", "")[:100],
            topic=topic,
            resource_id=resource if isinstance(resource, int) else None,
            body=body,
            received_at=now,
        )
        kept = await uow.deliveries.add(delivery)
    return Receipt.ACCEPTED if kept else Receipt.DUPLICATE
