"""What WooCommerce POSTs to a delivery URL, and how it is told apart and checked
(WC_Webhook::deliver, ::deliver_ping, ::generate_signature)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
from dataclasses import dataclass
from datetime import datetime

# The topics the connector takes; anything else is acknowledged and ignored.
ORDER_TOPICS = frozenset({"order.created", "order.updated", "order.deleted", "order.restored"})
_PING = re.compile(rb"^webhook_id=\d{1,20}$")


def is_ping(body: bytes, signature: str | None) -> bool:
    """The unsigned `webhook_id=<id>` form WooCommerce sends when a webhook is created or
    activated; it counts the webhook healthy only on exactly 200."""
    return not signature and bool(_PING.match(body.strip()))


def signature_of(body: bytes, secret: str) -> str:
    """base64(HMAC-SHA256(raw body, secret)); WooCommerce HTML-decodes the secret first."""
    key = html.unescape(secret).encode()
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()


def signed_by(body: bytes, signature: str | None, secret: str) -> bool:
    """Whether `signature` is the store's for these exact bytes (constant-time compare)."""
    return hmac.compare_digest(signature_of(body, secret).encode(), (signature or "").encode())


def fingerprint(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True)
class Delivery:
    """One signed delivery, kept as it came. WooCommerce's delivery id is a hash of the webhook
    id and the second it was sent, so two different deliveries can share it: a duplicate is the
    same delivery id with the same body."""

    store_id: str
    delivery_id: str
    topic: str
    resource_id: int | None
    body: bytes
    received_at: datetime
    # Set by the repository.
    number: int = 0

    @property
    def body_fingerprint(self) -> str:
        return fingerprint(self.body)


@dataclass(frozen=True)
class Outcome:
    """What processing a delivery did, for the record ("mapped", "duplicate", "stale", ...)."""

    what: str
    detail: str = ""
