"""The walking skeleton, through the gateway: a product and its stock, an order reserved,
shipped and invoiced, composed in one summary and told in its timeline; its events readable from
the broker."""

from __future__ import annotations

import asyncio
import sys
import uuid
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer

from testkit.security import session_security
from testkit.services import operator
from tests.e2e.helpers import Api, eventually, new_customer

TRACE_ID = uuid.uuid4().hex
TRACEPARENT = f"00-{TRACE_ID}-{uuid.uuid4().hex[:16]}-01"


async def _stocked_product(api: Api, units: int, price: str = "12.50") -> tuple[str, str]:
    sku = f"SKU-{uuid.uuid4().hex[:8]}"
    product = await api.created(
        "/products",
        {"sku": sku, "name": "Widget", "list_price": {"amount": price, "currency": "EUR"}},
    )
    warehouse = await api.created(
        "/warehouses", {"code": f"W{uuid.uuid4().hex[:6]}", "name": "Main"}
    )
    adjusted = await api.post(
        "/stock/adjustments",
        {
            "warehouse_id": warehouse["id"],
            "product_id": product["id"],
            "quantity_delta": units,
            "reason": "initial count",
        },
    )
    assert adjusted.status_code in (200, 201), adjusted.text
    return product["id"], warehouse["id"]


async def _order(api: Api, product_id: str, quantity: int, **headers: str) -> Any:
    response = await api.post(
        "/sales-orders",
        {
            "customer_id": await new_customer(api),
            "currency": "EUR",
            "lines": [{"product_id": product_id, "quantity": quantity}],
        },
        **headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _stock_status(api: Api, order_id: str) -> str:
    return str((await api.get(f"/sales-orders/{order_id}")).json()["stock_status"])


async def test_an_order_is_reserved_shipped_invoiced_and_summarised(
    admin: Api, kafka_bootstrap: str
) -> None:
    product_id, warehouse_id = await _stocked_product(admin, units=10)
    order = await _order(admin, product_id, 3, traceparent=TRACEPARENT)
    assert order["total"] == {"amount": "37.50", "currency": "EUR"}

    assert order["status"] == "execution"  # a standard order in credit is approved at once
    await eventually(lambda: _stock_status(admin, order["id"]), lambda s: s == "reserved")
    stock = (await admin.get("/stock", product_id=product_id)).json()
    assert [(s["on_hand"], s["reserved"], s["available"]) for s in stock["items"]] == [(10, 3, 7)]

    shipment = await admin.created(
        "/shipments",
        {
            "order_id": order["id"],
            "warehouse_id": warehouse_id,
            "carrier": "DHL",
            "tracking_number": "1Z999",
        },
    )
    assert [line["quantity"] for line in shipment["lines"]] == [3]

    summary = await eventually(
        lambda: admin.get(f"/sales-orders/{order['id']}/summary"),
        lambda r: r.status_code == 200 and r.json()["order"]["status"] == "invoiced",
    )
    body = summary.json()
    assert [s["id"] for s in body["shipments"]] == [shipment["id"]]
    (invoice,) = body["invoices"]
    assert invoice["total"] == {"amount": "37.50", "currency": "EUR"}
    assert invoice["number"].startswith("INV-")
    assert invoice["shipment_id"] == shipment["id"]

    # its timeline: each service's events on it, in time order, with the REST caller's trace
    timeline = await eventually(
        lambda: admin.get(f"/sales-orders/{order['id']}/timeline"),
        lambda r: (
            r.status_code == 200
            and any(e["event_type"].endswith("InvoiceIssued.v1") for e in r.json()["items"])
        ),
    )
    items = timeline.json()["items"]
    assert {"orders", "inventory", "billing"} <= {e["service"] for e in items}
    times = [datetime.fromisoformat(e["at"]) for e in items]
    assert times == sorted(times)
    placed_entry = next(e for e in items if e["event_type"].endswith("SalesOrderPlaced.v1"))
    assert (placed_entry["actor"], placed_entry["trace_id"]) == ("e2e-admin", TRACE_ID)
    assert all("37.5" not in e["summary"] for e in items), "no money in the timeline"

    # the placed event is on the broker with CloudEvents headers, the actor and the caller's trace
    consumer = AIOKafkaConsumer(
        "oms.orders.sales-order.v1",
        **operator(kafka_bootstrap).client_args(),  # the broker takes certified callers only
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        placed = None
        while placed is None and (batches := await consumer.getmany(timeout_ms=2000)):
            for records in batches.values():
                for record in records:
                    headers = {k: v.decode() for k, v in record.headers}
                    if record.key == order["id"].encode() and headers["ce_type"].endswith(
                        "SalesOrderPlaced.v1"
                    ):
                        placed = headers
    finally:
        await consumer.stop()
    assert placed is not None
    assert placed["ce_source"] == "/oms/orders"
    assert placed["ce_actor"] == "e2e-admin"
    assert placed["content-type"] == "application/protobuf"
    assert TRACE_ID in placed["traceparent"], "the REST caller's trace continues into Kafka"


async def test_two_concurrent_orders_for_the_last_unit_reserve_exactly_one(admin: Api) -> None:
    product_id, _ = await _stocked_product(admin, units=1)
    first, second = await asyncio.gather(_order(admin, product_id, 1), _order(admin, product_id, 1))
    statuses = await asyncio.gather(
        *[
            eventually(
                lambda o=o: admin.get(f"/sales-orders/{o['id']}"),
                lambda r: r.json()["stock_status"] != "pending",
            )
            for o in (first, second)
        ]
    )
    outcomes = sorted(r.json()["stock_status"] for r in statuses)
    assert outcomes == ["backordered", "reserved"]
    stock = (await admin.get("/stock", product_id=product_id)).json()["items"]
    assert [(s["on_hand"], s["reserved"]) for s in stock] == [(1, 1)]


async def test_quoting_and_procurement_answer_through_the_gateway(admin: Api) -> None:
    quote = await admin.created(
        "/quotes",
        {
            "customer_id": await new_customer(admin),
            "salesperson": "sam",
            "currency": "EUR",
            "lines": [
                {
                    "description": "Installation",
                    "quantity": 2,
                    "unit_price": {"amount": "99.995", "currency": "EUR"},
                }
            ],
        },
    )
    assert quote["total"] == {"amount": "199.99", "currency": "EUR"}
    assert (await admin.get(f"/quotes/{quote['id']}")).json()["id"] == quote["id"]
    supplier = await admin.created(
        "/suppliers",
        {"name": f"Acme {uuid.uuid4().hex[:6]}", "email": "buy@acme.test", "currency": "EUR"},
    )
    assert (await admin.get(f"/suppliers/{supplier['id']}")).json()["name"] == supplier["name"]


async def test_events_can_be_read_with_kafkas_own_console_consumer(
    admin: Api, kafka_bootstrap: str
) -> None:
    product_id, _ = await _stocked_product(admin, units=5)
    order = await _order(admin, product_id, 1)
    consumer = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "devstack.kafka",
        "console-consumer",
        "--bootstrap-server",
        kafka_bootstrap,
        "--pki",
        str(session_security().pki.folder),
        "--topic",
        "oms.orders.sales-order.v1",
        "--from-beginning",
        "--timeout-ms",
        "5000",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    output, _ = await asyncio.wait_for(consumer.communicate(), 90)
    ours = [line for line in output.decode(errors="replace").splitlines() if order["id"] in line]
    assert ours, "the console consumer printed the order's event"
    assert "ce_type:oms.orders.SalesOrderPlaced.v1" in ours[0]
    assert "ce_actor:e2e-admin" in ours[0]


async def test_products_are_searched_by_words_category_attributes_and_price(admin: Api) -> None:
    tools = await admin.created("/categories", {"name": "Tools"})
    drills = await admin.created("/categories", {"name": "Drills", "parent_id": tools["id"]})
    tag = uuid.uuid4().hex[:6]
    for sku, price, colour in ((f"D-{tag}-1", "89.00", "blue"), (f"D-{tag}-2", "19.00", "red")):
        await admin.created(
            "/products",
            {
                "sku": sku,
                "name": f"Cordless drill {tag}",
                "category_id": drills["id"],
                "attributes": {"colour": colour},
                "list_price": {"amount": price, "currency": "EUR"},
            },
        )
    found = await admin.get(
        "/products",
        text=f"drill {tag}",
        category_id=tools["id"],
        attribute="colour:blue",
        max_price="100",
    )
    assert [p["sku"] for p in found.json()["items"]] == [f"D-{tag}-1"]
    assert found.json()["items"][0]["attributes"] == {"colour": "blue"}
    bad = await admin.get("/products", min_price="abc")
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["min_price"]


async def test_a_customer_groups_price_list_sets_the_price_for_a_quantity(admin: Api) -> None:
    product = await admin.created(
        "/products",
        {
            "sku": f"PL-{uuid.uuid4().hex[:6]}",
            "name": "Bolt",
            "list_price": {"amount": "1.00", "currency": "EUR"},
        },
    )
    await admin.created(
        "/price-lists",
        {
            "name": "Wholesale",
            "currency": "EUR",
            "customer_group": "wholesale",
            "breaks": [{"product_id": product["id"], "min_quantity": 100, "unit_price": "0.75"}],
        },
    )
    wholesale = (
        await admin.get(
            f"/products/{product['id']}/price",
            currency="EUR",
            quantity="150",
            customer_group="wholesale",
        )
    ).json()
    assert wholesale == {
        "unit_price": {"amount": "0.75", "currency": "EUR"},
        "rule": "price list 'Wholesale' (group wholesale), from 100 units",
    }
    retail = (
        await admin.get(f"/products/{product['id']}/price", currency="EUR", quantity="150")
    ).json()
    assert retail["rule"] == "list price"


async def test_a_discontinued_product_can_no_longer_be_ordered(admin: Api) -> None:
    product_id, _ = await _stocked_product(admin, units=5)
    repriced = await admin.client.put(
        f"/products/{product_id}/list-price", json={"amount": "14.00", "currency": "EUR"}
    )
    assert repriced.json()["list_price"] == {"amount": "14.00", "currency": "EUR"}
    assert (await admin.post(f"/products/{product_id}/discontinue", {})).json()["active"] is False
    refused = await admin.post(
        "/sales-orders",
        {
            "customer_id": await new_customer(admin),
            "currency": "EUR",
            "lines": [{"product_id": product_id, "quantity": 1}],
        },
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["lines[0].product_id"]
