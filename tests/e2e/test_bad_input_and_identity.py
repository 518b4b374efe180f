"""The edge refuses what it must, clearly, and changes nothing."""

from __future__ import annotations

import uuid

import httpx

from servicekit.auth import API_AUDIENCE, DEVELOPMENT_ISSUER, development_key, issue_token
from tests.e2e.helpers import Api, new_customer


async def test_requests_without_a_valid_token_are_refused(gateway_url: str) -> None:
    # signed with the published development key: a deployment (this stack is run as one, not in
    # development mode) must not trust it
    forged = issue_token(
        development_key("identity-provider"),
        issuer=DEVELOPMENT_ISSUER,
        audience=API_AUDIENCE,
        subject="mallory",
        roles=("admin",),
        ttl_seconds=600,
    )
    async with httpx.AsyncClient(base_url=f"{gateway_url}/api/v1") as client:
        for headers in ({}, {"Authorization": f"Bearer {forged}"}):
            response = await client.get("/sales-orders", headers=headers)
            assert response.status_code == 401
            assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_role_without_the_right_is_refused(warehouse: Api) -> None:
    response = await warehouse.post(
        "/sales-orders",
        {"customer_id": "C-1", "currency": "EUR", "lines": [{"product_id": "p", "quantity": 1}]},
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_an_unknown_product_is_a_field_error_and_no_order_is_written(admin: Api) -> None:
    customer = await new_customer(admin)
    response = await admin.post(
        "/sales-orders",
        {
            "customer_id": customer,
            "currency": "EUR",
            "lines": [{"product_id": str(uuid.uuid4()), "quantity": 1}],
        },
    )
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in problem["errors"]] == ["lines[0].product_id"]
    listed = (await admin.get("/sales-orders", customer_id=customer)).json()
    assert listed["items"] == []


async def test_a_malformed_body_names_the_field_at_fault(admin: Api) -> None:
    response = await admin.post(
        "/sales-orders",
        {
            "customer_id": "C-1",
            "currency": "EUR",
            "lines": [{"product_id": "p", "quantity": "many"}],
        },
    )
    assert response.status_code == 422
    assert "lines[0].quantity" in [e["field"] for e in response.json()["errors"]]
