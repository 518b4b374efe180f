"""The pipeline board and the sales forecast over a faked gateway."""

from __future__ import annotations

from typing import Any

import pytest

from services.web.tests.unit.pages_harness import Harness, json_answer, sign_in
from web.entrypoints.pipeline import board

PIPELINE: dict[str, Any] = {
    "order_type": "standard",
    "stages": [
        {"name": "approval", "probability": "0.5", "requires": [], "open": True},
        {"name": "execution", "probability": "0.9", "requires": [], "open": True},
        {"name": "closed", "probability": "1", "requires": [], "open": False},
    ],
    "transitions": [],
}


def order(order_id: str, status: str, amount: str, customer: str = "c-1") -> dict[str, Any]:
    return {
        "id": order_id,
        "customer_id": customer,
        "status": status,
        "total": {"amount": amount, "currency": "EUR"},
        "salesperson": "sam",
        "credit_hold": "",
    }


ORDERS: dict[str, Any] = {
    "items": [
        order("o-a1", "approval", "100.00"),
        order("o-e1", "execution", "250.00", "c-2"),
        order("o-x1", "legacy_stage", "5.00"),
    ],
    "totals": [],
    "next_page_token": "",
}
FORECAST = {
    "items": [
        {"month": "2026-12", "expected": {"amount": "1200.00", "currency": "EUR"}},
        {"month": "2027-01", "expected": {"amount": "300.00", "currency": "USD"}},
    ],
    "reporting_total": {
        "currency": "EUR",
        "total": {"amount": "1476.00", "currency": "EUR"},
        "complete": True,
        "rates_on": "2026-12-06",
        "conversions": [],
    },
}
ROUTES: dict[str, Any] = {
    "/pipelines/standard": PIPELINE,
    "/sales-orders": ORDERS,
    "/customers": {"items": [{"id": "c-1", "name": "Acme"}, {"id": "c-2", "name": "Globex"}]},
    "/reports/sales-forecast": FORECAST,
}


async def signed_in(role: str, routes: dict[str, Any] | None = None) -> tuple[Harness, Any]:
    harness = Harness(json_answer(ROUTES | (routes or {})))
    await harness.user("sam", role)
    client = harness.client()
    sign_in(client, "sam")
    return harness, client


def test_the_board_has_a_column_per_stage_in_order_and_one_for_the_rest() -> None:
    columns = board(PIPELINE["stages"], ORDERS["items"])
    assert [c["stage"] for c in columns] == ["approval", "execution", "closed", "other"]
    assert [[o["id"] for o in c["cards"]] for c in columns] == [["o-a1"], ["o-e1"], [], ["o-x1"]]
    assert [c["stage"] for c in board(PIPELINE["stages"], [])] == [
        "approval",
        "execution",
        "closed",
    ]


@pytest.mark.parametrize("role", ["sales", "sales-manager", "order-desk"])
async def test_sellers_see_the_board_and_the_forecast(role: str) -> None:
    harness, client = await signed_in(role)
    page = client.get("/pipeline")
    assert page.status_code == 200
    text = page.text
    board_html = text[text.index('id="pipeline-board"') : text.index('id="forecast-title"')]
    assert board_html.index(">approval <") < board_html.index(">execution <")
    assert board_html.index("Acme") < board_html.index("Globex")  # approval before execution
    assert "250.00 EUR" in board_html
    assert 'href="/orders/o-e1"' in board_html
    assert ">other <" in board_html
    chart = text[text.index('id="forecast-chart"') :]
    assert "<svg" in chart
    assert "2026-12 EUR: 1200.00 EUR" in chart  # a bar's title
    assert "1476.00 EUR" in text
    calls = {c.url.path.removeprefix("/api/v1"): dict(c.url.params) for c in harness.calls}
    assert calls["/sales-orders"] == {"order_type": "standard", "page_size": "100"}
    assert "/pipelines/standard" in calls


async def test_another_order_type_is_asked_for_by_name() -> None:
    harness, client = await signed_in("sales", {"/pipelines/rush": PIPELINE})
    assert client.get("/pipeline", params={"order_type": "rush"}).status_code == 200
    paths = [c.url.path for c in harness.calls]
    assert "/api/v1/pipelines/rush" in paths
    orders = next(c for c in harness.calls if c.url.path.endswith("/sales-orders"))
    assert orders.url.params["order_type"] == "rush"


async def test_an_unknown_pipeline_and_a_refused_forecast_are_messages() -> None:
    routes = {
        "/pipelines/standard": (404, {"detail": "no pipeline for order type standard"}),
        "/reports/sales-forecast": (403, {"detail": "no"}),
        "/customers": (403, {"detail": "no"}),
    }
    _, client = await signed_in("sales", routes)
    page = client.get("/pipeline")
    assert page.status_code == 200
    assert "no pipeline for order type standard" in page.text
    assert "Not shown: not available to your role." in page.text
    assert "c-1" in page.text  # the customer's id when its name cannot be read


@pytest.mark.parametrize("role", ["warehouse", "purchasing", "finance"])
async def test_other_roles_are_refused_the_pipeline(role: str) -> None:
    harness, client = await signed_in(role)
    answer = client.get("/pipeline")
    assert answer.status_code == 403
    assert "does not open this page" in answer.text
    assert harness.calls == []


async def test_a_gateway_that_cannot_answer_is_a_503_page() -> None:
    _, client = await signed_in("sales", {"/sales-orders": (502, {"detail": "orders is down"})})
    answer = client.get("/pipeline")
    assert answer.status_code == 503
    assert "orders is down" in answer.text
