"""The gateway's catalog resources over the real catalog service: who sees which figures, bounds
that answer 422 with the field, pages, and a retried product creation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.gateway.tests.integration.conftest import GatewayOverService
from testkit.services import signed_in

BUYER = signed_in("pia", "purchasing")
MANAGER = signed_in("max", "sales-manager")
SALES = signed_in("sam", "sales")
WAREHOUSE = signed_in("wes", "warehouse")
FINANCE = signed_in("fay", "finance")


@pytest.fixture
async def api(gateway_over_service: GatewayOverService) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_over_service("catalog", "http://gw/api/v1") as (client, _):
        yield client


def bolt(**fields: Any) -> dict[str, Any]:
    return {
        "sku": "BOLT",
        "name": "Bolt",
        "list_price": {"amount": "10.00", "currency": "EUR"},
        "cost": "4.50",
        "suppliers": [{"supplier_id": "S-1", "cost": "4.20", "currency": "EUR"}],
    } | fields


async def created(api: httpx.AsyncClient, path: str, body: Any, headers: Any = BUYER) -> Any:
    reply = await api.post(path, json=body, headers=headers)
    assert reply.status_code == 201, reply.text
    return reply.json()


async def test_costs_for_buyers_and_finance_prices_for_all_but_the_warehouse(
    api: httpx.AsyncClient,
) -> None:
    product = await created(api, "/products", bolt())
    path = f"/products/{product['id']}"
    for who, cost, price in [
        (BUYER, "4.50", {"amount": "10.00", "currency": "EUR"}),
        (FINANCE, "4.50", {"amount": "10.00", "currency": "EUR"}),
        (SALES, "", {"amount": "10.00", "currency": "EUR"}),
        (WAREHOUSE, "", None),
    ]:
        read = (await api.get(path, headers=who)).json()
        assert (read["cost"], read["suppliers"][0]["cost"] or "", read["list_price"]) == (
            cost,
            cost and "4.20",
            price,
        )
    assert (await api.get(path, headers=WAREHOUSE)).json()["withheld"] == [
        "list_price",
        "cost",
        "suppliers.cost",
    ]
    for route in (f"{path}/price?currency=EUR", "/price-lists"):
        assert (await api.get(route, headers=WAREHOUSE)).status_code == 403
    price = await api.get(f"{path}/price", params={"currency": "EUR"}, headers=SALES)
    assert price.json()["unit_price"] == {"amount": "10.00", "currency": "EUR"}

    assert (await api.post("/products", json=bolt(sku="NUT"), headers=SALES)).status_code == 403
    price_list = {
        "name": "Trade",
        "currency": "EUR",
        "breaks": [{"product_id": product["id"], "min_quantity": 10, "unit_price": "9"}],
    }
    assert (await api.post("/price-lists", json=price_list, headers=SALES)).status_code == 403
    trade = await created(api, "/price-lists", price_list, MANAGER)
    read_back = (await api.get(f"/price-lists/{trade['id']}", headers=SALES)).json()
    assert (read_back["break_count"], read_back["breaks"][0]["unit_price"]) == (1, "9.00")


# (method, path, body, field at fault); a body is posted by its keeper
OUT_OF_BOUNDS: list[tuple[str, str, Any, str]] = [
    ("post", "/products", bolt(sku="X" * 65), "sku"),
    ("post", "/products", bolt(description="x" * 5001), "description"),
    ("post", "/products", bolt(attributes={f"a{i}": "v" for i in range(51)}), "attributes"),
    ("post", "/products", bolt(cost="1" * 41), "cost"),
    ("post", "/products", bolt(category_id="c" * 101), "category_id"),
    (
        "post",
        "/products",
        bolt(kind="kit", components=[{"product_id": "p", "quantity": 1_000_001}]),
        "components[0].quantity",
    ),
    # bounds the catalog itself keeps
    (
        "post",
        "/products",
        bolt(list_price={"amount": "-1", "currency": "EUR"}),
        "list_price.amount",
    ),
    ("post", "/products", bolt(cost="0.0000001"), "cost"),
    ("post", "/categories", {"name": "x" * 201}, "name"),
    (
        "post",
        "/price-lists",
        {
            "name": "Trade",
            "currency": "EUR",
            "customer_group": "g" * 101,
            "breaks": [{"product_id": "p", "min_quantity": 1, "unit_price": "1"}],
        },
        "customer_group",
    ),
    ("get", "/products?page_size=201", None, "page_size"),
    ("get", "/categories?page_size=0", None, "page_size"),
    ("get", "/price-lists?page_size=201", None, "page_size"),
    ("get", "/products/p/variants?page_size=201", None, "page_size"),
    ("get", "/products/p/price?currency=EUR&quantity=1000001", None, "quantity"),
    ("get", f"/products/{'p' * 101}", None, "product_id"),
]


async def test_input_out_of_bounds_is_422_with_the_field(api: httpx.AsyncClient) -> None:
    for method, path, body, field in OUT_OF_BOUNDS:
        headers = MANAGER if path.startswith("/price-lists") else BUYER
        reply = await api.request(method, path, json=body, headers=headers)
        assert reply.status_code == 422, (path, reply.text)
        assert reply.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in reply.json()["errors"]] == [field], path


async def test_lists_come_a_page_at_a_time(api: httpx.AsyncClient) -> None:
    tools = await created(api, "/categories", {"name": "Tools"})
    await created(api, "/categories", {"name": "Drills", "parent_id": tools["id"]})
    first = (await api.get("/categories", params={"page_size": 1}, headers=SALES)).json()
    rest = await api.get(
        "/categories",
        params={"page_size": 1, "page_token": first["next_page_token"]},
        headers=SALES,
    )
    assert [c["name"] for c in [*first["items"], *rest.json()["items"]]] == ["Tools", "Drills"]
    assert rest.json()["next_page_token"] == ""

    for sku in ("A-1", "A-2"):
        await created(api, "/products", bolt(sku=sku))
    page = (await api.get("/products", params={"page_size": 1}, headers=SALES)).json()
    after = await api.get(
        "/products", params={"page_size": 1, "page_token": page["next_page_token"]}, headers=SALES
    )
    assert [p["sku"] for p in [*page["items"], *after.json()["items"]]] == ["A-1", "A-2"]


async def test_a_product_created_again_with_the_same_idempotency_key_is_the_first(
    api: httpx.AsyncClient,
) -> None:
    key = BUYER | {"Idempotency-Key": "create-bolt-1"}
    first = await created(api, "/products", bolt(), key)
    again = await api.post("/products", json=bolt(), headers=key)
    assert (again.status_code, again.json()["id"]) == (201, first["id"])
    listed = (await api.get("/products", headers=BUYER)).json()["items"]
    assert [p["id"] for p in listed] == [first["id"]]
