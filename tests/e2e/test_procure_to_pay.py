"""Procure to pay end to end, through the gateway: low stock drafts a purchase order; an RFQ to
two suppliers is compared and awarded, and its purchase order is sent, received in two parts,
billed with three-way matching and paid."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.helpers import Api, eventually


@pytest.fixture
async def buyer(gateway_url: str) -> AsyncIterator[Api]:
    roles = ("purchasing", "warehouse", "finance", "order-desk", "sales")
    api = Api(gateway_url, "e2e-buyer", *roles)
    yield api
    await api.aclose()


async def _product(api: Api, name: str = "Screw") -> dict[str, Any]:
    body = {
        "sku": f"P-{uuid.uuid4().hex[:8]}",
        "name": name,
        "list_price": {"amount": "2.00", "currency": "EUR"},
    }
    return await api.created("/products", body)


async def _supplier(api: Api, name: str) -> dict[str, Any]:
    body = {"name": name, "currency": "EUR", "payment_terms": "30 days net", "rating": 4}
    return await api.created("/suppliers", body)


async def _warehouse(api: Api) -> dict[str, Any]:
    return await api.created("/warehouses", {"code": f"P{uuid.uuid4().hex[:6]}", "name": "Dock"})


async def _purchase_order(api: Api, order_id: str) -> dict[str, Any]:
    response = await api.get(f"/purchase-orders/{order_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def test_stock_falling_below_the_reorder_point_drafts_a_purchase_order(buyer: Api) -> None:
    product, warehouse = await _product(buyer), await _warehouse(buyer)
    supplier = await _supplier(buyer, "Fasteners Ltd")
    rule = await buyer.client.put(
        "/reorder-rules",
        json={
            "product_id": product["id"],
            "warehouse_id": warehouse["id"],
            "minimum": 10,
            "maximum": 50,
            "supplier_id": supplier["id"],
            "unit_price": {"amount": "0.80", "currency": "EUR"},
        },
    )
    assert rule.status_code in (200, 201), rule.text

    async def adjust(delta: int) -> None:
        adjusted = await buyer.post(
            "/stock/adjustments",
            {
                "warehouse_id": warehouse["id"],
                "product_id": product["id"],
                "quantity_delta": delta,
                "reason": "count",
            },
        )
        assert adjusted.status_code in (200, 201), adjusted.text

    await adjust(30)
    point = await buyer.client.put(
        "/stock/reorder-points",
        json={"product_id": product["id"], "warehouse_id": warehouse["id"], "reorder_point": 10},
    )
    assert point.status_code == 200, point.text
    await adjust(-24)  # 6 left: below the reorder point
    drafts = await eventually(
        lambda: buyer.get("/purchase-orders", status="draft", supplier_id=supplier["id"]),
        lambda r: len(r.json()["items"]) == 1,
        seconds=60,
    )
    (draft,) = drafts.json()["items"]
    assert (draft["source"], draft["warehouse_id"]) == ("reorder", warehouse["id"])
    assert [(x["product_id"], x["quantity"]) for x in draft["lines"]] == [(product["id"], 44)]


async def test_an_rfq_is_compared_awarded_received_in_two_parts_billed_and_paid(
    buyer: Api,
) -> None:
    product, warehouse = await _product(buyer, "Bolt"), await _warehouse(buyer)
    dear, cheap = await _supplier(buyer, "Dear GmbH"), await _supplier(buyer, "Cheap SA")
    rfq = await buyer.created(
        "/rfqs",
        {
            "title": "Bolts for Q1",
            "currency": "EUR",
            "warehouse_id": warehouse["id"],
            "deadline": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
            "supplier_ids": [dear["id"], cheap["id"]],
            "lines": [{"product_id": product["id"], "quantity": 100}],
        },
    )
    valid_until = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    for supplier, price, days in ((dear, "1.40", 3), (cheap, "1.20", 10)):
        proposed = await buyer.post(
            f"/rfqs/{rfq['id']}/proposals",
            {
                "supplier_id": supplier["id"],
                "lead_time_days": days,
                "valid_until": valid_until,
                "lines": [
                    {
                        "product_id": product["id"],
                        "unit_price": {"amount": price, "currency": "EUR"},
                    }
                ],
            },
        )
        assert proposed.status_code in (200, 201), proposed.text
    comparison = (await buyer.get(f"/rfqs/{rfq['id']}/comparison")).json()
    assert [
        (o["supplier_id"], o["total"]["amount"], o["cheapest"]) for o in comparison["offers"]
    ] == [
        (cheap["id"], "120.00", True),
        (dear["id"], "140.00", False),
    ]
    award = await buyer.created(f"/rfqs/{rfq['id']}/award", {"supplier_id": cheap["id"]})
    order = award["purchase_order"]
    assert (order["status"], order["total"]["amount"]) == ("draft", "120.00")
    sent = await buyer.post(f"/purchase-orders/{order['id']}/send", {})
    assert sent.status_code == 200, sent.text

    for quantity in (60, 40):
        received = await buyer.post(
            "/receipts",
            {
                "warehouse_id": warehouse["id"],
                "purchase_order_id": order["id"],
                "lines": [{"product_id": product["id"], "quantity": quantity}],
            },
        )
        assert received.status_code == 201, received.text
        status = "partially_received" if quantity == 60 else "received"
        await eventually(
            lambda: _purchase_order(buyer, order["id"]),
            lambda found, status=status: found["status"] == status,
            seconds=60,
        )
    stock = (await buyer.get("/stock", product_id=product["id"])).json()["items"]
    assert [(s["on_hand"], s["incoming"]) for s in stock] == [(100, 0)]

    def bill(quantity: int, price: str, currency: str = "EUR") -> dict[str, Any]:
        return {
            "purchase_order_id": order["id"],
            "supplier_id": cheap["id"],
            "supplier_reference": f"CS-{uuid.uuid4().hex[:6]}",
            "currency": currency,
            "lines": [{"product_id": product["id"], "quantity": quantity, "unit_price": price}],
        }

    # bad bills are refused with the field at fault, and leave nothing behind
    for body, field in (
        (bill(120, "1.20"), "lines[0].quantity"),
        (bill(100, "1.20", "USD"), "currency"),
    ):
        refused = await buyer.post("/bills", body)
        assert refused.status_code == 422, refused.text
        assert field in [e["field"] for e in refused.json()["errors"]]
    assert (await buyer.get("/bills", purchase_order_id=order["id"])).json()["items"] == []

    # billed at 1.30 where 1.20 was ordered: held with the reason, until finance releases it
    held = await buyer.created("/bills", bill(100, "1.30"))
    assert (held["match_status"], held["status"]) == ("held", "held")
    assert "price" in held["reason"]
    aging = (await buyer.get("/reports/ap-aging")).json()
    (line,) = [x for x in aging["suppliers"] if x["party_id"] == cheap["id"]]
    assert line["buckets"]["total"] == held["total"]
    released = await buyer.post(f"/bills/{held['id']}/release", {})
    assert released.status_code == 200, released.text
    await eventually(
        lambda: _purchase_order(buyer, order["id"]),
        lambda found: found["status"] == "billed",
        seconds=60,
    )
    paid = await buyer.post(
        "/payments-sent",
        {
            "supplier_id": cheap["id"],
            "amount": held["total"],
            "paid_on": datetime.now(UTC).date().isoformat(),
            "allocations": [{"bill_id": held["id"], "amount": held["total"]}],
        },
    )
    assert paid.status_code == 201, paid.text
    await eventually(
        lambda: _purchase_order(buyer, order["id"]),
        lambda found: found["status"] == "closed",
        seconds=60,
    )
