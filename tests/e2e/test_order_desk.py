"""The order desk end to end, through the gateway: backorders filled by a receipt and shipped in
two parts from two warehouses, invoiced per shipment, paid and closed; fifty orders racing for ten
units against two inventory replicas; cancellation; a return; refused moves; a task handed to a
salesperson."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from devstack.supervisor import Stack
from testkit.services import free_port
from tests.e2e.helpers import Api, eventually, new_customer


@pytest.fixture
async def desk(gateway_url: str) -> AsyncIterator[Api]:
    roles = ("order-desk", "sales", "finance", "warehouse", "purchasing")
    api = Api(gateway_url, "e2e-desk", *roles)
    yield api
    await api.aclose()


async def _product(api: Api, price: str = "10.00") -> dict[str, Any]:
    body = {
        "sku": f"D-{uuid.uuid4().hex[:8]}",
        "name": "Desk lamp",
        "list_price": {"amount": price, "currency": "EUR"},
        "cost": "6.00",
    }
    return await api.created("/products", body)


async def _warehouse(api: Api, priority: int) -> dict[str, Any]:
    body = {"code": f"W{uuid.uuid4().hex[:6]}", "name": f"Hall {priority}", "priority": priority}
    return await api.created("/warehouses", body)


async def _stock(api: Api, warehouse_id: str, product_id: str, units: int) -> None:
    response = await api.post(
        "/stock/adjustments",
        {
            "warehouse_id": warehouse_id,
            "product_id": product_id,
            "quantity_delta": units,
            "reason": "count",
        },
    )
    assert response.status_code in (200, 201), response.text


async def _order(api: Api, product_id: str, quantity: int, customer: str = "") -> Any:
    body = {
        "customer_id": customer or await new_customer(api, "Desk buyer"),
        "currency": "EUR",
        "lines": [{"product_id": product_id, "quantity": quantity}],
    }
    return await api.created("/sales-orders", body)


async def _get(api: Api, order_id: str) -> dict[str, Any]:
    response = await api.get(f"/sales-orders/{order_id}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def _until(api: Api, order_id: str, field: str, value: str) -> dict[str, Any]:
    found: dict[str, Any] = await eventually(
        lambda: _get(api, order_id), lambda o: o[field] == value, seconds=60
    )
    return found


async def _stock_of(api: Api, product_id: str) -> list[tuple[str, int, int]]:
    items = (await api.get("/stock", product_id=product_id)).json()["items"]
    return sorted((s["warehouse_id"], s["on_hand"], s["reserved"]) for s in items)


async def test_a_backordered_order_ships_in_two_parts_is_invoiced_paid_and_closed(
    desk: Api,
) -> None:
    product = await _product(desk)
    near, far = await _warehouse(desk, 1), await _warehouse(desk, 2)
    await _stock(desk, near["id"], product["id"], 3)
    order = await _order(desk, product["id"], 5)
    found = await _until(desk, order["id"], "stock_status", "backordered")
    assert [(x["reserved"], x["backordered"]) for x in found["lines"]] == [(3, 2)]

    receipt = await desk.post(
        "/receipts",
        {"warehouse_id": far["id"], "lines": [{"product_id": product["id"], "quantity": 2}]},
    )
    assert receipt.status_code == 201, receipt.text
    await _until(desk, order["id"], "stock_status", "reserved")

    for warehouse in (near, far):
        await desk.created(
            "/shipments",
            {"order_id": order["id"], "warehouse_id": warehouse["id"], "carrier": "DHL"},
        )
    invoices = await eventually(
        lambda: desk.get("/invoices", order_id=order["id"]),
        lambda r: len(r.json()["items"]) == 2,
        seconds=60,
    )
    totals = sorted(i["total"]["amount"] for i in invoices.json()["items"])
    assert totals == ["20.00", "30.00"]
    for invoice in invoices.json()["items"]:
        paid = await desk.post(
            "/payments",
            {
                "invoice_id": invoice["id"],
                "amount": invoice["total"],
                # one transfer per invoice: a reference names one payment of the customer's
                "reference": f"bank {invoice['number']}",
                "received_on": datetime.now(UTC).date().isoformat(),
            },
        )
        assert paid.status_code == 201, paid.text
    await _until(desk, order["id"], "status", "closed")

    history = (await desk.get(f"/sales-orders/{order['id']}/history")).json()["items"]
    moves = [h["to_status"] for h in history if h["from_status"]]
    assert moves == [
        "approval",
        "execution",
        "partially_shipped",
        "shipped",
        "invoiced",
        "paid",
        "closed",
    ]
    assert any(h["note"] == "stock backordered" for h in history)


async def test_fifty_orders_for_ten_units_reserve_exactly_ten_with_two_inventory_replicas(
    desk: Api, e2e_stack: Stack
) -> None:
    await e2e_stack.start_service("inventory", replica=1, grpc_port=free_port())
    product = await _product(desk)
    warehouse = await _warehouse(desk, 1)
    await _stock(desk, warehouse["id"], product["id"], 10)
    orders = await asyncio.gather(*(_order(desk, product["id"], 1) for _ in range(50)))

    async def every_order() -> list[dict[str, Any]]:
        # one after another, as a client within the gateway's 50 requests a second would
        found = []
        for order in orders:
            found.append(await _get(desk, order["id"]))
            await asyncio.sleep(0.03)
        return found

    settled = await eventually(
        every_order, lambda found: all(o["stock_status"] != "pending" for o in found), 90
    )
    outcomes = [o["stock_status"] for o in settled]
    assert (outcomes.count("reserved"), outcomes.count("backordered")) == (10, 40)
    assert await _stock_of(desk, product["id"]) == [(warehouse["id"], 10, 10)]


async def test_a_cancelled_order_releases_its_stock(desk: Api) -> None:
    product = await _product(desk)
    warehouse = await _warehouse(desk, 1)
    await _stock(desk, warehouse["id"], product["id"], 4)
    order = await _order(desk, product["id"], 3)
    await _until(desk, order["id"], "stock_status", "reserved")
    assert await _stock_of(desk, product["id"]) == [(warehouse["id"], 4, 3)]
    cancelled = await desk.post(f"/sales-orders/{order['id']}/cancel", {"reason": "withdrawn"})
    assert cancelled.status_code == 200, cancelled.text
    await _until(desk, order["id"], "stock_status", "released")
    assert await _stock_of(desk, product["id"]) == [(warehouse["id"], 4, 0)]


async def test_a_return_puts_goods_back_and_credits_the_customer(desk: Api) -> None:
    product = await _product(desk)
    warehouse = await _warehouse(desk, 1)
    await _stock(desk, warehouse["id"], product["id"], 5)
    order = await _order(desk, product["id"], 2)
    await _until(desk, order["id"], "stock_status", "reserved")
    await desk.created(
        "/shipments", {"order_id": order["id"], "warehouse_id": warehouse["id"], "carrier": "UPS"}
    )
    await _until(desk, order["id"], "status", "invoiced")
    line = order["lines"][0]["id"]
    authorised = await desk.created(
        f"/sales-orders/{order['id']}/returns",
        {"lines": [{"line_id": line, "quantity": 1}], "reason": "arrived broken"},
    )
    # inventory learns of the authorisation by an event: until then the return is unknown (404)
    received = await eventually(
        lambda: desk.post(
            f"/returns/{authorised['return_id']}/receipt", {"warehouse_id": warehouse["id"]}
        ),
        lambda r: r.status_code != 404,
    )
    assert received.status_code in (200, 201), received.text
    credits = await eventually(
        lambda: desk.get("/credit-notes", order_id=order["id"]),
        lambda r: r.status_code == 200 and len(r.json()["items"]) == 1,
        seconds=60,
    )
    (credit,) = credits.json()["items"]
    assert credit["total"] == {"amount": "10.00", "currency": "EUR"}
    assert await _stock_of(desk, product["id"]) == [(warehouse["id"], 4, 0)]
    found = await eventually(
        lambda: _get(desk, order["id"]), lambda o: o["lines"][0]["returned"] == 1
    )
    assert found["lines"][0]["returned"] == 1


async def test_a_forbidden_move_or_a_role_without_the_right_is_refused_and_changes_nothing(
    desk: Api, warehouse: Api
) -> None:
    product = await _product(desk)
    body = {
        "customer_id": await new_customer(desk, "Contract buyer"),
        "currency": "EUR",
        "order_type": "contract",
        "lines": [{"product_id": product["id"], "quantity": 1}],
    }
    order = await desk.created("/sales-orders", body)
    assert order["status"] == "request"
    await _until(desk, order["id"], "stock_status", "backordered")  # no stock: it waits
    before = (await desk.get(f"/sales-orders/{order['id']}/history")).json()["items"]

    forbidden = await desk.post(f"/sales-orders/{order['id']}/transitions", {"to_stage": "shipped"})
    assert forbidden.status_code == 409, forbidden.text
    assert forbidden.headers["content-type"] == "application/problem+json"
    assert "cannot go from request to shipped" in forbidden.json()["detail"]
    no_right = await warehouse.post(
        f"/sales-orders/{order['id']}/transitions", {"to_stage": "approval"}
    )
    assert no_right.status_code == 403, no_right.text
    await desk.post(f"/sales-orders/{order['id']}/transitions", {"to_stage": "approval"})
    missing = await desk.post(f"/sales-orders/{order['id']}/transitions", {"to_stage": "execution"})
    assert missing.status_code == 422, missing.text
    assert [e["field"] for e in missing.json()["errors"]] == ["contract_number", "payment_terms"]

    after = (await desk.get(f"/sales-orders/{order['id']}/history")).json()["items"]
    assert len(after) == len(before) + 1  # only the allowed move to approval
    assert (await _get(desk, order["id"]))["status"] == "approval"


async def test_a_kit_reserves_and_ships_its_components_and_is_billed_at_its_price(
    desk: Api,
) -> None:
    lamp, bulb = await _product(desk, "10.00"), await _product(desk, "1.00")
    kit = await desk.created(
        "/products",
        {
            "sku": f"K-{uuid.uuid4().hex[:8]}",
            "name": "Lamp set",
            "list_price": {"amount": "15.00", "currency": "EUR"},
            "kind": "kit",
            "components": [
                {"product_id": lamp["id"], "quantity": 1},
                {"product_id": bulb["id"], "quantity": 3},
            ],
        },
    )
    warehouse = await _warehouse(desk, 1)
    await _stock(desk, warehouse["id"], lamp["id"], 5)
    await _stock(desk, warehouse["id"], bulb["id"], 9)
    order = await _order(desk, kit["id"], 2)
    assert order["total"] == {"amount": "30.00", "currency": "EUR"}
    await _until(desk, order["id"], "stock_status", "reserved")
    assert await _stock_of(desk, lamp["id"]) == [(warehouse["id"], 5, 2)]
    assert await _stock_of(desk, bulb["id"]) == [(warehouse["id"], 9, 6)]
    await desk.created(
        "/shipments", {"order_id": order["id"], "warehouse_id": warehouse["id"], "carrier": "DHL"}
    )
    await _until(desk, order["id"], "status", "invoiced")
    (invoice,) = (await desk.get("/invoices", order_id=order["id"])).json()["items"]
    assert invoice["total"] == {"amount": "30.00", "currency": "EUR"}
    assert await _stock_of(desk, bulb["id"]) == [(warehouse["id"], 3, 0)]


async def test_the_saga_resumes_after_the_orders_service_is_killed_mid_flow(
    desk: Api, e2e_stack: Stack
) -> None:
    product = await _product(desk)
    warehouse = await _warehouse(desk, 1)
    await _stock(desk, warehouse["id"], product["id"], 2)
    order = await _order(desk, product["id"], 2)
    await _until(desk, order["id"], "stock_status", "reserved")
    await e2e_stack.kill("orders")  # SIGKILL: no clean-up runs
    try:
        # the goods leave and are invoiced while orders is down; their events wait on the broker
        await desk.created(
            "/shipments",
            {"order_id": order["id"], "warehouse_id": warehouse["id"], "carrier": "DHL"},
        )
        await eventually(
            lambda: desk.get("/invoices", order_id=order["id"]),
            lambda r: len(r.json()["items"]) == 1,
            seconds=60,
        )
    finally:
        await e2e_stack.restart("orders")
    found = await _until(desk, order["id"], "status", "invoiced")
    history = (await desk.get(f"/sales-orders/{order['id']}/history")).json()["items"]
    assert [h["to_status"] for h in history if h["from_status"]][-2:] == ["shipped", "invoiced"]
    assert found["lines"][0]["shipped"] == 2


async def test_the_desk_hands_a_salesperson_a_task_they_alone_see_and_close(
    desk: Api, gateway_url: str
) -> None:
    name = f"e2e-seller-{uuid.uuid4().hex[:6]}"
    seller, other = Api(gateway_url, name, "sales"), Api(gateway_url, f"{name}-x", "sales")
    try:
        yesterday = datetime.now(UTC).date() - timedelta(days=1)
        body = {
            "subject_type": "quote",
            "subject_id": f"q-{uuid.uuid4().hex[:8]}",
            "title": "Chase the customer's answer",
            "assignee": name,
            "due_date": yesterday.isoformat(),
        }
        key = {"Idempotency-Key": uuid.uuid4().hex}
        created = await desk.post("/tasks", body, **key)
        assert created.status_code == 201, created.text
        task = created.json()
        assert (await desk.post("/tasks", body, **key)).json()["id"] == task["id"]
        assert (task["status"], task["overdue"], task["created_by"]) == ("open", True, "e2e-desk")
        mine = (await seller.get("/tasks", assignee="me", overdue="true")).json()["items"]
        assert [t["id"] for t in mine] == [task["id"]]
        assert (await other.get("/tasks", assignee=name)).json()["items"] == []
        assert (await other.get(f"/tasks/{task['id']}")).status_code == 404
        done = await seller.client.patch(f"/tasks/{task['id']}", json={"status": "done"})
        assert done.status_code == 200, done.text
        assert (done.json()["status"], done.json()["overdue"]) == ("done", False)
        late_edit = await seller.client.patch(f"/tasks/{task['id']}", json={"title": "Later"})
        assert late_edit.status_code == 409
    finally:
        await seller.aclose()
        await other.aclose()
