"""The purchasing page over a faked gateway: reorder suggestions, RFQ proposals side by side
and their award, purchase orders sent and cancelled."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.web.tests.unit.pages_harness import Harness, csrf, json_answer, sign_in
from web.entrypoints.purchasing import side_by_side, suggestions


def rule(product: str, minimum: int, maximum: int, warehouse: str = "w-1") -> dict[str, Any]:
    return {
        "product_id": product,
        "warehouse_id": warehouse,
        "sku": f"SKU-{product}",
        "minimum": minimum,
        "maximum": maximum,
        "supplier_id": "s-1",
    }


def level(
    product: str, available: int, incoming: int = 0, point: int = 0, warehouse: str = "w-1"
) -> dict[str, Any]:
    return {
        "product_id": product,
        "warehouse_id": warehouse,
        "on_hand": available,
        "reserved": 0,
        "available": available,
        "incoming": incoming,
        "backordered": 0,
        "reorder_point": point,
    }


def eur(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


RFQ = {
    "id": "r-1",
    "title": "Bolts for Q1",
    "status": "open",
    "deadline": "2026-12-20T12:00:00Z",
    "currency": "EUR",
}
COMPARISON = {
    "rfq_id": "r-1",
    "currency": "EUR",
    "offers": [
        {
            "supplier_id": "s-2",
            "supplier_name": "Cheap Bolts",
            "total": eur("90.00"),
            "lead_time_days": 10,
            "terms": "30 days",
            "valid_until": "2027-01-01",
            "cheapest": True,
            "expired": False,
            "lines": [
                {"product_id": "p-1", "sku": "B-1", "quantity": 10, "unit_price": eur("9.00")}
            ],
        },
        {
            "supplier_id": "s-3",
            "supplier_name": "Old Offer Ltd",
            "total": eur("80.00"),
            "lead_time_days": 3,
            "terms": "",
            "valid_until": "2026-11-01",
            "cheapest": False,
            "expired": True,
            "lines": [
                {"product_id": "p-1", "sku": "B-1", "quantity": 10, "unit_price": eur("8.00")},
                {"product_id": "p-2", "sku": "B-2", "quantity": 5, "unit_price": eur("0.00")},
            ],
        },
    ],
    "pending_supplier_ids": ["s-1"],
}


def purchase_order(po_id: str, status: str) -> dict[str, Any]:
    return {
        "id": po_id,
        "number": f"PO-{po_id}",
        "supplier_id": "s-1",
        "warehouse_id": "w-1",
        "status": status,
        "source": "reorder",
        "total": eur("50.00"),
        "expected_on": "2026-12-24",
    }


ROUTES: dict[str, Any] = {
    "/reorder-rules": {"items": [rule("p-1", 5, 20), rule("p-2", 5, 20)]},
    "/stock": {"items": [level("p-1", 2, 1), level("p-2", 9), level("p-3", 1, point=3)]},
    "/suppliers": {"items": [{"id": "s-1", "name": "Bolt & Co"}]},
    "/warehouses": {"items": [{"id": "w-1", "code": "MAIN", "name": "Main"}]},
    "/rfqs": {"items": [RFQ], "next_page_token": ""},
    "/rfqs/r-1/comparison": COMPARISON,
    "/purchase-orders": {
        "items": [
            purchase_order("po-d", "draft"),
            purchase_order("po-s", "sent"),
            purchase_order("po-c", "closed"),
        ],
        "next_page_token": "",
    },
}


async def signed_in(role: str, routes: dict[str, Any] | None = None) -> tuple[Harness, Any]:
    harness = Harness(json_answer(ROUTES | (routes or {})))
    await harness.user("pia", role)
    client = harness.client()
    sign_in(client, "pia")
    return harness, client


def test_a_rule_at_or_below_its_minimum_orders_up_to_its_maximum() -> None:
    found = suggestions(
        [rule("p-1", 5, 20), rule("p-2", 5, 20), rule("p-4", 0, 8)],
        [level("p-1", 2, 1), level("p-2", 9), level("p-3", 1, point=3), level("p-5", 4, point=3)],
    )
    by_product = {s["product_id"]: s for s in found}
    assert by_product["p-1"]["quantity"] == 17  # 20 - (2 available + 1 incoming)
    assert "p-2" not in by_product  # above its minimum
    assert by_product["p-4"]["quantity"] == 8  # no stock level at all: position 0
    assert by_product["p-3"]["rule"] is False  # below its point, no rule
    assert "p-5" not in by_product  # above its point


@given(
    minimum=st.integers(0, 100),
    spread=st.integers(1, 100),
    available=st.integers(-50, 200),
    incoming=st.integers(0, 200),
)
def test_a_suggestion_never_orders_past_the_maximum(
    minimum: int, spread: int, available: int, incoming: int
) -> None:
    found = suggestions([rule("p", minimum, minimum + spread)], [level("p", available, incoming)])
    position = available + incoming
    if position > minimum:
        assert found == []
    else:
        (only,) = found
        assert only["quantity"] == minimum + spread - position
        assert position + only["quantity"] == minimum + spread


def test_proposals_side_by_side_put_each_offers_price_in_its_column() -> None:
    rows = side_by_side(COMPARISON)
    assert [r["product_id"] for r in rows] == ["p-1", "p-2"]
    assert rows[0]["prices"] == [eur("9.00"), eur("8.00")]
    assert rows[1]["prices"] == [None, eur("0.00")]


async def test_purchasing_sees_suggestions_comparisons_and_orders() -> None:
    harness, client = await signed_in("purchasing")
    page = client.get("/purchasing")
    assert page.status_code == 200
    text = page.text
    assert 'id="purchasing"' in text
    reorder = text[text.index('id="reorder-table"') : text.index('id="rfqs"')]
    assert "SKU-p-1" in reorder
    assert '<td class="num">17</td>' in reorder
    assert "SKU-p-2" not in reorder
    assert "no reorder rule" in reorder
    assert "Bolt &amp; Co" in reorder
    rfqs = text[text.index('id="rfqs"') : text.index('id="purchase-orders"')]
    assert "Cheap Bolts (cheapest)" in rfqs
    assert "Old Offer Ltd (expired)" in rfqs
    assert rfqs.index("9.00 EUR") < rfqs.index("8.00 EUR")  # the offers' columns in order
    assert rfqs.count('action="/purchasing/rfqs/r-1/award"') == 1  # not the expired one
    assert 'name="supplier_id" value="s-2"' in rfqs
    assert "Not proposed yet: Bolt &amp; Co." in rfqs
    orders = text[text.index('id="po-table"') :]
    assert 'action="/purchasing/purchase-orders/po-d/send"' in orders
    assert 'action="/purchasing/purchase-orders/po-s/send"' not in orders
    assert 'action="/purchasing/purchase-orders/po-s/cancel"' in orders
    assert 'action="/purchasing/purchase-orders/po-c/cancel"' not in orders
    rfq_list = next(c for c in harness.calls if c.url.path.endswith("/rfqs"))
    assert dict(rfq_list.url.params) == {"status": "open", "page_size": "50"}


async def test_the_purchase_orders_are_filtered_by_a_known_status_only() -> None:
    harness, client = await signed_in("purchasing")
    client.get("/purchasing", params={"po_status": "draft"})
    client.get("/purchasing", params={"po_status": "<script>"})
    asked = [c for c in harness.calls if c.url.path.endswith("/purchase-orders")]
    assert [dict(c.url.params) for c in asked] == [
        {"status": "draft", "page_size": "50"},
        {"page_size": "50"},
    ]


async def test_awarding_a_proposal_makes_a_draft_purchase_order() -> None:
    award = {"rfq": RFQ | {"status": "awarded"}, "purchase_order": purchase_order("po-9", "draft")}
    harness, client = await signed_in("purchasing", {"/rfqs/r-1/award": award})
    token = csrf(client.get("/purchasing"))
    answer = client.post(
        "/purchasing/rfqs/r-1/award", data={"csrf_token": token, "supplier_id": "s-2"}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/purchasing?done=Awarded:+draft+purchase+order+PO-po-9"
    (posted,) = [c for c in harness.calls if c.method == "POST"]
    assert posted.headers["idempotency-key"]
    assert json.loads(posted.content) == {"supplier_id": "s-2"}


async def test_a_purchase_order_is_sent_and_another_cancelled_with_its_reason() -> None:
    routes = {
        "/purchase-orders/po-d/send": purchase_order("po-d", "sent"),
        "/purchase-orders/po-s/cancel": purchase_order("po-s", "cancelled"),
    }
    harness, client = await signed_in("purchasing", routes)
    token = csrf(client.get("/purchasing"))
    sent = client.post("/purchasing/purchase-orders/po-d/send", data={"csrf_token": token})
    assert sent.headers["location"] == "/purchasing?done=Sent+PO-po-d"
    cancelled = client.post(
        "/purchasing/purchase-orders/po-s/cancel",
        data={"csrf_token": token, "reason": "supplier cannot deliver"},
    )
    assert cancelled.headers["location"] == "/purchasing?done=Cancelled+PO-po-s"
    first, second = [c for c in harness.calls if c.method == "POST"]
    assert first.url.path == "/api/v1/purchase-orders/po-d/send"
    assert json.loads(first.content) == {}
    assert json.loads(second.content) == {"reason": "supplier cannot deliver"}


async def test_a_refused_award_is_explained_on_the_page() -> None:
    problem = {"detail": "the proposal has expired", "errors": []}
    _, client = await signed_in("purchasing", {"/rfqs/r-1/award": (409, problem)})
    token = csrf(client.get("/purchasing"))
    answer = client.post(
        "/purchasing/rfqs/r-1/award", data={"csrf_token": token, "supplier_id": "s-3"}
    )
    assert answer.status_code == 409
    assert "the proposal has expired" in answer.text
    assert 'id="purchasing"' in answer.text


async def test_parts_the_gateway_refuses_are_messages_and_the_rest_stands() -> None:
    routes = {
        "/reorder-rules": (403, {"detail": "no"}),
        "/rfqs/r-1/comparison": (404, {"detail": "no such RFQ"}),
    }
    _, client = await signed_in("admin", routes)
    page = client.get("/purchasing")
    assert page.status_code == 200
    assert "Not shown: not available to your role." in page.text
    assert "Not shown: no such RFQ." in page.text
    assert "PO-po-d" in page.text


@pytest.mark.parametrize("role", ["sales", "sales-manager", "order-desk", "warehouse", "finance"])
async def test_other_roles_are_refused_purchasing(role: str) -> None:
    harness, client = await signed_in(role)
    assert client.get("/purchasing").status_code == 403
    token = csrf(client.get("/account"))
    answer = client.post("/purchasing/purchase-orders/po-d/send", data={"csrf_token": token})
    assert answer.status_code == 403
    assert harness.calls == []


async def test_a_change_without_the_csrf_token_is_refused() -> None:
    harness, client = await signed_in("purchasing")
    client.get("/purchasing")
    for path in ("/purchasing/purchase-orders/po-d/send", "/purchasing/rfqs/r-1/award"):
        assert client.post(path, data={"csrf_token": "forged"}).status_code == 403
    assert [c for c in harness.calls if c.method == "POST"] == []
