"""Retries never double money or stock, through the real services: each money- or stock-moving
POST sent twice at once under one Idempotency-Key, then once more after a lost answer, has one
effect and gives one answer. And a retry whose key went missing (a client that lost it) is still
caught by the owning service's natural key: a payment's customer and reference."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import Api, eventually, new_customer

TODAY = datetime.now(UTC).date().isoformat()


@pytest.fixture
async def clerk(gateway_url: str) -> AsyncIterator[Api]:
    roles = ("finance", "order-desk", "warehouse", "purchasing")
    api = Api(gateway_url, f"e2e-retry-{uuid.uuid4().hex[:6]}", *roles)
    yield api
    await api.aclose()


async def thrice(api: Api, path: str, body: dict[str, Any]) -> list[httpx.Response]:
    """Twice at once under one key, then once more: the client never heard the first answer."""
    key = {"Idempotency-Key": str(uuid.uuid4())}
    pair = await asyncio.gather(api.post(path, body, **key), api.post(path, body, **key))
    return [*pair, await api.post(path, body, **key)]


def one_answer(responses: list[httpx.Response]) -> dict[str, Any]:
    assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert responses[-1].headers.get("idempotent-replayed") == "true"
    first: dict[str, Any] = responses[0].json()
    return first


async def on_hand(api: Api, product: str) -> int:
    rows = (await api.get("/stock", product_id=product)).json()["items"]
    return sum(int(r["on_hand"]) for r in rows)


async def test_stock_orders_shipments_payments_and_credit_notes_happen_once(clerk: Api) -> None:
    product = await clerk.created(
        "/products",
        {
            "sku": f"RT-{uuid.uuid4().hex[:8]}",
            "name": "Retried rope",
            "list_price": {"amount": "4.00", "currency": "EUR"},
        },
    )
    warehouse = await clerk.created(
        "/warehouses", {"code": f"T{uuid.uuid4().hex[:6]}", "name": "T"}
    )
    adjustment = {
        "warehouse_id": warehouse["id"],
        "product_id": product["id"],
        "quantity_delta": 10,
        "reason": "count",
    }
    responses = await thrice(clerk, "/stock/adjustments", adjustment)
    assert {r.status_code for r in responses} <= {200, 201}, [r.text for r in responses]
    assert await on_hand(clerk, product["id"]) == 10

    customer = await new_customer(clerk, "Retrying buyer")
    order = one_answer(
        await thrice(
            clerk,
            "/sales-orders",
            {
                "customer_id": customer,
                "currency": "EUR",
                "lines": [{"product_id": product["id"], "quantity": 1}],
            },
        )
    )
    listed = (await clerk.get("/sales-orders", customer_id=customer)).json()["items"]
    assert [o["id"] for o in listed] == [order["id"]]

    await eventually(
        lambda: clerk.get(f"/sales-orders/{order['id']}"),
        lambda r: r.json()["stock_status"] == "reserved",
    )
    one_answer(
        await thrice(
            clerk,
            "/shipments",
            {"order_id": order["id"], "warehouse_id": warehouse["id"], "carrier": "DHL"},
        )
    )
    assert await on_hand(clerk, product["id"]) == 9
    invoices = await eventually(
        lambda: clerk.get("/invoices", order_id=order["id"]),
        lambda r: len(r.json()["items"]) == 1,
    )
    (invoice,) = invoices.json()["items"]
    assert invoice["total"] == {"amount": "4.00", "currency": "EUR"}

    # 4.00 owed: the payment sent three times is recorded once, never 8.00 against 4.00
    payment = {
        "customer_id": customer,
        "amount": {"amount": "4.00", "currency": "EUR"},
        "reference": f"transfer {uuid.uuid4().hex[:6]}",
        "received_on": TODAY,
    }
    one_answer(await thrice(clerk, "/payments", payment))
    # the same payment once more without a key: billing knows its customer and reference
    again = await clerk.post("/payments", payment)
    assert again.status_code in (201, 409), again.text
    paid = (await clerk.get("/payments", customer_id=customer)).json()["items"]
    assert [p["amount"] for p in paid] == [{"amount": "4.00", "currency": "EUR"}]
    balance = (await clerk.get(f"/customers/{customer}/balance")).json()
    assert all(b["amount"] in ("0", "0.00") for b in balance["balances"]), balance
    assert balance["credits"] == [] or all(
        c["amount"] in ("0", "0.00") for c in balance["credits"]
    ), balance

    one_answer(
        await thrice(
            clerk,
            "/credit-notes",
            {
                "customer_id": customer,
                "amount": {"amount": "1.50", "currency": "EUR"},
                "memo": "goodwill",
            },
        )
    )
    notes = (await clerk.get("/credit-notes", customer_id=customer)).json()["items"]
    assert len(notes) == 1
