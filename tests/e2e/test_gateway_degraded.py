"""The gateway with one service killed: the order summary answers with what it has and names the
missing part, the gateway stays ready, and its backends report names the service that is down;
once the service is back, the gateway finds it again within a couple of seconds."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from devstack.supervisor import Stack
from tests.e2e.helpers import Api, eventually, new_customer


async def test_the_summary_without_billing_names_the_invoices_missing_and_stays_ready(
    admin: Api, e2e_stack: Stack
) -> None:
    product = await admin.created(
        "/products",
        {
            "sku": f"G-{uuid.uuid4().hex[:8]}",
            "name": "Gateway lamp",
            "list_price": {"amount": "10.00", "currency": "EUR"},
        },
    )
    order = await admin.created(
        "/sales-orders",
        {
            "customer_id": await new_customer(admin, "Degraded buyer"),
            "currency": "EUR",
            "lines": [{"product_id": product["id"], "quantity": 1}],
        },
    )
    await e2e_stack.kill("billing")  # SIGKILL: as a crash would
    try:
        summary = await admin.get(f"/sales-orders/{order['id']}/summary")
        async with httpx.AsyncClient(base_url=e2e_stack.gateway_url) as probes:
            ready = await probes.get("/health/ready")
            backends = (await probes.get("/health/backends")).json()
        # the desk looks again while billing stays down, each time without the invoices
        for _ in range(8):
            await asyncio.sleep(1)
            again = await admin.get(f"/sales-orders/{order['id']}/summary")
            assert [m["part"] for m in again.json()["missing"]] == ["invoices"]
    finally:
        await e2e_stack.restart("billing")  # returns once billing answers its health probe
    # gRPC's default reconnect backoff would have grown to 4-7 s while billing was down
    whole = await eventually(
        lambda: admin.get(f"/sales-orders/{order['id']}/summary"),
        lambda r: r.status_code == 200 and r.json()["missing"] == [],
        seconds=2.5,
    )
    assert summary.status_code == 200, summary.text
    body = summary.json()
    assert body["order"]["id"] == order["id"]
    assert body["missing"] == [{"part": "invoices", "service": "billing", "reason": "unavailable"}]
    assert ready.status_code == 200
    status = {b["service"]: b["status"] for b in backends["backends"]}
    assert (backends["status"], status["billing"], status["orders"]) == (
        "degraded",
        "UNAVAILABLE",
        "SERVING",
    )
    assert whole.json()["order"]["id"] == order["id"]
