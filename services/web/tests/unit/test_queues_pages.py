"""The work queues over a faked gateway: each role sees its queues, each row its way to be
worked, each queue the gateway cannot give says why."""

from __future__ import annotations

import json
from typing import Any

import pytest

from services.web.tests.unit.pages_harness import Harness, csrf, json_answer, sign_in

MONEY = {"amount": "900.00", "currency": "EUR"}
HELD = {
    "id": "o-held",
    "customer_id": "c-1",
    "status": "approval",
    "total": MONEY,
    "credit_hold": "exposure 12000.00 EUR over the limit 10000.00 EUR",
}
NOT_HELD = HELD | {"id": "o-free", "credit_hold": ""}
QUOTE = {
    "id": "q-1",
    "number": "Q-2026-000007",
    "salesperson": "sam",
    "total": MONEY,
    "approval": {"status": "pending", "reason": "line 2: 35% off is above the 20%"},
}
STALLED = {
    "order_id": "o-stuck",
    "quote_id": "",
    "step": "StockReserved",
    "reason": "inventory did not answer",
    "status": "stalled",
    "stalled_at": "2026-12-01T08:00:00Z",
    "attempts": 1,
    "retried_by": "olga",
}
BILL = {
    "id": "b-1",
    "purchase_order_number": "PO-2026-000003",
    "supplier_reference": "INV-77",
    "total": MONEY,
    "status": "held",
    "reason": "price differs from the order",
    "recorded_by": "fran",
    "dual_control": True,
}
PARKED = {
    "store_id": "shop-eu",
    "woo_order_id": 727,
    "number": "W-727",
    "state": "parked",
    "why": "unknown SKU: line 2: MUG-BLUE",
    "sales_order_id": "",
    "received_at": "2026-12-01T09:30:00Z",
    "currency": "EUR",
    "total": "133.58",
}
OVERDUE = {
    "id": "t-1",
    "subject_type": "sales_order",
    "subject_id": "o-held",
    "title": "Ring the customer",
    "assignee": "me",
    "due_date": "2026-12-01",
    "status": "open",
    "overdue": True,
}
LETTER = {
    "service": "billing",
    "event_id": "e-1",
    "event_type": "oms.orders.OrderConfirmed.v1",
    "topic": "oms.orders.order.v1",
    "partition": 2,
    "offset": 4711,
    "key": "o-held",
    "group": "oms.billing",
    "error": "IntegrityError [23505]: duplicate key value",
    "error_class": "IntegrityError",
    "sqlstate": "23505",
    "attempts": 2,
    "at": "2026-12-01T08:00:00Z",
}
ROUTES: dict[str, Any] = {
    "/tasks": {"items": [OVERDUE], "next_page_token": ""},
    "/sales-orders": {"items": [HELD, NOT_HELD], "totals": [], "next_page_token": ""},
    "/quotes": {"items": [QUOTE], "next_page_token": ""},
    "/sales-orders/stalled": {"items": [STALLED], "next_page_token": ""},
    "/bills": {"items": [BILL], "next_page_token": ""},
    "/store-orders": {"items": [PARKED], "next_page_token": ""},
    "/customers": {"items": [{"id": "c-1", "name": "Acme"}], "next_page_token": ""},
    "/dead-letters": {"items": [LETTER], "missing": ["procurement"]},
}


async def signed_in(role: str, routes: dict[str, Any] | None = None) -> tuple[Harness, Any]:
    harness = Harness(json_answer(ROUTES | (routes or {})))
    await harness.user("pat", role)
    client = harness.client()
    sign_in(client, "pat")
    return harness, client


def asked(harness: Harness) -> dict[str, dict[str, str]]:
    return {c.url.path.removeprefix("/api/v1"): dict(c.url.params) for c in harness.calls}


async def test_finance_sees_credit_holds_and_held_bills_to_release() -> None:
    harness, client = await signed_in("finance")
    page = client.get("/queues")
    assert page.status_code == 200
    text = page.text
    assert 'id="queues"' in text
    assert "Orders on credit hold (1)" in text
    assert "exposure 12000.00 EUR" in text
    assert "<td>Acme</td>" in text
    assert "o-free" not in text
    assert 'action="/queues/credit-holds/o-held/release"' in text
    assert 'href="/orders/o-held"' not in text  # finance does not open the order desk
    assert "Supplier bills held for release (1)" in text
    assert "(a second person releases it)" in text
    assert 'action="/queues/bills/b-1/release"' in text
    assert "Discounts waiting" not in text
    assert "Stalled saga steps" not in text
    assert "My overdue tasks (1)" in text
    calls = asked(harness)
    assert calls["/tasks"] == {
        "assignee": "me",
        "status": "open",
        "overdue": "true",
        "page_size": "100",
    }
    assert calls["/sales-orders"] == {"status": "approval", "page_size": "100"}
    assert calls["/bills"] == {"status": "held", "page_size": "100"}


async def test_the_order_desk_sees_stalled_steps_and_holds_linked_to_the_order() -> None:
    harness, client = await signed_in("order-desk")
    text = client.get("/queues").text
    assert "Stalled saga steps (1)" in text
    assert "inventory did not answer" in text
    assert 'action="/queues/stalled/o-stuck/retry"' in text
    assert 'href="/orders/o-held"' in text
    assert "Finance releases it" in text
    assert 'action="/queues/credit-holds/o-held/release"' not in text
    assert "/bills" not in asked(harness)


async def test_the_order_desk_sees_the_parked_store_orders_to_retry() -> None:
    harness, client = await signed_in("order-desk")
    text = client.get("/queues").text
    assert "Parked store orders (1)" in text
    assert "<td>shop-eu</td><td>W-727</td><td>unknown SKU: line 2: MUG-BLUE</td>" in text
    assert "<td>2026-12-01 09:30</td>" in text
    assert 'action="/queues/store-orders/shop-eu/727/retry"' in text
    assert asked(harness)["/store-orders"] == {"state": "parked", "page_size": "100"}


@pytest.mark.parametrize("role", ["finance", "sales-manager", "sales", "warehouse", "purchasing"])
async def test_other_roles_do_not_get_the_parked_store_orders(role: str) -> None:
    harness, client = await signed_in(role)
    assert "Parked store orders" not in client.get("/queues").text
    assert "/store-orders" not in asked(harness)


async def test_parked_store_orders_the_connector_cannot_give_say_why() -> None:
    routes = {"/store-orders": (503, {"detail": "woocommerce is down"})}
    _, client = await signed_in("admin", routes)
    page = client.get("/queues")
    assert page.status_code == 200
    assert "Not shown: the gateway could not answer (woocommerce is down)." in page.text
    assert "Stalled saga steps (1)" in page.text


async def test_the_order_desk_retries_a_parked_store_order() -> None:
    retried = {"order": PARKED | {"state": "received", "why": ""}, "outcome": "taken up again"}
    harness, client = await signed_in("order-desk", {"/store-orders/shop-eu/727/retry": retried})
    token = csrf(client.get("/queues"))
    answer = client.post("/queues/store-orders/shop-eu/727/retry", data={"csrf_token": token})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/queues?done=Retried+store+order+shop-eu+727"
    (posted,) = [c for c in harness.calls if c.method == "POST"]
    assert posted.url.path == "/api/v1/store-orders/shop-eu/727/retry"


async def test_a_store_order_with_nothing_to_retry_is_explained_on_the_queues() -> None:
    problem = {"detail": "nothing to retry (mapped, in sync)", "errors": []}
    _, client = await signed_in("order-desk", {"/store-orders/shop-eu/727/retry": (409, problem)})
    token = csrf(client.get("/queues"))
    answer = client.post("/queues/store-orders/shop-eu/727/retry", data={"csrf_token": token})
    assert answer.status_code == 409
    assert "nothing to retry (mapped, in sync)" in answer.text
    assert "Parked store orders (1)" in answer.text


async def test_a_sales_manager_sees_the_discounts_waiting_for_approval() -> None:
    harness, client = await signed_in("sales-manager")
    text = client.get("/queues").text
    assert "Discounts waiting for my approval (1)" in text
    assert "Q-2026-000007" in text
    assert "35% off" in text
    assert 'name="decision" value="approve"' in text
    assert asked(harness)["/quotes"] == {"approval": "pending", "page_size": "100"}


async def test_a_filter_the_gateway_does_not_know_yet_is_not_available() -> None:
    problem = {"detail": "the request does not match its schema", "errors": []}
    _, client = await signed_in("sales-manager", {"/quotes": (422, problem)})
    page = client.get("/queues")
    assert page.status_code == 200
    assert "Not shown: not available." in page.text


async def test_a_queue_the_gateway_refuses_or_cannot_give_says_why_and_the_rest_stands() -> None:
    routes = {
        "/sales-orders/stalled": (403, {"detail": "no"}),
        "/sales-orders": (503, {"detail": "orders is down"}),
        "/tasks": (404, {"detail": "Not Found"}),
    }
    _, client = await signed_in("admin", routes)
    page = client.get("/queues")
    assert page.status_code == 200
    text = page.text
    assert "Not shown: not available to your role." in text
    assert "Not shown: the gateway could not answer (orders is down)." in text
    assert "Not shown: not available." in text
    assert "Supplier bills held for release (1)" in text


async def test_without_customer_names_the_hold_shows_the_customers_id() -> None:
    _, client = await signed_in("order-desk", {"/customers": (403, {"detail": "no"})})
    page = client.get("/queues")
    assert page.status_code == 200
    assert "<td>c-1</td>" in page.text


async def test_a_role_without_queues_sees_only_its_tasks() -> None:
    harness, client = await signed_in("warehouse")
    page = client.get("/queues")
    assert page.status_code == 200
    assert list(asked(harness)) == ["/tasks"]


async def test_finance_releases_a_credit_hold_by_moving_the_order_on() -> None:
    harness, client = await signed_in("finance", {"/sales-orders/o-held/transitions": HELD})
    token = csrf(client.get("/queues"))
    answer = client.post(
        "/queues/credit-holds/o-held/release", data={"csrf_token": token, "note": "paid by wire"}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/queues?done=Released+order+o-held"
    (posted,) = [c for c in harness.calls if c.method == "POST"]
    assert posted.url.path == "/api/v1/sales-orders/o-held/transitions"
    assert json.loads(posted.content) == {
        "to_stage": "execution",
        "release_credit_hold": True,
        "reason": "paid by wire",
    }


async def test_a_sales_manager_approves_or_rejects_a_discount() -> None:
    harness, client = await signed_in("sales-manager", {"/quotes/q-1/approval": QUOTE})
    token = csrf(client.get("/queues"))
    for decision in ("approve", "reject"):
        form = {"csrf_token": token, "decision": decision, "note": "ok"}
        assert client.post("/queues/approvals/q-1", data=form).status_code == 303
    bodies = [json.loads(c.content) for c in harness.calls if c.method == "POST"]
    assert bodies == [{"decision": "approve", "note": "ok"}, {"decision": "reject", "note": "ok"}]
    odd = client.post("/queues/approvals/q-1", data={"csrf_token": token, "decision": "maybe"})
    assert odd.status_code == 400
    assert len([c for c in harness.calls if c.method == "POST"]) == 2


async def test_the_order_desk_retries_a_stalled_order() -> None:
    harness, client = await signed_in("order-desk", {"/sales-orders/o-stuck/retry": [STALLED]})
    token = csrf(client.get("/queues"))
    answer = client.post("/queues/stalled/o-stuck/retry", data={"csrf_token": token})
    assert answer.status_code == 303
    (posted,) = [c for c in harness.calls if c.method == "POST"]
    assert posted.url.path == "/api/v1/sales-orders/o-stuck/retry"


async def test_a_release_the_gateway_refuses_is_explained_on_the_queues() -> None:
    problem = {"detail": "a second finance user releases this bill", "errors": []}
    _, client = await signed_in("finance", {"/bills/b-1/release": (403, problem)})
    token = csrf(client.get("/queues"))
    answer = client.post("/queues/bills/b-1/release", data={"csrf_token": token, "note": ""})
    assert answer.status_code == 403
    assert "a second finance user releases this bill" in answer.text
    assert "Supplier bills held for release (1)" in answer.text


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("order-desk", "/queues/credit-holds/o-held/release"),
        ("sales", "/queues/approvals/q-1"),
        ("finance", "/queues/stalled/o-stuck/retry"),
        ("sales-manager", "/queues/store-orders/shop-eu/727/retry"),
        ("purchasing", "/queues/bills/b-1/release"),
    ],
)
async def test_a_role_acts_only_on_the_queues_it_works(role: str, path: str) -> None:
    harness, client = await signed_in(role)
    token = csrf(client.get("/queues"))
    answer = client.post(path, data={"csrf_token": token, "decision": "approve"})
    assert answer.status_code == 403
    assert "does not work this queue" in answer.text
    assert [c for c in harness.calls if c.method == "POST"] == []


async def test_a_change_without_the_csrf_token_is_refused() -> None:
    harness, client = await signed_in("finance")
    client.get("/queues")
    answer = client.post("/queues/bills/b-1/release", data={"csrf_token": "forged"})
    assert answer.status_code == 403
    assert [c for c in harness.calls if c.method == "POST"] == []


async def test_an_admin_sees_the_dead_letters_and_who_did_not_answer() -> None:
    harness, client = await signed_in("admin")
    text = client.get("/queues").text
    assert "Dead letters (1)" in text
    assert "IntegrityError [23505]: duplicate key value" in text
    assert "oms.orders.order.v1@2:4711" in text
    assert "oms.billing" in text
    assert 'action="/queues/dead-letters/billing/e-1/redrive"' in text
    assert 'action="/queues/dead-letters/billing/e-1/resolve"' in text
    assert "Not shown: the dead letters of procurement (no answer)." in text
    assert "/dead-letters" in asked(harness)


@pytest.mark.parametrize("role", ["order-desk", "finance", "sales-manager", "purchasing"])
async def test_only_admins_have_the_dead_letters_queue(role: str) -> None:
    harness, client = await signed_in(role)
    assert "Dead letters" not in client.get("/queues").text
    assert "/dead-letters" not in asked(harness)
    token = csrf(client.get("/queues"))
    for action in ("redrive", "resolve"):
        answer = client.post(
            f"/queues/dead-letters/billing/e-1/{action}", data={"csrf_token": token}
        )
        assert answer.status_code == 403
    assert [c for c in harness.calls if c.method == "POST"] == []


async def test_an_admin_redrives_and_resolves_a_dead_letter() -> None:
    routes = {
        "/dead-letters/billing/e-1/redrive": {"redriven": ["e-0", "e-1"], "failed_again": ["e-1"]},
        "/dead-letters/billing/e-2/resolve": {"resolved": 1},
    }
    harness, client = await signed_in("admin", routes)
    token = csrf(client.get("/queues"))
    redriven = client.post("/queues/dead-letters/billing/e-1/redrive", data={"csrf_token": token})
    assert redriven.status_code == 303
    assert "failed+again" in redriven.headers["location"]
    resolved = client.post(
        "/queues/dead-letters/billing/e-2/resolve", data={"csrf_token": token, "note": "obsolete"}
    )
    assert resolved.status_code == 303
    assert resolved.headers["location"] == "/queues?done=Resolved+event+e-2"
    posted = [(c.url.path, json.loads(c.content)) for c in harness.calls if c.method == "POST"]
    assert posted == [
        ("/api/v1/dead-letters/billing/e-1/redrive", {}),
        ("/api/v1/dead-letters/billing/e-2/resolve", {"note": "obsolete"}),
    ]


async def test_a_redrive_the_service_refuses_is_explained_on_the_queues() -> None:
    problem = {"detail": "e-1 is past retention: its owner must publish the change again"}
    routes = {"/dead-letters/billing/e-1/redrive": (409, problem)}
    _, client = await signed_in("admin", routes)
    token = csrf(client.get("/queues"))
    answer = client.post("/queues/dead-letters/billing/e-1/redrive", data={"csrf_token": token})
    assert answer.status_code == 409
    assert "past retention" in answer.text
    assert "Dead letters (1)" in answer.text


async def test_a_dead_letter_action_without_the_csrf_token_is_refused() -> None:
    harness, client = await signed_in("admin")
    client.get("/queues")
    answer = client.post("/queues/dead-letters/billing/e-1/redrive", data={"csrf_token": "x"})
    assert answer.status_code == 403
    assert [c for c in harness.calls if c.method == "POST"] == []
