"""Signatures as WooCommerce makes them (base64 HMAC-SHA256 of the raw bytes, the secret
HTML-decoded), the creation ping, and what the door answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from services.woocommerce.tests.fixtures import WEBHOOK_SECRET, store
from services.woocommerce.tests.unit.fakes import FakeClock, FakeConnector
from woocommerce.application.commands.receive_delivery import Receipt, receive_delivery
from woocommerce.domain.webhooks import is_ping, signature_of, signed_by

# Compact JSON with "/" escaped and non-ASCII as \uXXXX, as PHP's json_encode writes it.
BODY = (
    rb'{"id":727,"status":"processing","billing":{"city":"K\u00f6ln"},"_links":{"self":'
    rb'[{"href":"https:\/\/shop.example.com\/wp-json\/wc\/v3\/orders\/727"}]}}'
)
NOW = datetime(2024, 6, 3, 16, 13, tzinfo=UTC)


def test_the_signature_is_the_one_openssl_computes_over_the_raw_bytes() -> None:
    # printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'wh-secret_Abc123-xyz' -binary | base64
    assert signature_of(BODY, WEBHOOK_SECRET) == "X30z5TL1bkuyzOthiUzpICZtcn1ZD/S7V5BcyS5oo+o="
    assert signed_by(BODY, "X30z5TL1bkuyzOthiUzpICZtcn1ZD/S7V5BcyS5oo+o=", WEBHOOK_SECRET)


def test_re_serialised_json_no_longer_matches() -> None:
    again = json.dumps(json.loads(BODY), separators=(",", ":")).encode()
    assert again != BODY
    assert not signed_by(again, signature_of(BODY, WEBHOOK_SECRET), WEBHOOK_SECRET)


def test_the_secret_is_html_decoded_as_wordpress_stores_it() -> None:
    # openssl ... -hmac 'a&b"c'
    assert signature_of(BODY, "a&amp;b&quot;c") == "hyYFuuiocFNhzQUh/vpFuQxHj7yqO4oWSL5aeTVB3Jg="


@pytest.mark.parametrize("signature", [None, "", "X30z5TL1bkuyzOthiUzpICZtcn1ZD/S7V5BcyS5oo+o"])
def test_a_missing_or_altered_signature_is_refused(signature: str | None) -> None:
    assert not signed_by(BODY, signature, WEBHOOK_SECRET)


def test_the_creation_ping_is_the_unsigned_webhook_id_form() -> None:
    assert is_ping(b"webhook_id=15", None)
    assert not is_ping(b"webhook_id=15", "c2lnbmVk")
    assert not is_ping(b"webhook_id=15&x=1", None)
    assert not is_ping(BODY, None)


def headers(body: bytes, topic: str = "order.updated", delivery: str = "d1") -> dict[str, str]:
    return {
        "x-wc-webhook-topic": topic,
        "x-wc-webhook-resource": topic.split(".")[0],
        "x-wc-webhook-event": topic.split(".")[1],
        "x-wc-webhook-signature": signature_of(body, WEBHOOK_SECRET),
        "x-wc-webhook-delivery-id": delivery,
        "x-wc-webhook-id": "15",
    }


async def connector() -> FakeConnector:
    units = FakeConnector(FakeClock(NOW))
    async with units() as uow:
        await uow.stores.add(store())
    return units


async def test_a_signed_delivery_is_kept_once() -> None:
    units = await connector()
    assert await receive_delivery(units, "shop-us", BODY, headers(BODY), NOW) is Receipt.ACCEPTED
    assert await receive_delivery(units, "shop-us", BODY, headers(BODY), NOW) is Receipt.DUPLICATE
    [kept] = units.state.deliveries
    assert kept["delivery"].resource_id == 727
    assert kept["delivery"].body == BODY
    assert kept["delivery"].topic == "order.updated"


async def test_two_bodies_under_one_delivery_id_are_both_kept() -> None:
    # WooCommerce's delivery id is a hash of the webhook id and the second: not unique
    units = await connector()
    other = BODY.replace(b"processing", b"completed")
    await receive_delivery(units, "shop-us", BODY, headers(BODY), NOW)
    assert await receive_delivery(units, "shop-us", other, headers(other), NOW) is Receipt.ACCEPTED
    assert len(units.state.deliveries) == 2


async def test_a_bad_signature_keeps_nothing() -> None:
    units = await connector()
    forged = {**headers(BODY), "x-wc-webhook-signature": signature_of(BODY, "guess")}
    receipt = await receive_delivery(units, "shop-us", BODY, forged, NOW)
    assert receipt is Receipt.BAD_SIGNATURE
    assert units.state.deliveries == []


async def test_ping_unknown_store_other_topics_and_unreadable_bodies() -> None:
    units = await connector()
    assert await receive_delivery(units, "shop-us", b"webhook_id=3", {}, NOW) is Receipt.PING
    assert await receive_delivery(units, "nope", BODY, headers(BODY), NOW) is Receipt.UNKNOWN_STORE
    product = headers(BODY, topic="product.updated")
    assert await receive_delivery(units, "shop-us", BODY, product, NOW) is Receipt.IGNORED
    assert await receive_delivery(units, "shop-us", b"{", headers(b"{"), NOW) is Receipt.NOT_JSON
    assert units.state.deliveries == []
