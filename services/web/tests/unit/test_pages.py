"""The pages over a faked gateway: what they ask of it, as whom, and what they show, errors
included."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from servicekit.auth import InvalidToken, SigningKey, TokenVerifier, UnsafeKey, development_key
from services.web.tests.unit.pages_harness import Harness, csrf, fresh_key, json_answer, sign_in
from web.adapters.tokens import UserTokens
from web.bootstrap import user_tokens
from web.config import Settings
from web.domain.users import User, UserId

MONEY = {"amount": "37.50", "currency": "EUR"}
ORDER: dict[str, Any] = {
    "id": "o-1",
    "customer_id": "c-1",
    "status": "invoiced",
    "status_reason": "",
    "currency": "EUR",
    "channel": "direct",
    "lines": [
        {
            "id": "l-1",
            "sku": "SKU-1",
            "product_id": "p-1",
            "quantity": 3,
            "reserved": 0,
            "backordered": 0,
            "shipped": 3,
            "unit_price": {"amount": "12.50", "currency": "EUR"},
            "line_total": MONEY,
        }
    ],
    "total": MONEY,
    "created_at": "2026-03-01T09:00:00Z",
    "order_type": "standard",
    "salesperson": "sam",
    "team": "north",
    "stock_status": "shipped",
    "estimated_cost": "",
    "next_stages": ["closed"],
    "credit_hold": "",
}
SUMMARY = {
    "order": ORDER,
    "shipments": [
        {
            "id": "s-1",
            "status": "dispatched",
            "carrier": "DHL",
            "tracking_number": "1Z999",
            "lines": [{"line_id": "l-1", "product_id": "p-1", "quantity": 3}],
        }
    ],
    "invoices": [
        {
            "id": "i-1",
            "number": "INV-1",
            "status": "open",
            "issued_at": "2026-03-02",
            "total": MONEY,
        }
    ],
    "missing": [],
}


def verified(harness: Harness, request: httpx.Request) -> Any:
    token = request.headers["authorization"].removeprefix("Bearer ")
    return TokenVerifier(harness.key.key_set(), "test-idp", "oms-api").verify(token)


async def test_the_gateway_is_called_with_the_users_own_token() -> None:
    page = {"items": [ORDER], "totals": [{"currency": "EUR", "orders": 1, "total": MONEY}]}
    harness = Harness(json_answer({"/sales-orders": page | {"next_page_token": ""}}))
    await harness.user("sam", "sales", team="north")
    client = harness.client()
    sign_in(client, "sam")
    answer = client.get("/orders", params={"status": "invoiced", "channel": "direct", "x": "y"})
    assert answer.status_code == 200
    assert "37.50 EUR" in answer.text
    assert "/orders/o-1" in answer.text
    (call,) = harness.calls
    assert dict(call.url.params) == {"status": "invoiced", "channel": "direct", "page_size": "50"}
    principal = verified(harness, call)
    assert (principal.subject, principal.roles, principal.team) == ("sam", ("sales",), "north")


def test_a_token_names_the_user_expires_soon_and_is_reused() -> None:
    key = fresh_key()
    tokens = UserTokens(key, "web-idp", "oms-api", 120)
    user = User(UserId("u"), "pat", "finance", "", "h", True, None)  # type: ignore[arg-type]
    token = tokens.token_for(user)
    assert tokens.token_for(user) == token
    verifier = TokenVerifier(key.key_set(), "web-idp", "oms-api")
    assert verifier.verify(token).roles == ("finance",)
    other = TokenVerifier(fresh_key().key_set(), "web-idp", "oms-api")
    with pytest.raises(InvalidToken):
        other.verify(token)
    import jwt

    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 120
    assert claims["sub"] == "pat"
    assert "team" not in claims


def test_no_key_or_a_development_key_outside_development_mode_is_refused(tmp_path: Any) -> None:
    with pytest.raises(UnsafeKey):
        user_tokens(Settings(database_url="x"))
    pem = tmp_path / "dev.pem"
    from cryptography.hazmat.primitives import serialization

    private = development_key("identity-provider").private
    pem.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(UnsafeKey):
        user_tokens(Settings(database_url="x", signing_key_file=str(pem)))
    in_development = user_tokens(Settings(database_url="x", development_mode=True))
    assert in_development.key.kid == development_key("identity-provider").kid
    mine = tmp_path / "mine.pem"
    mine.write_bytes(
        fresh_key().private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    assert isinstance(
        user_tokens(Settings(database_url="x", signing_key_file=str(mine))).key, SigningKey
    )


async def test_order_360_shows_every_part_and_says_what_is_not_available() -> None:
    routes: dict[str, Any] = {
        "/sales-orders/o-1/summary": SUMMARY,
        "/sales-orders/o-1/history": {
            "items": [
                {
                    "from_status": "",
                    "to_status": "execution",
                    "reason": "",
                    "actor": "sam",
                    "at": "2026-03-01T09:00",
                }
            ],
            "next_page_token": "",
        },
        "/reservations": {
            "lines": [
                {
                    "line_id": "l-1",
                    "allocations": [
                        {"warehouse_id": "w-1", "reserved": 3, "consumed": 3, "released": 0}
                    ],
                }
            ]
        },
        "/payments": (403, {"detail": "finance only"}),
        "/credit-notes": {"items": [], "next_page_token": ""},
        "/reports/order-costs": {
            "items": [
                {
                    "order_id": "o-1",
                    "currency": "EUR",
                    "estimated": "21.00",
                    "actual": "23.50",
                    "variance": "2.50",
                    "items": [{"kind": "shipping", "amount": "2.50", "description": "courier"}],
                }
            ]
        },
        "/sales-orders/o-1/timeline": {
            "items": [
                {
                    "at": "2026-03-01T09:00:00Z",
                    "service": "orders",
                    "event_type": "SalesOrderPlaced",
                    "summary": "placed by sam",
                    "actor": "sam",
                }
            ]
        },
    }
    harness = Harness(json_answer(routes))
    await harness.user("olga", "order-desk")
    client = harness.client()
    sign_in(client, "olga")
    page = client.get("/orders/o-1")
    assert page.status_code == 200
    text = page.text
    assert "1Z999" in text
    assert "INV-1" in text
    assert "SKU-1" in text
    assert "placed by sam" in text  # the timeline, answered
    assert "variance 2.50" in text
    assert "courier" in text
    assert "Not shown: not available to your role" in text  # payments: 403
    assert "Not shown: not available." in text  # tasks: 404 until the API exists
    assert 'value="closed"' in text or "<option>closed</option>" in text
    tasks = next(c for c in harness.calls if c.url.path.endswith("/tasks"))
    assert dict(tasks.url.params) == {
        "subject_type": "sales_order",
        "subject_id": "o-1",
        "page_size": "100",
    }


async def test_a_gateway_that_cannot_answer_is_a_page_not_a_crash() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    harness = Harness(down)
    await harness.user("olga", "order-desk")
    client = harness.client()
    sign_in(client, "olga")
    answer = client.get("/orders/o-1")
    assert answer.status_code == 503
    assert "cannot be reached" in answer.text
    assert "<h1>" in answer.text


async def test_a_payment_across_two_invoices_is_sent_as_one_with_allocations() -> None:
    invoices = {
        "items": [
            {
                "id": "i-2",
                "number": "INV-2",
                "customer_id": "c-1",
                "balance": {"amount": "20.00", "currency": "EUR"},
                "total": MONEY,
                "due_date": None,
            },
            {
                "id": "i-1",
                "number": "INV-1",
                "customer_id": "c-1",
                "balance": {"amount": "37.50", "currency": "EUR"},
                "total": MONEY,
                "due_date": None,
            },
            {
                "id": "i-9",
                "number": "INV-9",
                "customer_id": "c-2",
                "balance": MONEY,
                "total": MONEY,
                "due_date": None,
            },
            {
                "id": "i-0",
                "number": "INV-0",
                "customer_id": "c-1",
                "balance": {"amount": "0.00", "currency": "EUR"},
                "total": MONEY,
                "due_date": None,
            },
        ],
        "next_page_token": "",
    }
    bucket = {"amount": "10.00", "currency": "EUR"}
    routes: dict[str, Any] = {
        "/customers": {"items": [{"id": "c-1", "name": "Acme"}], "next_page_token": ""},
        "/invoices": invoices,
        "/reports/ar-aging": {
            "as_of": "2026-03-10",
            "customers": [],
            "totals": [
                {
                    "currency": "EUR",
                    "buckets": dict.fromkeys(
                        (
                            "current",
                            "days_1_30",
                            "days_31_60",
                            "days_61_90",
                            "days_over_90",
                            "total",
                        ),
                        bucket,
                    ),
                }
            ],
        },
        "/reports/revenue": {
            "rows": [
                {
                    "period": "2026-03",
                    "channel": "web",
                    "invoiced": MONEY,
                    "credited": MONEY,
                    "net": MONEY,
                }
            ]
        },
        "/payments": {"id": "pay-1"},
    }
    routes["/reports/ap-aging"] = {
        "as_of": "2026-03-10",
        "suppliers": [{**routes["/reports/ar-aging"]["totals"][0], "party_id": "s-1"}],
        "totals": routes["/reports/ar-aging"]["totals"],
    }
    harness = Harness(json_answer(routes))
    await harness.user("fran", "finance")
    client = harness.client()
    sign_in(client, "fran")
    page = client.get("/finance", params={"customer_id": "c-1"})
    assert page.status_code == 200
    assert "INV-1" in page.text
    assert "INV-2" in page.text
    assert "INV-9" not in page.text
    assert "INV-0" not in page.text
    assert page.text.index("INV-1") < page.text.index("INV-2")  # oldest first
    assert "<svg" in page.text
    assert "Net revenue by channel" in page.text
    assert "Payables by age, EUR" in page.text  # AP aging beside AR aging
    form = {
        "csrf_token": csrf(page),
        "customer_id": "c-1",
        "currency": "EUR",
        "amount": "57.50",
        "reference": "BANK-1",
        "received_on": "2026-03-10",
        "alloc-i-1": "37.50",
        "alloc-i-2": "20.00",
    }
    answer = client.post("/finance/payments", data=form)
    assert answer.status_code == 303
    posted = next(c for c in harness.calls if c.method == "POST")
    assert posted.headers["idempotency-key"]
    assert json.loads(posted.content) == {
        "customer_id": "c-1",
        "amount": {"amount": "57.50", "currency": "EUR"},
        "reference": "BANK-1",
        "received_on": "2026-03-10",
        "allocations": [
            {"invoice_id": "i-1", "amount": {"amount": "37.50", "currency": "EUR"}},
            {"invoice_id": "i-2", "amount": {"amount": "20.00", "currency": "EUR"}},
        ],
    }


async def test_the_gateways_field_errors_are_shown_next_to_the_fields() -> None:
    problem = {
        "detail": "the request does not match its schema",
        "errors": [
            {"field": "amount.amount", "detail": "not a decimal"},
            {"field": "reference", "detail": "required"},
        ],
    }
    empty = {"items": [], "next_page_token": ""}
    routes: dict[str, Any] = {
        "/customers": {"items": [{"id": "c-1", "name": "Acme"}], "next_page_token": ""},
        "/invoices": {
            "items": [
                {
                    "id": "i-1",
                    "number": "INV-1",
                    "customer_id": "c-1",
                    "balance": MONEY,
                    "total": MONEY,
                    "due_date": None,
                }
            ],
            "next_page_token": "",
        },
        "/reports/ar-aging": {"as_of": "2026-03-10", "customers": [], "totals": []},
        "/reports/ap-aging": {"as_of": "2026-03-10", "suppliers": [], "totals": []},
        "/reports/revenue": {"rows": []},
        "/payments": (422, problem),
        "/unused": empty,
    }
    harness = Harness(json_answer(routes))
    await harness.user("fran", "finance")
    client = harness.client()
    sign_in(client, "fran")
    token = csrf(client.get("/finance"))
    form = {
        "csrf_token": token,
        "customer_id": "c-1",
        "currency": "EUR",
        "amount": "lots",
        "reference": "",
    }
    answer = client.post("/finance/payments", data=form)
    assert answer.status_code == 422
    assert "the request does not match its schema" in answer.text
    assert '<span class="field-error">required</span>' in answer.text
    assert 'value="lots"' in answer.text  # what was typed is kept


async def test_the_warehouse_ships_a_reserved_order_from_its_warehouse() -> None:
    reserved = ORDER | {"status": "execution", "stock_status": "reserved"}
    routes: dict[str, Any] = {
        "/warehouses": {"items": [{"id": "w-1", "code": "MAIN", "name": "Main"}]},
        "/stock": {
            "items": [
                {
                    "warehouse_id": "w-1",
                    "product_id": "p-1",
                    "on_hand": 3,
                    "reserved": 3,
                    "available": 0,
                    "incoming": 0,
                    "backordered": 0,
                    "reorder_point": 2,
                }
            ]
        },
        "/purchase-orders": {"items": []},
        "/sales-orders": {"items": [reserved, ORDER], "totals": [], "next_page_token": ""},
        "/reservations": {
            "lines": [
                {
                    "line_id": "l-1",
                    "allocations": [
                        {"warehouse_id": "w-1", "reserved": 3, "consumed": 0, "released": 0}
                    ],
                }
            ]
        },
        "/shipments": {"id": "s-1"},
    }
    harness = Harness(json_answer(routes))
    await harness.user("wes", "warehouse")
    client = harness.client()
    sign_in(client, "wes")
    page = client.get("/warehouse")
    assert page.status_code == 200
    assert page.text.count('action="/warehouse/shipments"') == 1  # the invoiced one is done
    assert "(reorder)" in page.text
    form = {
        "csrf_token": csrf(page),
        "order_id": "o-1",
        "warehouse_id": "w-1",
        "carrier": "DHL",
        "tracking_number": "T1",
    }
    assert client.post("/warehouse/shipments", data=form).status_code == 303
    posted = next(c for c in harness.calls if c.method == "POST")
    assert json.loads(posted.content) == {
        "order_id": "o-1",
        "warehouse_id": "w-1",
        "carrier": "DHL",
        "tracking_number": "T1",
    }


async def test_saved_views_are_kept_per_user() -> None:
    page = {"items": [], "totals": [], "next_page_token": ""}
    harness = Harness(json_answer({"/sales-orders": page}))
    await harness.user("olga", "order-desk")
    await harness.user("sam", "sales")
    olga, sam = harness.client(), harness.client()
    sign_in(olga, "olga")
    sign_in(sam, "sam")
    token = csrf(olga.get("/orders"))
    saved = olga.post(
        "/orders/views", data={"csrf_token": token, "name": "Web orders", "channel": "web"}
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/orders?channel=web"
    assert "Web orders" in olga.get("/orders").text
    assert "Web orders" not in sam.get("/orders").text


async def test_a_receipt_against_a_purchase_order_sends_its_quantities() -> None:
    po = {
        "id": "po-1",
        "number": "PO-2026-000001",
        "status": "sent",
        "warehouse_id": "w-1",
        "expected_on": "",
        "lines": [
            {"product_id": "p-1", "sku": "A", "quantity": 5, "received": 1, "cancelled": 0},
            {"product_id": "p-2", "sku": "B", "quantity": 2, "received": 2, "cancelled": 0},
        ],
    }
    routes: dict[str, Any] = {
        "/warehouses": {"items": [{"id": "w-1", "code": "MAIN", "name": "Main"}]},
        "/stock": {"items": []},
        "/purchase-orders": {"items": [po, po | {"id": "po-2", "status": "received"}]},
        "/sales-orders": {"items": [], "totals": [], "next_page_token": ""},
        "/receipts": {"id": "r-1"},
    }
    harness = Harness(json_answer(routes))
    await harness.user("wes", "warehouse")
    client = harness.client()
    sign_in(client, "wes")
    page = client.get("/warehouse")
    assert page.text.count('action="/warehouse/receipts"') == 1
    assert 'name="qty-p-1" inputmode="numeric" value="4"' in page.text
    assert 'name="qty-p-2"' not in page.text  # all received
    form = {"csrf_token": csrf(page), "purchase_order_id": "po-1", "warehouse_id": "w-1"}
    assert client.post("/warehouse/receipts", data=form | {"qty-p-1": "4"}).status_code == 303
    posted = next(c for c in harness.calls if c.method == "POST")
    assert json.loads(posted.content) == {
        "warehouse_id": "w-1",
        "purchase_order_id": "po-1",
        "lines": [{"product_id": "p-1", "quantity": 4}],
    }
    refused = client.post("/warehouse/receipts", data=form | {"qty-p-1": "four"})
    assert refused.status_code == 400
    assert "quantities are whole numbers" in refused.text


async def test_a_move_the_gateway_refuses_is_explained() -> None:
    problem = {"detail": "cannot move to closed from execution", "errors": []}
    harness = Harness(json_answer({"/sales-orders/o-1/transitions": (409, problem)}))
    await harness.user("olga", "order-desk")
    client = harness.client()
    sign_in(client, "olga")
    token = csrf(client.get("/account"))
    answer = client.post(
        "/orders/o-1/transitions", data={"csrf_token": token, "to_stage": "closed"}
    )
    assert answer.status_code == 409
    assert "cannot move to closed from execution" in answer.text
    (call,) = [c for c in harness.calls if c.method == "POST"]
    assert json.loads(call.content) == {"to_stage": "closed"}


async def test_one_cannot_delete_another_users_saved_view() -> None:
    page = {"items": [], "totals": [], "next_page_token": ""}
    harness = Harness(json_answer({"/sales-orders": page}))
    await harness.user("olga", "order-desk")
    await harness.user("sam", "sales")
    olga, sam = harness.client(), harness.client()
    sign_in(olga, "olga")
    sign_in(sam, "sam")
    olga.post("/orders/views", data={"csrf_token": csrf(olga.get("/orders")), "name": "Mine"})
    (view_id,) = harness.database.tables.views
    token = csrf(sam.get("/orders"))
    assert (
        sam.post(f"/orders/views/{view_id}/delete", data={"csrf_token": token}).status_code == 404
    )
    assert view_id in harness.database.tables.views
