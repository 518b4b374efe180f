"""The gateway's procurement resources over the real procurement service: roles, bodies that do
not match their schema, errors with the fields at fault, the flow from RFQ to purchase order,
the warehouse's view without prices, pages, and retries under an Idempotency-Key."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from services.gateway.tests.integration.conftest import GatewayOverService
from testkit.services import ServiceProcess, signed_in


def as_role(*roles: str) -> dict[str, str]:
    return signed_in("pat", *roles)


BUYER, FINANCE, WAREHOUSE, SALES = (
    as_role("purchasing"),
    as_role("finance"),
    as_role("warehouse"),
    as_role("sales"),
)


@pytest.fixture
async def served(
    gateway_over_service: GatewayOverService,
) -> AsyncIterator[tuple[httpx.AsyncClient, ServiceProcess]]:
    async with gateway_over_service("procurement", "http://gateway/api/v1") as served:
        yield served


@pytest.fixture
def api(served: tuple[httpx.AsyncClient, ServiceProcess]) -> httpx.AsyncClient:
    return served[0]


async def _processed(database_url: str, operation: str) -> int:
    """How many requests the service holds a request_id of for `operation`."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            found = await connection.execute(
                text("SELECT count(*) FROM processed_requests WHERE operation = :operation"),
                {"operation": operation},
            )
            return int(found.scalar_one())
    finally:
        await engine.dispose()


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
    (seen,) = page["items"]
    assert (seen["prices_hidden"], seen["total"], seen["document"]) == (True, None, None)
    assert [(x["quantity"], x["unit_price"]) for x in seen["lines"]] == [(200, None)]
    shown = (await api.get(f"/purchase-orders/{order['id']}", headers=FINANCE)).json()
    assert (shown["prices_hidden"], shown["total"]["amount"]) == (False, "18.00")
    for path in (f"/rfqs/{rfq_id}", f"/rfqs/{rfq_id}/comparison", "/supplier-contracts"):
        assert (await api.get(path, headers=WAREHOUSE)).status_code == 403
    assert (await api.get(f"/purchase-orders/{order['id']}", headers=SALES)).status_code == 403
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
    assert [
        (r["product_id"], r["maximum"], r["lead_time_days"], r["unit_price"])
        for r in rules["items"]
    ] == [("p-1", 40, 14, None)]
    rules = (await api.get("/reorder-rules", headers=FINANCE)).json()
    assert [r["unit_price"]["amount"] for r in rules["items"]] == ["0.12"]


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


async def test_bounds_pages_and_a_retried_purchase_order(
    served: tuple[httpx.AsyncClient, ServiceProcess],
) -> None:
    api, service = served
    for name in ("Cog", "Acme", "Bolt"):
        await api.post("/suppliers", json={"name": name, "currency": "EUR"}, headers=BUYER)
    first = (await api.get("/suppliers", params={"page_size": 2}, headers=FINANCE)).json()
    rest = await api.get(
        "/suppliers", params={"page_token": first["next_page_token"]}, headers=FINANCE
    )
    assert [s["name"] for s in [*first["items"], *rest.json()["items"]]] == ["Acme", "Bolt", "Cog"]
    assert rest.json()["next_page_token"] == ""
    acme = first["items"][0]
    for path in (
        "/suppliers",
        "/supplier-contracts",
        "/reorder-rules",
        "/rfqs",
        "/purchase-orders",
    ):
        huge = await api.get(path, params={"page_size": 201}, headers=BUYER)
        assert huge.status_code == 422, path
        assert [e["field"] for e in huge.json()["errors"]] == ["page_size"]

    def order(quantity: int, amount: str = "1.50", product_id: str = "p-1") -> dict[str, object]:
        line = {
            "product_id": product_id,
            "quantity": quantity,
            "unit_price": {"amount": amount, "currency": "EUR"},
        }
        return {"supplier_id": acme["id"], "warehouse_id": "w-1", "groups": [{"lines": [line]}]}

    for body, field in (
        (order(1_000_001), "groups[0].lines[0].quantity"),
        (order(1, product_id="p" * 65), "groups[0].lines[0].product_id"),
        (order(1, amount="1" + "0" * 12), "groups[0].lines[0].unit_price.amount"),
        (order(1_000_000, amount="999999999999"), "groups"),
    ):
        refused = await api.post("/purchase-orders", json=body, headers=BUYER)
        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == [field]
    long_id = await api.get(f"/purchase-orders/{'x' * 12_000}", headers=BUYER)
    assert long_id.status_code == 422

    key = {**BUYER, "Idempotency-Key": "po-retry-1"}
    made = await api.post("/purchase-orders", json=order(4), headers=key)
    again = await api.post("/purchase-orders", json=order(4), headers=key)
    assert made.status_code == again.status_code == 201, again.text
    assert again.json()["id"] == made.json()["id"]
    page = (await api.get("/purchase-orders", headers=BUYER)).json()
    assert [o["id"] for o in page["items"]] == [made.json()["id"]]
    # The route passed the key on: the service itself would refuse a second order.
    assert await _processed(service.database_url, "create_purchase_order") == 1
    sent = await api.post(
        f"/purchase-orders/{made.json()['id']}/send",
        headers={**BUYER, "Idempotency-Key": "po-send-1"},
    )
    assert sent.json()["status"] == "sent"
    assert await _processed(service.database_url, "send_purchase_order") == 1
