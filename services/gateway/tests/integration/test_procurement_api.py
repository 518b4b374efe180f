"""The gateway's procurement resources over the real procurement service: roles, bodies that do
not match their schema, errors with the fields at fault, and the flow from RFQ to purchase order."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from services.gateway.tests.integration.conftest import GatewayOverService
from testkit.services import signed_in


def as_role(*roles: str) -> dict[str, str]:
    return signed_in("pat", *roles)


BUYER, FINANCE, WAREHOUSE, SALES = (
    as_role("purchasing"),
    as_role("finance"),
    as_role("warehouse"),
    as_role("sales"),
)


@pytest.fixture
async def api(gateway_over_service: GatewayOverService) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_over_service("procurement", "http://gateway/api/v1") as (client, _):
        yield client


async def test_from_suppliers_to_a_sent_purchase_order_over_rest(api: httpx.AsyncClient) -> None:
    created = await api.post(
        "/suppliers",
        json={
            "name": "Acme",
            "email": "buy@acme.test",
            "currency": "EUR",
            "contacts": [{"name": "Ann", "role": "sales"}],
            "payment_terms": "30 days net",
            "rating": 5,
        },
        headers=BUYER,
    )
    assert created.status_code == 201, created.text
    acme = created.json()
    assert created.headers["location"] == f"/api/v1/suppliers/{acme['id']}"
    assert (acme["rating"], acme["contacts"][0]["name"]) == (5, "Ann")
    other = (
        await api.post("/suppliers", json={"name": "Bolt", "currency": "EUR"}, headers=BUYER)
    ).json()
    changed = await api.put(
        f"/suppliers/{other['id']}", json={"rating": 2, "payment_terms": "prepaid"}, headers=BUYER
    )
    assert (changed.json()["rating"], changed.json()["payment_terms"]) == (2, "prepaid")
    for reader in (FINANCE, WAREHOUSE):
        assert len((await api.get("/suppliers", headers=reader)).json()["items"]) == 2
    assert (await api.get("/suppliers", headers=SALES)).status_code == 403
    refused = await api.post("/suppliers", json={"name": "X", "currency": "EUR"}, headers=FINANCE)
    assert refused.status_code == 403

    deadline = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    rfq = await api.post(
        "/rfqs",
        json={
            "title": "Bolts",
            "currency": "EUR",
            "warehouse_id": "w-1",
            "deadline": deadline,
            "supplier_ids": [acme["id"], other["id"]],
            "lines": [{"product_id": "p-1", "sku": "BOLT", "quantity": 200}],
        },
        headers=BUYER,
    )
    assert rfq.status_code == 201, rfq.text
    rfq_id = rfq.json()["id"]
    for supplier_id, price in ((acme["id"], "0.11"), (other["id"], "0.09")):
        recorded = await api.post(
            f"/rfqs/{rfq_id}/proposals",
            json={
                "supplier_id": supplier_id,
                "lines": [
                    {"product_id": "p-1", "unit_price": {"amount": price, "currency": "EUR"}}
                ],
                "lead_time_days": 4,
                "valid_until": "2099-01-01",
            },
            headers=BUYER,
        )
        assert recorded.status_code == 200, recorded.text
    comparison = (await api.get(f"/rfqs/{rfq_id}/comparison", headers=FINANCE)).json()
    assert [
        (o["supplier_name"], o["total"]["amount"], o["cheapest"]) for o in comparison["offers"]
    ] == [
        ("Bolt", "18.00", True),
        ("Acme", "22.00", False),
    ]
    assert comparison["offers"][0]["document"]["totals"]["total"] == "18.00"
    award = await api.post(
        f"/rfqs/{rfq_id}/award", json={"supplier_id": other["id"]}, headers=BUYER
    )
    assert award.status_code == 201, award.text
    order = award.json()["purchase_order"]
    assert award.headers["location"] == f"/api/v1/purchase-orders/{order['id']}"
    assert (order["status"], order["total"]["amount"]) == ("draft", "18.00")
    assert order["document"]["groups"][0]["lines"][0]["net"] == "18.00"

    sent = await api.post(f"/purchase-orders/{order['id']}/send", headers=BUYER)
    assert sent.json()["status"] == "sent"
    again = await api.post(f"/purchase-orders/{order['id']}/send", headers=BUYER)
    assert again.status_code == 409
    assert again.json()["errors"] == [{"field": "status", "detail": "is sent"}]
    page = (await api.get("/purchase-orders", params={"status": "sent"}, headers=WAREHOUSE)).json()
    assert [o["number"] for o in page["items"]] == [order["number"]]
    assert (await api.get(f"/purchase-orders/{order['id']}", headers=FINANCE)).status_code == 200
    cancelled = await api.post(
        f"/purchase-orders/{order['id']}/cancel", json={"reason": "too slow"}, headers=BUYER
    )
    assert cancelled.json()["history"][-1]["reason"] == "too slow"

    contract = await api.post(
        "/supplier-contracts",
        json={
            "supplier_id": acme["id"],
            "reference": "Frame",
            "valid_from": "2020-01-01",
            "valid_to": "2099-12-31",
            "prices": [{"product_id": "p-1", "unit_price": {"amount": "0.10", "currency": "EUR"}}],
        },
        headers=BUYER,
    )
    assert contract.status_code == 201, contract.text
    listed = await api.get(
        "/supplier-contracts", params={"supplier_id": acme["id"]}, headers=FINANCE
    )
    assert [c["reference"] for c in listed.json()["items"]] == ["Frame"]
    po = await api.post(
        "/purchase-orders",
        json={
            "supplier_id": acme["id"],
            "warehouse_id": "w-1",
            "groups": [{"lines": [{"product_id": "p-1", "quantity": 10}]}],
        },
        headers=BUYER,
    )
    assert po.status_code == 201, po.text
    assert po.json()["lines"][0]["price_rule"].startswith("contract 'Frame'")

    rule = await api.put(
        "/reorder-rules",
        json={
            "product_id": "p-1",
            "warehouse_id": "w-1",
            "minimum": 5,
            "maximum": 40,
            "supplier_id": acme["id"],
            "unit_price": {"amount": "0.12", "currency": "EUR"},
        },
        headers=BUYER,
    )
    assert rule.status_code == 200, rule.text
    rules = (
        await api.get("/reorder-rules", params={"warehouse_id": "w-1"}, headers=WAREHOUSE)
    ).json()
    assert [(r["product_id"], r["maximum"], r["lead_time_days"]) for r in rules["items"]] == [
        ("p-1", 40, 14)
    ]


async def test_bad_bodies_are_422_with_the_fields_named(api: httpx.AsyncClient) -> None:
    unknown = await api.post(
        "/purchase-orders",
        json={"supplier_id": "s-1", "warehouse_id": "w-1", "colour": "red"},
        headers=BUYER,
    )
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["colour"]
    acme = (
        await api.post("/suppliers", json={"name": "Acme", "currency": "EUR"}, headers=BUYER)
    ).json()
    invalid = await api.post(
        "/purchase-orders",
        json={
            "supplier_id": acme["id"],
            "warehouse_id": "w-1",
            "groups": [{"lines": [{"product_id": "p-1", "quantity": 0}]}],
        },
        headers=BUYER,
    )
    assert invalid.status_code == 422
    assert [e["field"] for e in invalid.json()["errors"]] == ["groups[0].lines[0].quantity"]
    naive = await api.post(
        "/rfqs",
        json={
            "currency": "EUR",
            "warehouse_id": "w-1",
            "deadline": "2099-01-01T00:00:00",
            "supplier_ids": [acme["id"]],
            "lines": [{"product_id": "p-1", "quantity": 1}],
        },
        headers=BUYER,
    )
    assert [e["field"] for e in naive.json()["errors"]] == ["deadline"]
    assert (await api.get("/purchase-orders", headers=BUYER)).json()["items"] == []
    missing = await api.get("/rfqs/nope", headers=BUYER)
    assert missing.status_code == 404
