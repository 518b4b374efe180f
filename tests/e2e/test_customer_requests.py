"""Customer requests through the REST API: the order desk registers a phone request for a
salesperson, who quotes it in one step; a prospect's request is lost to a competitor; a retried
registration registers once; finance reads the lost demand."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from tests.e2e.helpers import Api, new_customer


@pytest.fixture
async def desk(gateway_url: str) -> AsyncIterator[Api]:
    api = Api(gateway_url, "e2e-desk", "order-desk")
    yield api
    await api.aclose()


@pytest.fixture
async def finance(gateway_url: str) -> AsyncIterator[Api]:
    api = Api(gateway_url, "e2e-finance", "finance")
    yield api
    await api.aclose()


async def test_a_request_is_quoted_or_lost_and_lost_demand_is_reported(
    admin: Api, desk: Api, finance: Api, gateway_url: str
) -> None:
    owner = f"e2e-seller-{uuid.uuid4().hex[:6]}"
    seller = Api(gateway_url, owner, "sales", team="e2e")
    try:
        await _flow(admin, desk, finance, seller, owner)
    finally:
        await seller.aclose()


async def _flow(admin: Api, desk: Api, finance: Api, seller: Api, owner: str) -> None:
    customer_id = await new_customer(admin)
    product = await admin.created(
        "/products",
        {
            "sku": f"REQ-{uuid.uuid4().hex[:8]}",
            "name": "Widget",
            "list_price": {"amount": "10.00", "currency": "EUR"},
        },
    )
    body = {
        "customer_id": customer_id,
        "contact": {"name": "Ada", "email": "ada@example.com", "phone": ""},
        "source": "phone",
        "need": "3 widgets",
        "value_estimate": {"amount": "30.00", "currency": "EUR"},
        "owner": owner,
    }
    key = {"Idempotency-Key": f"req-{uuid.uuid4().hex}"}
    registered = await desk.post("/requests", body, **key)
    assert registered.status_code == 201, registered.text
    request = registered.json()
    assert registered.headers["location"] == f"/api/v1/requests/{request['id']}"
    assert (request["status"], request["owner"], request["created_by"]) == (
        "open",
        owner,
        "e2e-desk",
    )
    assert request["number"].startswith(f"REQ-{datetime.now(UTC).year}-")
    again = await desk.post("/requests", body, **key)
    assert again.json()["id"] == request["id"]

    mine = await seller.get("/requests", status="open")
    assert [r["id"] for r in mine.json()["items"]] == [request["id"]]
    content = {
        "currency": "EUR",
        "groups": [{"name": "Main", "lines": [{"sku": product["sku"], "quantity": 3}]}],
    }
    quoted = await seller.post(f"/requests/{request['id']}/quote", content)
    assert quoted.status_code == 201, quoted.text
    quote = quoted.json()
    assert quoted.headers["location"] == f"/api/v1/quotes/{quote['id']}"
    assert (quote["customer_id"], quote["salesperson"], quote["total"]["amount"]) == (
        customer_id,
        owner,
        "30.00",
    )
    read = (await seller.get(f"/requests/{request['id']}")).json()
    assert (read["status"], read["quote_id"]) == ("quoted", quote["id"])
    twice = await seller.post(f"/requests/{request['id']}/quote", content)
    assert (twice.status_code, twice.json()["errors"][0]["field"]) == (409, "status")

    prospect = await seller.created(
        "/requests",
        {
            "contact": {"name": "Bo", "email": "", "phone": "+49 30 2"},
            "source": "web",
            "need": "A price for 50 widgets",
            "value_estimate": {"amount": "500.00", "currency": "EUR"},
        },
    )
    unnamed = await seller.post(f"/requests/{prospect['id']}/quote", content)
    assert (unnamed.status_code, unnamed.json()["errors"][0]["field"]) == (422, "customer_id")
    lost = await seller.post(
        f"/requests/{prospect['id']}/lost", {"reason": "competitor", "note": "cheaper"}
    )
    assert (lost.status_code, lost.json()["status"], lost.json()["lost_reason"]) == (
        200,
        "lost",
        "competitor",
    )

    today = datetime.now(UTC).date().isoformat()
    span = {"from": today, "to": today}
    own = (await seller.get("/reports/lost-demand", **span)).json()
    assert own == {
        "rows": [
            {
                "period": today[:7],
                "reason": "competitor",
                "requests": 1,
                "value": [{"amount": "500.00", "currency": "EUR"}],
            }
        ],
        "totals": [
            {
                "reason": "competitor",
                "requests": 1,
                "value": [{"amount": "500.00", "currency": "EUR"}],
            }
        ],
    }
    everyone = await finance.get("/reports/lost-demand", **span, period="quarter")
    assert everyone.status_code == 200, everyone.text
    assert "competitor" in [t["reason"] for t in everyone.json()["totals"]]
    assert (await finance.get("/requests")).status_code == 403
