"""The sales pages over a faked gateway: the requests registry, the lost-demand report, the
quote builder (its totals fragment, the catalog, the PDF, send, accept and reject) and the
discount approvals; what they ask of the gateway, as whom, and what they show, refusals and
errors included. Then the quote form's content, both ways."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import httpx
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from services.web.tests.unit.pages_harness import Harness, csrf, sign_in
from web.domain.pages import Page, pages_for
from web.domain.quote_form import (
    FormContent,
    add_product,
    content_from_form,
    content_of,
    parse_taxes,
    taxes_text,
)

EUR = {"amount": "1200.00", "currency": "EUR"}
REQUEST: dict[str, Any] = {
    "id": "r-1",
    "number": "REQ-2026-000042",
    "status": "open",
    "source": "phone",
    "customer_id": "c-1",
    "contact": {"name": "Ada Buyer", "email": "ada@example.com", "phone": ""},
    "need": "200 blue widgets before Christmas",
    "value_estimate": EUR,
    "owner": "sam",
    "team": "north",
    "quote_id": "",
    "lost_reason": "",
    "lost_note": "",
    "created_at": "2026-11-02T09:00:00Z",
    "created_by": "olga",
    "closed_at": None,
}
CUSTOMER = {"id": "c-1", "name": "Acme", "currency": "USD"}
NO_DISCOUNT = {"percent": "", "amount": ""}
VAT = {"code": "VAT19", "rate": "0.19"}
LINE = {
    "line_id": "l-1",
    "product_id": "p-1",
    "sku": "WIDGET-1",
    "description": "Widget",
    "quantity": "3",
    "unit_price": "12.50",
    "discount": NO_DISCOUNT,
    "taxes": [VAT],
    "kind": "stocked",
    "price_rule": "list price",
    "kit_parts": [],
    "extended": "37.50",
    "discount_amount": "0.00",
    "net": "37.50",
    "tax_amounts": [{"code": "VAT19", "amount": "7.13"}],
}
FREE_LINE = LINE | {
    "line_id": "l-2",
    "product_id": "",
    "sku": "",
    "description": "Installation",
    "quantity": "1",
    "unit_price": "80.00",
    "discount": {"percent": "10", "amount": ""},
    "taxes": [],
    "price_rule": "entered",
    "net": "72.00",
}
TOTALS = {
    "subtotal": "117.50",
    "discounts": "8.00",
    "net": "109.50",
    "shipping": "0.00",
    "taxes": [{"code": "VAT19", "rate": "0.19", "base": "37.50", "amount": "7.13"}],
    "total": "116.63",
    "groups": [
        {
            "name": "Hardware",
            "subtotal": "117.50",
            "discount": "8.00",
            "net": "109.50",
            "tax": "7.13",
        }
    ],
    "shipping_tax": "0.00",
}
QUOTE: dict[str, Any] = {
    "id": "q-1",
    "version": 1,
    "latest_version": 1,
    "status": "draft",
    "customer_id": "c-1",
    "customer_group": "",
    "salesperson": "sam",
    "currency": "EUR",
    "valid_until": "2026-12-31",
    "payment_terms": "30 days net",
    "terms_and_conditions": "",
    "notes": "",
    "converted_to": "",
    "converted_id": "",
    "rejection_reason": "",
    "created_at": "2026-11-02T09:00:00Z",
    "created_by": "sam",
    "updated_at": "2026-11-02T09:00:00Z",
    "team": "north",
    "number": "Q-2026-000001",
    "order_stalled": "",
    "approval": {
        "status": "not_required",
        "reason": None,
        "decided_by": None,
        "decided_at": None,
        "note": None,
    },
    "total": {"amount": "116.63", "currency": "EUR"},
    "document": {
        "currency": "EUR",
        "policy": {"rounding_mode": "per_line", "rounding": "half_up", "prices_include_tax": False},
        "engine_version": "1",
        "groups": [
            {"name": "Hardware", "discount": NO_DISCOUNT, "taxes": [], "lines": [LINE, FREE_LINE]}
        ],
        "shipping": [],
        "totals": TOTALS,
        "tax_exemption": "",
    },
    "lines": [],
}
PENDING = QUOTE | {
    "approval": {
        "status": "pending",
        "reason": "line 1: 35% off is above the 20% that needs approval",
        "decided_by": None,
        "decided_at": None,
        "note": None,
    }
}


class FakeGateway:
    """Answers "METHOD /path" (without /api/v1) with JSON, (status, JSON), or a function of the
    request; records every call."""

    def __init__(self, routes: dict[str, Any]) -> None:
        self.routes = routes

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        found = self.routes.get(f"{request.method} {path}")
        if callable(found):
            found = found(request)
        if found is None:
            return httpx.Response(404, json={"detail": f"no {request.method} {path}"})
        if isinstance(found, httpx.Response):
            return found
        if isinstance(found, tuple):
            return httpx.Response(found[0], json=found[1])
        return httpx.Response(201 if request.method == "POST" else 200, json=found)


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


def calls(harness: Harness, method: str, path: str) -> list[httpx.Request]:
    return [
        c
        for c in harness.calls
        if c.method == method and c.url.path.removeprefix("/api/v1") == path
    ]


async def signed_in(routes: dict[str, Any], role: str = "sales") -> tuple[Harness, TestClient]:
    harness = Harness(FakeGateway(routes))
    await harness.user("sam", role, team="north")
    client = harness.client()
    sign_in(client, "sam")
    return harness, client


def token_of(client: TestClient, path: str) -> str:
    return csrf(client.get(path))


def origin(client: TestClient) -> dict[str, str]:
    return {"Origin": str(client.base_url).rstrip("/")}


CUSTOMERS = {"items": [CUSTOMER], "next_page_token": ""}
REQUESTS = {"items": [REQUEST], "next_page_token": ""}
SALES_PAGES = (Page.REQUESTS, Page.QUOTES, Page.APPROVALS)


# The requests registry


async def test_the_registry_lists_requests_with_the_filters_given() -> None:
    harness, client = await signed_in(
        {"GET /requests": REQUESTS, "GET /customers": CUSTOMERS}, "order-desk"
    )
    page = client.get(
        "/requests",
        params={"status": "open", "source": "phone", "owner": "sam", "x": "y", "created_from": ""},
    )
    assert page.status_code == 200
    assert 'id="requests-table"' in page.text
    assert 'id="request-form"' in page.text
    assert "REQ-2026-000042" in page.text
    assert "/requests/r-1" in page.text
    assert "Acme" in page.text
    assert "1200.00 EUR" in page.text
    (listed,) = calls(harness, "GET", "/requests")
    assert dict(listed.url.params) == {
        "status": "open",
        "source": "phone",
        "owner": "sam",
        "page_size": "50",
    }
    ignored = client.get("/requests", params={"status": "won", "source": "pigeon"})
    assert ignored.status_code == 200
    assert dict(calls(harness, "GET", "/requests")[-1].url.params) == {"page_size": "50"}


async def test_a_request_for_a_customer_is_registered_and_shown() -> None:
    harness, client = await signed_in(
        {"GET /requests": REQUESTS, "GET /customers": CUSTOMERS, "POST /requests": REQUEST},
        "order-desk",
    )
    token = token_of(client, "/requests")
    answer = client.post(
        "/requests",
        data={
            "csrf_token": token,
            "customer_id": "c-1",
            "source": "phone",
            "need": "200 blue widgets",
            "amount": "1200.00",
            "currency": "eur",
            "owner": "sam",
        },
        headers=origin(client),
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/requests/r-1?done=Registered")
    (posted,) = calls(harness, "POST", "/requests")
    assert body_of(posted) == {
        "customer_id": "c-1",
        "source": "phone",
        "need": "200 blue widgets",
        "value_estimate": {"amount": "1200.00", "currency": "EUR"},
        "owner": "sam",
    }


async def test_a_prospect_is_registered_with_a_contact_and_nobody_is_refused() -> None:
    harness, client = await signed_in(
        {"GET /requests": REQUESTS, "GET /customers": CUSTOMERS, "POST /requests": REQUEST}
    )
    token = token_of(client, "/requests")
    form = {"csrf_token": token, "source": "web", "need": "50 widgets", "currency": "EUR"}
    nobody = client.post("/requests", data=form, headers=origin(client))
    assert nobody.status_code == 400
    assert "choose a customer or fill in the contact" in nobody.text
    assert 'aria-invalid="true" aria-describedby="customer_id-error"' in nobody.text
    assert "50 widgets" in nobody.text  # what was typed stays
    assert not calls(harness, "POST", "/requests")
    prospect = client.post(
        "/requests",
        data=form | {"contact_name": "Bo", "contact_email": "bo@example.org"},
        headers=origin(client),
    )
    assert prospect.status_code == 303
    (posted,) = calls(harness, "POST", "/requests")
    assert body_of(posted)["contact"] == {"name": "Bo", "email": "bo@example.org", "phone": ""}
    assert body_of(posted)["customer_id"] == ""
    assert body_of(posted)["value_estimate"] == {"amount": "0", "currency": "EUR"}


async def test_the_gateways_refusal_is_shown_next_to_the_field() -> None:
    problem = {
        "detail": "the request is not valid",
        "errors": [{"field": "value_estimate.amount", "detail": "0 or more"}],
    }
    _, client = await signed_in(
        {
            "GET /requests": REQUESTS,
            "GET /customers": CUSTOMERS,
            "POST /requests": (422, problem),
        }
    )
    token = token_of(client, "/requests")
    answer = client.post(
        "/requests",
        data={
            "csrf_token": token,
            "customer_id": "c-1",
            "source": "phone",
            "need": "x",
            "amount": "-5",
            "currency": "EUR",
        },
        headers=origin(client),
    )
    assert answer.status_code == 422
    assert 'id="value_estimate.amount-error">0 or more</span>' in answer.text
    assert re.search(r'id="request-amount"[^>]*value="-5"[^>]*aria-invalid="true"', answer.text)


async def test_the_request_page_offers_a_quote_in_the_customers_currency() -> None:
    _, client = await signed_in(
        {"GET /requests/r-1": REQUEST, "GET /customers/c-1": CUSTOMER}, "sales-manager"
    )
    page = client.get("/requests/r-1")
    assert page.status_code == 200
    assert 'id="make-quote"' in page.text
    assert 'id="mark-lost"' in page.text
    assert re.search(r'id="quote-currency"[^>]*value="USD"', page.text)
    assert "Acme" in page.text


async def test_the_order_desk_reads_requests_but_neither_loses_nor_quotes_them() -> None:
    harness, client = await signed_in(
        {"GET /requests/r-1": REQUEST, "GET /customers/c-1": CUSTOMER}, "order-desk"
    )
    page = client.get("/requests/r-1")
    assert page.status_code == 200
    assert 'id="make-quote"' not in page.text
    assert 'id="mark-lost"' not in page.text
    token = csrf(page)
    for path in ("/requests/r-1/lost", "/requests/r-1/quote"):
        answer = client.post(
            path, data={"csrf_token": token, "reason": "price"}, headers=origin(client)
        )
        assert answer.status_code == 403, path
    assert client.get("/quotes").status_code == 403
    assert client.get("/approvals").status_code == 403
    assert not [c for c in harness.calls if c.method == "POST"]


async def test_a_request_is_marked_lost_with_its_reason() -> None:
    lost = REQUEST | {"status": "lost", "lost_reason": "price"}
    harness, client = await signed_in(
        {
            "GET /requests/r-1": REQUEST,
            "GET /customers/c-1": CUSTOMER,
            "POST /requests/r-1/lost": (200, lost),
        }
    )
    token = token_of(client, "/requests/r-1")
    answer = client.post(
        "/requests/r-1/lost",
        data={"csrf_token": token, "reason": "competitor", "note": "ACME is faster"},
        headers=origin(client),
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/requests/r-1?done=Marked+lost"
    (posted,) = calls(harness, "POST", "/requests/r-1/lost")
    assert body_of(posted) == {"reason": "competitor", "note": "ACME is faster"}


async def test_losing_a_request_twice_is_a_message_not_a_crash() -> None:
    _, client = await signed_in(
        {
            "GET /requests/r-1": REQUEST,
            "GET /customers/c-1": CUSTOMER,
            "POST /requests/r-1/lost": (409, {"detail": "the request is lost already"}),
        }
    )
    token = token_of(client, "/requests/r-1")
    answer = client.post(
        "/requests/r-1/lost", data={"csrf_token": token, "reason": "price"}, headers=origin(client)
    )
    assert answer.status_code == 409
    assert "the request is lost already" in answer.text
    assert 'role="alert"' in answer.text


async def test_make_a_quote_drafts_it_in_one_step_and_opens_the_builder() -> None:
    harness, client = await signed_in(
        {
            "GET /requests/r-1": REQUEST,
            "GET /customers/c-1": CUSTOMER,
            "POST /requests/r-1/quote": QUOTE,
        }
    )
    token = token_of(client, "/requests/r-1")
    answer = client.post(
        "/requests/r-1/quote",
        data={"csrf_token": token, "currency": "usd", "description": ""},
        headers=origin(client),
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/quotes/q-1"
    assert body_of(calls(harness, "POST", "/requests/r-1/quote")[0]) == {
        "currency": "USD",
        "groups": [],
    }
    client.post(
        "/requests/r-1/quote",
        data={
            "csrf_token": token,
            "currency": "EUR",
            "description": "Widgets",
            "quantity": "200",
            "unit_price": "5.00",
        },
        headers=origin(client),
    )
    assert body_of(calls(harness, "POST", "/requests/r-1/quote")[1])["groups"] == [
        {
            "name": "Offer",
            "lines": [
                {
                    "description": "Widgets",
                    "quantity": 200,
                    "unit_price": {"amount": "5.00", "currency": "EUR"},
                }
            ],
        }
    ]
    client.post(
        "/requests/r-1/quote",
        data={"csrf_token": token, "currency": "EUR", "sku": "WID-1", "quantity": "3"},
        headers=origin(client),
    )
    assert body_of(calls(harness, "POST", "/requests/r-1/quote")[2])["groups"] == [
        {"name": "Offer", "lines": [{"sku": "WID-1", "quantity": 3}]}
    ]


async def test_a_prospects_quote_refused_for_want_of_a_customer_is_shown() -> None:
    prospect = REQUEST | {"customer_id": ""}
    problem = {
        "detail": "the request has no customer",
        "errors": [{"field": "customer_id", "detail": "register the customer first"}],
    }
    _, client = await signed_in(
        {"GET /requests/r-1": prospect, "POST /requests/r-1/quote": (422, problem)}
    )
    page = client.get("/requests/r-1")
    assert re.search(r'id="quote-currency"[^>]*value="EUR"', page.text)
    answer = client.post(
        "/requests/r-1/quote",
        data={"csrf_token": csrf(page), "currency": "EUR"},
        headers=origin(client),
    )
    assert answer.status_code == 422
    assert "register the customer first" in answer.text
    assert "the request has no customer" in answer.text


async def test_lost_demand_is_a_table_per_period_and_a_chart_by_reason() -> None:
    report = {
        "rows": [
            {
                "period": "2026-Q4",
                "reason": "no_stock",
                "requests": 3,
                "value": [
                    {"amount": "1049.50", "currency": "EUR"},
                    {"amount": "10.00", "currency": "USD"},
                ],
            }
        ],
        "totals": [
            {
                "reason": "no_stock",
                "requests": 3,
                "value": [
                    {"amount": "1049.50", "currency": "EUR"},
                    {"amount": "10.00", "currency": "USD"},
                ],
            }
        ],
    }
    harness, client = await signed_in({"GET /reports/lost-demand": report}, "order-desk")
    page = client.get(
        "/requests/lost-demand",
        params={"from": "2026-10-01", "to": "2026-12-31", "period": "quarter"},
    )
    assert page.status_code == 200
    (asked,) = calls(harness, "GET", "/reports/lost-demand")
    assert dict(asked.url.params) == {"from": "2026-10-01", "to": "2026-12-31", "period": "quarter"}
    assert "2026-Q4" in page.text
    assert "1049.50 EUR" in page.text
    assert "10.00 USD" in page.text
    assert '<svg class="chart" role="img" aria-label="Lost demand by reason"' in page.text
    assert "<title>no_stock (EUR): 1049.50 EUR</title>" in page.text
    default = client.get("/requests/lost-demand", params={"period": "decade"})
    params = dict(calls(harness, "GET", "/reports/lost-demand")[-1].url.params)
    assert params["period"] == "month"
    assert params["from"].endswith("-01-01")
    assert default.status_code == 200


async def test_a_refused_report_period_is_a_message() -> None:
    problem = {"detail": "not valid", "errors": [{"field": "to", "detail": "not before from"}]}
    _, client = await signed_in({"GET /reports/lost-demand": (422, problem)})
    page = client.get("/requests/lost-demand", params={"from": "2026-12-01", "to": "2026-01-01"})
    assert page.status_code == 422
    assert "not before from" in page.text


# The quote builder


async def test_quotes_are_listed_with_the_status_and_approval_filters() -> None:
    harness, client = await signed_in(
        {"GET /quotes": {"items": [PENDING], "next_page_token": ""}, "GET /customers": CUSTOMERS}
    )
    page = client.get("/quotes", params={"status": "draft", "approval": "pending", "x": "1"})
    assert page.status_code == 200
    assert "Q-2026-000001" in page.text
    assert "/quotes/q-1" in page.text
    assert "Acme" in page.text
    assert dict(calls(harness, "GET", "/quotes")[0].url.params) == {
        "status": "draft",
        "approval": "pending",
        "page_size": "50",
    }
    client.get("/quotes", params={"status": "won", "approval": "maybe"})
    assert dict(calls(harness, "GET", "/quotes")[1].url.params) == {"page_size": "50"}


async def test_the_builder_shows_groups_lines_totals_and_the_approval() -> None:
    _, client = await signed_in(
        {"GET /quotes/q-1": PENDING, "GET /customers/c-1": CUSTOMER}, "sales-manager"
    )
    page = client.get("/quotes/q-1")
    assert page.status_code == 200
    text = page.text
    for element in ("quote-lines", "quote-totals", "approval-status", "catalog-search"):
        assert f'id="{element}"' in text, element
    assert 'id="send-quote"' in text
    assert 'id="accept-quote"' not in text  # a draft is sent first
    assert "35% off is above the 20%" in text
    assert 'id="total-total"><strong>116.63</strong>' in text
    assert re.search(r'name="g-0-l-0-product_id" value="p-1"', text)
    assert '<td class="num" data-net-for="g-0-l-0">37.50</td>' in text
    # a catalog line's price is the engine's (a placeholder); a free-text line's is entered
    assert re.search(r'id="g-0-l-0-unit_price"[^>]*value=""[^>]*placeholder="12.50"', text)
    assert re.search(r'id="g-0-l-1-unit_price"[^>]*value="80.00"', text)
    assert re.search(r'id="g-0-l-1-discount_percent"[^>]*value="10"', text)
    assert re.search(r'id="g-0-l-0-taxes"[^>]*value="VAT19=0.19"', text)
    assert '<script src="/static/quote-builder.js" defer></script>' in text
    assert 'href="/quotes/q-1/pdf"' in text
    for label in re.findall(r'<input id="([^"]+)"', text):
        assert f'for="{label}"' in text, label  # every input has its label


async def test_a_sent_quote_is_read_only_with_accept_and_reject() -> None:
    sent = QUOTE | {"status": "sent"}
    _, client = await signed_in({"GET /quotes/q-1": sent, "GET /customers/c-1": CUSTOMER})
    page = client.get("/quotes/q-1")
    assert 'id="quote-form"' not in page.text
    assert 'id="accept-quote"' in page.text
    assert 'id="reject-quote"' in page.text
    assert 'id="send-quote"' not in page.text
    assert "quote-builder.js" not in page.text
    assert "Installation" in page.text


def _form(token: str, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "customer_id": "c-1",
        "customer_group": "",
        "salesperson": "sam",
        "currency": "EUR",
        "valid_until": "2026-12-31",
        "payment_terms": "30 days net",
        "terms_and_conditions": "",
        "notes": "",
        "rounding_mode": "per_line",
        "rounding": "half_up",
        "g-0-name": "Hardware",
        "g-0-discount_percent": "5",
        "g-0-discount_amount": "",
        "g-0-taxes": "",
        "g-0-l-0-product_id": "p-1",
        "g-0-l-0-sku": "WIDGET-1",
        "g-0-l-0-description": "Widget",
        "g-0-l-0-quantity": "4",
        "g-0-l-0-unit_price": "",
        "g-0-l-0-discount_percent": "",
        "g-0-l-0-discount_amount": "1.00",
        "g-0-l-0-taxes": "VAT19=0.19",
        "g-0-l-1-product_id": "",
        "g-0-l-1-sku": "",
        "g-0-l-1-description": "",
        "g-0-l-1-quantity": "",
        "g-1-name": "",
        "g-1-l-0-description": "",
        "s-0-description": "Courier",
        "s-0-amount": "9.90",
        "s-0-taxes": "VAT19=0.19",
        "s-1-description": "",
        "s-1-amount": "",
        **extra,
    }


EXPECTED_CONTENT = {
    "customer_id": "c-1",
    "customer_group": "",
    "salesperson": "sam",
    "currency": "EUR",
    "valid_until": "2026-12-31",
    "payment_terms": "30 days net",
    "terms_and_conditions": "",
    "notes": "",
    "groups": [
        {
            "name": "Hardware",
            "taxes": [],
            "discount": {"percent": "5", "amount": ""},
            "lines": [
                {
                    "product_id": "p-1",
                    "description": "Widget",
                    "quantity": 4,
                    "discount": {"percent": "", "amount": "1.00"},
                    "taxes": [VAT],
                }
            ],
        }
    ],
    "shipping": [{"description": "Courier", "amount": "9.90", "taxes": [VAT]}],
    "policy": {"rounding_mode": "per_line", "rounding": "half_up", "prices_include_tax": False},
}


async def test_the_totals_fragment_saves_the_draft_and_answers_the_engines_totals() -> None:
    repriced = copy.deepcopy(PENDING)
    repriced["document"]["totals"] = TOTALS | {"total": "61.07"}
    repriced["document"]["groups"][0]["lines"] = [LINE | {"net": "46.50"}]
    harness, client = await signed_in(
        {"GET /quotes/q-1": QUOTE, "GET /customers/c-1": CUSTOMER, "PUT /quotes/q-1": repriced}
    )
    token = token_of(client, "/quotes/q-1")
    answer = client.post(
        "/quotes/q-1/totals",
        data=_form("ignored"),
        headers=origin(client) | {"X-CSRF-Token": token},
    )
    assert answer.status_code == 200
    assert "<html" not in answer.text  # a fragment
    assert 'id="total-total"><strong>61.07</strong>' in answer.text
    assert 'id="approval-status"' in answer.text
    assert "35% off is above the 20%" in answer.text  # the change made approval pending
    assert '<span data-line="g-0-l-0">46.50</span>' in answer.text  # each row's net
    (put,) = calls(harness, "PUT", "/quotes/q-1")
    assert body_of(put) == EXPECTED_CONTENT
    assert put.headers["authorization"].startswith("Bearer ")


async def test_the_totals_fragment_without_the_csrf_token_is_refused() -> None:
    harness, client = await signed_in({"GET /quotes/q-1": QUOTE, "PUT /quotes/q-1": QUOTE})
    answer = client.post("/quotes/q-1/totals", data=_form(""), headers=origin(client))
    assert answer.status_code == 403
    wrong = client.post(
        "/quotes/q-1/totals", data=_form(""), headers=origin(client) | {"X-CSRF-Token": "x"}
    )
    assert wrong.status_code == 403
    assert not calls(harness, "PUT", "/quotes/q-1")


async def test_a_field_the_form_cannot_send_is_named_and_nothing_is_saved() -> None:
    harness, client = await signed_in({"GET /quotes/q-1": QUOTE, "PUT /quotes/q-1": QUOTE})
    token = token_of(client, "/quotes/q-1")
    answer = client.post(
        "/quotes/q-1/totals",
        data=_form(token, **{"g-0-l-0-quantity": "three", "s-0-taxes": "VAT19"}),
        headers=origin(client),
    )
    assert answer.status_code == 400
    assert "g-0-l-0-quantity: a whole number" in answer.text
    assert "s-0-taxes: taxes are code=rate pairs" in answer.text
    assert 'data-fields="g-0-l-0-quantity s-0-taxes"' in answer.text
    assert not calls(harness, "PUT", "/quotes/q-1")


async def test_the_engines_refusal_names_the_form_field() -> None:
    problem = {
        "detail": "the quote is not valid",
        "errors": [
            {"field": "groups[0].lines[0].discount.amount", "detail": "more than the line"},
            {"field": "shipping[0].amount", "detail": "not a number"},
        ],
    }
    _, client = await signed_in({"GET /quotes/q-1": QUOTE, "PUT /quotes/q-1": (422, problem)})
    token = token_of(client, "/quotes/q-1")
    answer = client.post("/quotes/q-1/totals", data=_form(token), headers=origin(client))
    assert answer.status_code == 422
    assert "g-0-l-0-discount_amount: more than the line" in answer.text
    assert "s-0-amount: not a number" in answer.text


async def test_recalculate_without_a_script_saves_and_shows_the_page_again() -> None:
    harness, client = await signed_in(
        {"GET /quotes/q-1": QUOTE, "GET /customers/c-1": CUSTOMER, "PUT /quotes/q-1": QUOTE}
    )
    token = token_of(client, "/quotes/q-1")
    answer = client.post("/quotes/q-1", data=_form(token), headers=origin(client))
    assert answer.status_code == 303
    assert answer.headers["location"] == "/quotes/q-1?done=Saved+and+recalculated"
    assert body_of(calls(harness, "PUT", "/quotes/q-1")[0]) == EXPECTED_CONTENT


async def test_a_refused_recalculation_keeps_what_was_typed_next_to_its_error() -> None:
    problem = {
        "detail": "the quote is not valid",
        "errors": [{"field": "groups[0].lines[0].quantity", "detail": "at most 1,000,000"}],
    }
    _, client = await signed_in(
        {
            "GET /quotes/q-1": QUOTE,
            "GET /customers/c-1": CUSTOMER,
            "PUT /quotes/q-1": (422, problem),
        }
    )
    token = token_of(client, "/quotes/q-1")
    answer = client.post(
        "/quotes/q-1", data=_form(token, **{"g-0-l-0-quantity": "999999"}), headers=origin(client)
    )
    assert answer.status_code == 422
    assert re.search(
        r'id="g-0-l-0-quantity"[^>]*value="999999"[^>]*aria-invalid="true"', answer.text
    )
    assert 'id="g-0-l-0-quantity-error">at most 1,000,000</span>' in answer.text


async def test_a_product_found_in_the_catalog_is_added_as_a_line() -> None:
    product = {
        "id": "p-9",
        "sku": "GADGET-9",
        "name": "Gadget",
        "list_price": {"amount": "3.00", "currency": "EUR"},
    }
    harness, client = await signed_in(
        {
            "GET /quotes/q-1": QUOTE,
            "GET /customers/c-1": CUSTOMER,
            "GET /products": {"items": [product], "next_page_token": ""},
            "PUT /quotes/q-1": QUOTE,
        }
    )
    page = client.get("/quotes/q-1", params={"text": "gad"})
    assert dict(calls(harness, "GET", "/products")[0].url.params) == {
        "text": "gad",
        "page_size": "10",
    }
    assert 'id="add-p-9"' in page.text
    assert "GADGET-9" in page.text
    answer = client.post(
        "/quotes/q-1/lines",
        data={"csrf_token": csrf(page), "product_id": "p-9", "quantity": "2", "group": "0"},
        headers=origin(client),
    )
    assert answer.status_code == 303
    lines = body_of(calls(harness, "PUT", "/quotes/q-1")[0])["groups"][0]["lines"]
    assert lines == [
        {"product_id": "p-1", "description": "Widget", "quantity": 3, "taxes": [VAT]},
        {
            "description": "Installation",
            "quantity": 1,
            "taxes": [],
            "unit_price": {"amount": "80.00", "currency": "EUR"},
            "discount": {"percent": "10", "amount": ""},
        },
        {"product_id": "p-9", "quantity": 2, "taxes": []},
    ]
    zero = client.post(
        "/quotes/q-1/lines",
        data={"csrf_token": csrf(page), "product_id": "p-9", "quantity": "0"},
        headers=origin(client),
    )
    assert zero.status_code == 400
    assert len(calls(harness, "PUT", "/quotes/q-1")) == 1


async def test_the_pdf_is_streamed_as_the_user() -> None:
    pdf = httpx.Response(
        200,
        content=b"%PDF-1.7 quote",
        headers={
            "content-type": "application/pdf",
            "content-disposition": 'attachment; filename="Q-2026-000001.pdf"',
        },
    )
    harness, client = await signed_in({"GET /quotes/q-1/pdf": pdf})
    answer = client.get("/quotes/q-1/pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content == b"%PDF-1.7 quote"
    assert 'filename="Q-2026-000001.pdf"' in answer.headers["content-disposition"]
    (call,) = harness.calls
    assert call.headers["authorization"].startswith("Bearer ")
    missing = client.get("/quotes/q-2/pdf")
    assert missing.status_code == 404
    assert "<h1>" in missing.text


async def test_a_send_refused_for_its_approval_is_a_message() -> None:
    problem = {
        "detail": "the quote's discounts wait for a sales manager's approval",
        "errors": [{"field": "approval", "detail": "pending"}],
    }
    harness, client = await signed_in(
        {
            "GET /quotes/q-1": PENDING,
            "GET /customers/c-1": CUSTOMER,
            "POST /quotes/q-1/send": (409, problem),
        }
    )
    token = token_of(client, "/quotes/q-1")
    answer = client.post("/quotes/q-1/send", data={"csrf_token": token}, headers=origin(client))
    assert answer.status_code == 409
    assert "wait for a sales manager&#39;s approval" in answer.text
    assert 'role="alert"' in answer.text
    assert 'id="approval-status"' in answer.text
    assert len(calls(harness, "POST", "/quotes/q-1/send")) == 1


async def test_send_accept_and_reject_post_to_the_gateway() -> None:
    harness, client = await signed_in(
        {
            "GET /quotes/q-1": QUOTE,
            "GET /customers/c-1": CUSTOMER,
            "POST /quotes/q-1/send": (200, QUOTE),
            "POST /quotes/q-1/accept": (200, QUOTE),
            "POST /quotes/q-1/reject": (200, QUOTE),
        }
    )
    token = token_of(client, "/quotes/q-1")
    sent = client.post("/quotes/q-1/send", data={"csrf_token": token}, headers=origin(client))
    assert sent.headers["location"] == "/quotes/q-1?done=Sent"
    accepted = client.post("/quotes/q-1/accept", data={"csrf_token": token}, headers=origin(client))
    assert accepted.status_code == 303
    assert body_of(calls(harness, "POST", "/quotes/q-1/accept")[0]) == {"convert_to": "sales_order"}
    client.post(
        "/quotes/q-1/reject",
        data={"csrf_token": token, "reason": "too dear"},
        headers=origin(client),
    )
    assert body_of(calls(harness, "POST", "/quotes/q-1/reject")[0]) == {"reason": "too dear"}
    no_token = client.post("/quotes/q-1/accept", data={}, headers=origin(client))
    assert no_token.status_code == 403
    assert len(calls(harness, "POST", "/quotes/q-1/accept")) == 1


async def test_the_quote_pages_refuse_other_roles() -> None:
    harness, client = await signed_in({"GET /quotes/q-1": QUOTE}, "finance")
    for path in ("/quotes", "/quotes/q-1", "/quotes/q-1/pdf", "/requests", "/approvals"):
        assert client.get(path).status_code == 403, path
    assert not harness.calls


# Approvals


async def test_a_manager_sees_what_waits_and_decides_with_a_note() -> None:
    harness, client = await signed_in(
        {
            "GET /quotes": {"items": [PENDING], "next_page_token": ""},
            "GET /customers": CUSTOMERS,
            "POST /quotes/q-1/approval": (200, QUOTE),
        },
        "sales-manager",
    )
    page = client.get("/approvals")
    assert page.status_code == 200
    assert 'id="approvals-table"' in page.text
    assert 'id="approve-q-1"' in page.text
    assert 'id="reject-q-1"' in page.text
    assert "35% off is above the 20%" in page.text
    assert "116.63 EUR" in page.text
    assert ">sam<" in page.text
    assert dict(calls(harness, "GET", "/quotes")[0].url.params) == {
        "approval": "pending",
        "page_size": "100",
    }
    answer = client.post(
        "/approvals/q-1",
        data={"csrf_token": csrf(page), "decision": "reject", "note": "too generous"},
        headers=origin(client),
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/approvals?done=Rejected")
    (posted,) = calls(harness, "POST", "/quotes/q-1/approval")
    assert body_of(posted) == {"decision": "reject", "note": "too generous"}


async def test_a_refused_decision_is_a_message_and_a_salesperson_cannot_decide() -> None:
    problem = {"detail": "not on a quote of your own"}
    harness, client = await signed_in(
        {
            "GET /quotes": {"items": [PENDING], "next_page_token": ""},
            "GET /customers": CUSTOMERS,
            "POST /quotes/q-1/approval": (403, problem),
        },
        "sales-manager",
    )
    token = token_of(client, "/approvals")
    answer = client.post(
        "/approvals/q-1",
        data={"csrf_token": token, "decision": "approve"},
        headers=origin(client),
    )
    assert answer.status_code == 403
    assert "not on a quote of your own" in answer.text
    assert 'id="approvals-table"' in answer.text
    assert len(calls(harness, "POST", "/quotes/q-1/approval")) == 1

    seller, seller_client = await signed_in({"GET /quotes": {"items": []}}, "sales")
    assert seller_client.get("/approvals").status_code == 403
    token = token_of(seller_client, "/account")
    refused = seller_client.post(
        "/approvals/q-1", data={"csrf_token": token, "decision": "approve"}
    )
    assert refused.status_code == 403
    assert not seller.calls


async def test_an_admin_opens_every_sales_page() -> None:
    _, client = await signed_in(
        {
            "GET /requests": REQUESTS,
            "GET /customers": CUSTOMERS,
            "GET /quotes": {"items": [], "next_page_token": ""},
            "GET /reports/lost-demand": {"rows": [], "totals": []},
        },
        "admin",
    )
    for path in ("/requests", "/requests/lost-demand", "/quotes", "/approvals"):
        assert client.get(path).status_code == 200, path


# The quote form, both ways


def test_a_quote_becomes_the_content_that_says_it_again() -> None:
    content = content_of(QUOTE)
    assert content["groups"] == [
        {
            "name": "Hardware",
            "taxes": [],
            "lines": [
                {"product_id": "p-1", "description": "Widget", "quantity": 3, "taxes": [VAT]},
                {
                    "description": "Installation",
                    "quantity": 1,
                    "taxes": [],
                    "unit_price": {"amount": "80.00", "currency": "EUR"},
                    "discount": {"percent": "10", "amount": ""},
                },
            ],
        }
    ]
    assert content["policy"]["rounding_mode"] == "per_line"
    assert content["salesperson"] == "sam"
    overridden = copy.deepcopy(QUOTE)
    overridden["document"]["groups"][0]["lines"][0]["price_rule"] = "entered"
    assert content_of(overridden)["groups"][0]["lines"][0]["unit_price"] == {
        "amount": "12.50",
        "currency": "EUR",
    }
    empty = QUOTE | {"document": None}
    add_product(content_of(empty) | {}, 3, "p-1", 1)
    bare = content_of(empty)
    add_product(bare, 3, "p-1", 1)
    assert bare["groups"] == [
        {"name": "", "taxes": [], "lines": [{"product_id": "p-1", "quantity": 1, "taxes": []}]}
    ]


def test_removed_and_empty_rows_are_left_out() -> None:
    form = _form("t", **{"g-0-l-0-remove": "on", "g-1-name": "Services"})
    built = content_from_form(form)
    assert built.errors == {}
    assert [(g["name"], g["lines"]) for g in built.content["groups"]] == [
        ("Hardware", []),
        ("Services", []),
    ]
    free = content_from_form(
        _form("t", **{"g-0-l-1-description": "Setup", "g-0-l-1-quantity": "1"})
    )
    assert free.errors == {"g-0-l-1-unit_price": "a free-text line needs its unit price"}


def test_the_gateways_paths_lead_back_to_form_fields() -> None:
    built = FormContent({}, groups=["g-0", "g-2"], lines=[["g-0-l-1"], ["g-2-l-0", "g-2-l-4"]])
    built.shipping = ["s-1"]
    assert built.field_of("groups[1].lines[1].quantity") == "g-2-l-4-quantity"
    assert built.field_of("groups[1].lines[0].unit_price.amount") == "g-2-l-0-unit_price"
    assert built.field_of("groups[0].lines[0].discount.percent") == "g-0-l-1-discount_percent"
    assert built.field_of("groups[0].lines[0].taxes[0].rate") == "g-0-l-1-taxes"
    assert built.field_of("groups[1].discount.amount") == "g-2-discount_amount"
    assert built.field_of("groups[1].name") == "g-2-name"
    assert built.field_of("shipping[0].amount") == "s-1-amount"
    assert built.field_of("valid_until") == "valid_until"
    assert built.field_of("approval") == "approval"
    assert built.field_of("groups[5].name") == "groups[5].name"


codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=8)
rates = st.decimals(min_value=0, max_value=1, places=4).map(str)


@given(st.lists(st.fixed_dictionaries({"code": codes, "rate": rates}), max_size=5))
def test_taxes_read_back_as_they_are_shown(taxes: list[dict[str, str]]) -> None:
    assert parse_taxes(taxes_text(taxes)) == taxes


def test_taxes_that_do_not_read_as_pairs_are_refused() -> None:
    assert parse_taxes("VAT19") is None
    assert parse_taxes("=0.19") is None
    assert parse_taxes(" ; ") == []


async def test_what_a_quote_says_is_escaped_in_the_builder() -> None:
    hostile = copy.deepcopy(QUOTE)
    hostile["document"]["groups"][0]["lines"][1]["description"] = '"><script>alert(1)</script>'
    _, client = await signed_in({"GET /quotes/q-1": hostile, "GET /customers/c-1": CUSTOMER})
    page = client.get("/quotes/q-1")
    assert "<script>alert(1)" not in page.text
    assert "&#34;&gt;&lt;script&gt;alert(1)" in page.text


def test_the_sales_pages_open_to_their_roles() -> None:
    assert [p for p in pages_for("order-desk") if p in SALES_PAGES] == [Page.REQUESTS]
    assert [p for p in pages_for("sales") if p in SALES_PAGES] == [Page.REQUESTS, Page.QUOTES]
    assert [p for p in pages_for("sales-manager") if p in SALES_PAGES] == list(SALES_PAGES)
    assert [p for p in pages_for("admin") if p in SALES_PAGES] == list(SALES_PAGES)
    for role in ("warehouse", "finance", "purchasing"):
        assert not [p for p in pages_for(role) if p in SALES_PAGES], role
