"""The edge refuses what it must, clearly, and changes nothing."""

from __future__ import annotations

import uuid

from tests.e2e.helpers import Api


async def test_requests_without_a_valid_token_are_refused(gateway_url: str) -> None:
    anonymous = Api(gateway_url, "a-secret-that-is-not-the-gateways-own-secret", "mallory", "admin")
    try:
        response = await anonymous.get("/sales-orders")
    finally:
        await anonymous.aclose()
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
    customer = f"C-{uuid.uuid4().hex[:8]}"
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
