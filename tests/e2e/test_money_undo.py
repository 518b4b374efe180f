"""Every process undoes cleanly, end to end through the gateway: a purchase order cancelled after
part of it arrived (inventory stops expecting the rest, a receipt or a bill of it is refused); a
purchase order closed only once its last bill is paid, here by an advance applied to it; a
payment taken back moving its order back from paid; a partly shipped order cancelled for the
rest only (one made from a quote then billed whole for what shipped, repriced; one whose kit
shipped in part refused); and a stalled saga step shown to the order desk with the reason and
retried."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from devstack.supervisor import Stack
from tests.e2e.helpers import Api, eventually, new_customer

# The saga's deadline, short enough for a test to see an order stall (read when orders starts).
os.environ.setdefault("ORDERS_SAGA_STALL_AFTER_SECONDS", "30")
os.environ.setdefault("ORDERS_SAGA_STALL_CHECK_SECONDS", "1")
TODAY = datetime.now(UTC).date().isoformat()


@pytest.fixture
async def staff(gateway_url: str) -> AsyncIterator[Api]:
    roles = ("purchasing", "warehouse", "finance", "order-desk", "sales")
    api = Api(gateway_url, "e2e-undo", *roles)
    yield api
    await api.aclose()


def eur(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


async def _product(api: Api, price: str = "10.00") -> str:
    body = {"sku": f"U-{uuid.uuid4().hex[:8]}", "name": "Undo", "list_price": eur(price)}
    return str((await api.created("/products", body))["id"])


async def _warehouse(api: Api) -> str:
    body = {"code": f"U{uuid.uuid4().hex[:6]}", "name": "Undo dock"}
    return str((await api.created("/warehouses", body))["id"])


async def _get(api: Api, path: str) -> dict[str, Any]:
    response = await api.get(path)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def _until(api: Api, path: str, field: str, value: Any, seconds: float = 60) -> Any:
    found = await eventually(lambda: _get(api, path), lambda x: x[field] == value, seconds=seconds)
    return found


async def _sent_po(api: Api, warehouse: str, *lines: tuple[str, int, str]) -> tuple[str, str]:
    supplier = await api.created(
        "/suppliers", {"name": f"Undo {uuid.uuid4().hex[:6]}", "currency": "EUR"}
    )
    order = await api.created(
        "/purchase-orders",
        {
            "supplier_id": supplier["id"],
            "warehouse_id": warehouse,
            "groups": [
                {
                    "lines": [
                        {"product_id": p, "quantity": q, "unit_price": eur(price)}
                        for p, q, price in lines
                    ]
                }
            ],
        },
    )
    sent = await api.post(f"/purchase-orders/{order['id']}/send", {})
    assert sent.status_code == 200, sent.text
    return str(order["id"]), str(supplier["id"])


async def _receive(api: Api, warehouse: str, order_id: str, product: str, units: int) -> Any:
    return await api.post(
        "/receipts",
        {
            "warehouse_id": warehouse,
            "purchase_order_id": order_id,
            "lines": [{"product_id": product, "quantity": units}],
        },
    )


def _bill(order_id: str, supplier: str, product: str, units: int, price: str) -> dict[str, Any]:
    return {
        "purchase_order_id": order_id,
        "supplier_id": supplier,
        "supplier_reference": f"INV-{uuid.uuid4().hex[:6]}",
        "currency": "EUR",
        "lines": [{"product_id": product, "quantity": units, "unit_price": price}],
    }


async def _incoming(api: Api, product: str) -> int:
    items = (await api.get("/stock", product_id=product)).json()["items"]
    return sum(int(x["incoming"]) for x in items)


async def test_a_purchase_order_cancelled_after_part_arrived_stops_what_did_not(
    staff: Api,
) -> None:
    product, warehouse = await _product(staff), await _warehouse(staff)
    order_id, supplier = await _sent_po(staff, warehouse, (product, 12, "7.32"))
    await eventually(lambda: _incoming(staff, product), lambda n: n == 12, seconds=60)
    # a line reduced: 2 fewer are expected
    reduced = await staff.post(
        f"/purchase-orders/{order_id}/lines/{product}/reduce", {"quantity": 10, "reason": "less"}
    )
    assert reduced.status_code == 200, reduced.text
    assert [(x["quantity"], x["cancelled"]) for x in reduced.json()["lines"]] == [(12, 2)]
    too_far = await staff.post(
        f"/purchase-orders/{order_id}/lines/{product}/reduce", {"quantity": 10}
    )
    assert too_far.status_code == 422, too_far.text
    assert [e["field"] for e in too_far.json()["errors"]] == ["quantity"]
    await eventually(lambda: _incoming(staff, product), lambda n: n == 10, seconds=60)
    received = await _receive(staff, warehouse, order_id, product, 6)
    assert received.status_code == 201, received.text
    await _until(staff, f"/purchase-orders/{order_id}", "status", "partially_received")

    cancelled = await staff.post(f"/purchase-orders/{order_id}/cancel", {"reason": "late"})
    assert cancelled.status_code == 200, cancelled.text
    found = cancelled.json()
    assert found["status"] == "received"
    assert [(x["received"], x["cancelled"]) for x in found["lines"]] == [(6, 6)]
    # inventory stops expecting the 4 that never came, and refuses them if they do
    await eventually(lambda: _incoming(staff, product), lambda n: n == 0, seconds=60)
    refused = await _receive(staff, warehouse, order_id, product, 1)
    assert refused.status_code == 409, refused.text
    assert "cancelled 6 units" in refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["lines[0].quantity"]
    # billing bills none of them: 7 is refused on the line's quantity, 6 is matched
    bill = await eventually(
        lambda: staff.post("/bills", _bill(order_id, supplier, product, 7, "7.32")),
        lambda r: r.status_code == 422 and "cancelled" in r.text,
        seconds=60,
    )
    assert [e["field"] for e in bill.json()["errors"]] == ["lines[0].quantity"]
    matched = await staff.created("/bills", _bill(order_id, supplier, product, 6, "7.32"))
    assert (matched["match_status"], matched["total"]["amount"]) == ("matched", "43.92")


async def test_a_purchase_order_closes_once_its_last_bill_is_paid_here_by_an_advance(
    staff: Api,
) -> None:
    first, second, warehouse = await _product(staff), await _product(staff), await _warehouse(staff)
    order_id, supplier = await _sent_po(staff, warehouse, (first, 6, "12.20"), (second, 4, "13.00"))
    # an advance first: money sent with no bill to pay
    advance = await staff.created(
        "/payments-sent", {"supplier_id": supplier, "amount": eur("52.00"), "paid_on": TODAY}
    )
    assert Decimal(advance["unapplied"]["amount"]) == Decimal("52.00")
    for product, units in ((first, 6), (second, 4)):
        assert (await _receive(staff, warehouse, order_id, product, units)).status_code == 201
    await _until(staff, f"/purchase-orders/{order_id}", "status", "received")
    bills = [
        await staff.created("/bills", _bill(order_id, supplier, first, 6, "12.20")),
        await staff.created("/bills", _bill(order_id, supplier, second, 4, "13.00")),
    ]
    assert [b["total"]["amount"] for b in bills] == ["73.20", "52.00"]
    await staff.created(
        "/payments-sent",
        {
            "supplier_id": supplier,
            "amount": eur("73.20"),
            "paid_on": TODAY,
            "allocations": [{"bill_id": bills[0]["id"], "amount": eur("73.20")}],
        },
    )
    # 73.20 paid, 52.00 outstanding: the order stays billed
    billed = await eventually(
        lambda: _get(staff, f"/purchase-orders/{order_id}"),
        lambda x: x["bill_status"] == "paid" and [y["billed"] for y in x["lines"]] == [6, 4],
        seconds=60,
    )
    assert billed["status"] == "billed"
    aging = (await staff.get("/reports/ap-aging")).json()
    (line,) = [x for x in aging["suppliers"] if x["party_id"] == supplier]
    assert Decimal(line["buckets"]["total"]["amount"]) == Decimal(line["credit"]["amount"]) == 52

    applied = await staff.post(f"/payments-sent/{advance['id']}/apply", {"bill_id": bills[1]["id"]})
    assert applied.status_code == 200, applied.text
    assert Decimal(applied.json()["unapplied"]["amount"]) == 0
    aging = (await staff.get("/reports/ap-aging")).json()
    for line in [x for x in aging["suppliers"] if x["party_id"] == supplier]:
        assert Decimal(line["buckets"]["total"]["amount"]) == Decimal(line["credit"]["amount"]) == 0
    await _until(staff, f"/purchase-orders/{order_id}", "status", "closed")
    again = await staff.post(f"/payments-sent/{advance['id']}/apply", {"bill_id": bills[1]["id"]})
    assert again.status_code == 422, again.text


async def _stocked_order(api: Api, units: int, stock: int) -> tuple[dict[str, Any], str, str]:
    product, warehouse = await _product(api), await _warehouse(api)
    adjusted = await api.post(
        "/stock/adjustments",
        {
            "warehouse_id": warehouse,
            "product_id": product,
            "quantity_delta": stock,
            "reason": "count",
        },
    )
    assert adjusted.status_code in (200, 201), adjusted.text
    customer = await new_customer(api, "Undo buyer")
    order = await api.created(
        "/sales-orders",
        {
            "customer_id": customer,
            "currency": "EUR",
            "lines": [{"product_id": product, "quantity": units}],
        },
    )
    await _until(api, f"/sales-orders/{order['id']}", "stock_status", "reserved")
    return order, product, warehouse


async def test_a_payment_taken_back_moves_the_order_back_from_paid(staff: Api) -> None:
    order, _, warehouse = await _stocked_order(staff, 2, 2)
    await staff.created(
        "/shipments", {"order_id": order["id"], "warehouse_id": warehouse, "carrier": "DHL"}
    )
    invoices = await eventually(
        lambda: staff.get("/invoices", order_id=order["id"]),
        lambda r: len(r.json()["items"]) == 1,
        seconds=60,
    )
    (invoice,) = invoices.json()["items"]
    payment = await staff.created(
        "/payments",
        {
            "customer_id": order["customer_id"],
            "amount": invoice["total"],
            "received_on": TODAY,
            "allocations": [{"invoice_id": invoice["id"], "amount": invoice["total"]}],
        },
    )
    await eventually(
        lambda: _get(staff, f"/sales-orders/{order['id']}"),
        lambda x: x["status"] in ("paid", "closed"),
        seconds=60,
    )
    taken = await staff.post(f"/payments/{payment['id']}/unallocate", {})
    assert taken.status_code == 200, taken.text
    assert (await _get(staff, f"/invoices/{invoice['id']}"))["status"] == "open"
    await _until(staff, f"/sales-orders/{order['id']}", "status", "invoiced")
    history = (await staff.get(f"/sales-orders/{order['id']}/history")).json()["items"]
    (back,) = [h for h in history if h["to_status"] == "invoiced" and h["from_status"] != "shipped"]
    assert back["reason"].startswith("payment taken back")


async def test_cancelling_a_partly_shipped_order_cancels_only_the_rest(staff: Api) -> None:
    order, product, warehouse = await _stocked_order(staff, 5, 5)
    line = order["lines"][0]["id"]
    await staff.created(
        "/shipments",
        {
            "order_id": order["id"],
            "warehouse_id": warehouse,
            "carrier": "DHL",
            "lines": [{"line_id": line, "quantity": 2}],
        },
    )
    await _until(staff, f"/sales-orders/{order['id']}", "status", "partially_shipped")
    cancelled = await staff.post(f"/sales-orders/{order['id']}/cancel", {"reason": "withdrawn"})
    assert cancelled.status_code == 200, cancelled.text
    assert [(x["quantity"], x["shipped"]) for x in cancelled.json()["lines"]] == [(2, 2)]
    # inventory lets the 3 unshipped go; the 2 shipped stay invoiced, nothing is credited
    await eventually(
        lambda: staff.get("/stock", product_id=product),
        lambda r: [(x["on_hand"], x["reserved"]) for x in r.json()["items"]] == [(3, 0)],
        seconds=60,
    )
    found = await _until(staff, f"/sales-orders/{order['id']}", "status", "invoiced")
    assert found["status"] != "cancelled"
    (invoice,) = (await staff.get("/invoices", order_id=order["id"])).json()["items"]
    assert invoice["total"]["amount"] == "20.00"
    assert (await staff.get("/credit-notes", order_id=order["id"])).json()["items"] == []


async def _stock(api: Api, warehouse: str, product: str, units: int) -> None:
    adjusted = await api.post(
        "/stock/adjustments",
        {"warehouse_id": warehouse, "product_id": product, "quantity_delta": units, "reason": "c"},
    )
    assert adjusted.status_code in (200, 201), adjusted.text


async def _ship(api: Api, order_id: str, warehouse: str, units: dict[str, int]) -> None:
    lines = [{"line_id": line, "quantity": n} for line, n in units.items()]
    body = {"order_id": order_id, "warehouse_id": warehouse, "carrier": "DHL", "lines": lines}
    await api.created("/shipments", body)


async def _held(api: Api, product: str) -> list[tuple[int, int]]:
    """(on hand, reserved) of the product in each warehouse."""
    items = (await api.get("/stock", product_id=product)).json()["items"]
    return [(x["on_hand"], x["reserved"]) for x in items]


async def test_the_rest_of_an_order_made_from_a_quote_is_cancelled_and_billed_whole(
    staff: Api,
) -> None:
    widget, bolt = await _product(staff, "10.00"), await _product(staff, "0.50")
    warehouse = await _warehouse(staff)
    await _stock(staff, warehouse, widget, 5)
    await _stock(staff, warehouse, bolt, 20)
    skus = {p: (await _get(staff, f"/products/{p}"))["sku"] for p in (widget, bolt)}
    vat = [{"code": "VAT19", "rate": "0.19"}]
    quote = await staff.created(
        "/quotes",
        {
            "customer_id": await new_customer(staff, "Quote cut"),
            "currency": "EUR",
            "groups": [
                {
                    "name": "Goods",
                    "discount": {"percent": "10"},
                    "taxes": vat,
                    "lines": [
                        {"sku": skus[widget], "quantity": 5},
                        {"sku": skus[bolt], "quantity": 20},
                    ],
                }
            ],
            "shipping": [{"description": "Freight", "amount": "5.00", "taxes": vat}],
        },
    )
    # 5 x 10.00 + 20 x 0.50 = 60.00 less 10 % = 54.00, VAT19 10.26; freight 5.00 + 0.95
    assert quote["total"]["amount"] == "70.21"
    assert (await staff.post(f"/quotes/{quote['id']}/send", {})).status_code == 200
    accepted = await staff.post(f"/quotes/{quote['id']}/accept", {"convert_to": "sales_order"})
    assert accepted.status_code == 200, accepted.text
    order_id = accepted.json()["converted_id"]
    made = await eventually(  # the saga makes it: not found until then
        lambda: staff.get(f"/sales-orders/{order_id}"),
        lambda r: r.status_code == 200 and r.json()["stock_status"] == "reserved",
        seconds=60,
    )
    order = made.json()
    line = {x["product_id"]: x["id"] for x in order["lines"]}
    await _ship(staff, order_id, warehouse, {line[widget]: 2, line[bolt]: 8})
    await _until(staff, f"/sales-orders/{order_id}", "status", "partially_shipped")
    cancelled = await staff.post(f"/sales-orders/{order_id}/cancel", {"reason": "withdrawn"})
    assert cancelled.status_code == 200, cancelled.text
    kept = sorted((x["product_id"], x["quantity"], x["shipped"]) for x in cancelled.json()["lines"])
    assert kept == sorted([(widget, 2, 2), (bolt, 8, 8)])
    # inventory lets the unshipped 3 widgets and 12 bolts go
    for product, left in ((widget, 3), (bolt, 12)):
        await eventually(
            lambda: _held(staff, product),  # noqa: B023 -- awaited within the iteration
            lambda held: held == [(left, 0)],  # noqa: B023
            seconds=60,
        )
    # one invoice of what shipped, repriced at the quote's terms: 2 x 10.00 + 8 x 0.50 = 24.00,
    # less 10 % = 21.60 (18.00 + 3.60), VAT19 3.42 + 0.68; freight 5.00 + 0.95: 31.65
    await _until(staff, f"/sales-orders/{order_id}", "status", "invoiced")
    (invoice,) = (await staff.get("/invoices", order_id=order_id)).json()["items"]
    assert invoice["total"] == eur("31.65")
    assert invoice["document"]["totals"]["total"] == "31.65"
    billed = sorted((x["product_id"], x["quantity"]) for x in invoice["lines"] if x["product_id"])
    assert billed == sorted([(widget, 2), (bolt, 8)])
    assert (await staff.get("/credit-notes", order_id=order_id)).json()["items"] == []
    paid = await staff.post(
        "/payments",
        {
            "customer_id": order["customer_id"],
            "amount": invoice["total"],
            "received_on": TODAY,
            "allocations": [{"invoice_id": invoice["id"], "amount": invoice["total"]}],
        },
    )
    assert paid.status_code in (200, 201), paid.text
    await eventually(
        lambda: _get(staff, f"/sales-orders/{order_id}"),
        lambda x: x["status"] in ("paid", "closed"),
        seconds=60,
    )
    assert len((await staff.get("/invoices", order_id=order_id)).json()["items"]) == 1


async def test_the_rest_of_an_order_whose_kit_shipped_in_part_cannot_be_cancelled(
    staff: Api,
) -> None:
    widget, bolt = await _product(staff), await _product(staff, "0.50")
    warehouse = await _warehouse(staff)
    await _stock(staff, warehouse, widget, 2)
    await _stock(staff, warehouse, bolt, 8)
    body = {
        "sku": f"K-{uuid.uuid4().hex[:8]}",
        "name": "Kit",
        "list_price": eur("11.00"),
        "kind": "kit",
        "components": [{"product_id": widget, "quantity": 1}, {"product_id": bolt, "quantity": 4}],
    }
    kit = await staff.created("/products", body)
    order = await staff.created(
        "/sales-orders",
        {
            "customer_id": await new_customer(staff, "Kit cut"),
            "currency": "EUR",
            "lines": [{"product_id": kit["id"], "quantity": 2}],
        },
    )
    order = await _until(staff, f"/sales-orders/{order['id']}", "stock_status", "reserved")
    line = {x["product_id"]: x["id"] for x in order["lines"]}
    await _ship(staff, order["id"], warehouse, {line[widget]: 1, line[bolt]: 3})
    await _until(staff, f"/sales-orders/{order['id']}", "status", "partially_shipped")
    refused = await staff.post(f"/sales-orders/{order['id']}/cancel", {"reason": "withdrawn"})
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    detail = refused.json()["detail"]
    assert f"kit {kit['sku']} shipped in part" in detail
    assert "ship or return the rest of its parts first" in detail
    found = await _get(staff, f"/sales-orders/{order['id']}")
    assert found["status"] == "partially_shipped"
    assert sorted(x["quantity"] for x in found["lines"]) == [2, 8]


async def test_an_order_inventory_does_not_answer_stalls_and_is_retried(
    staff: Api, e2e_stack: Stack
) -> None:
    product = await _product(staff)
    sku = (await _get(staff, f"/products/{product}"))["sku"]
    customer = await new_customer(staff, "Stalled buyer")
    quote = await staff.created(
        "/quotes",
        {
            "customer_id": customer,
            "currency": "EUR",
            "groups": [{"name": "Goods", "lines": [{"sku": sku, "quantity": 1}]}],
        },
    )
    assert (await staff.post(f"/quotes/{quote['id']}/send", {})).status_code == 200
    # every inventory process down (another test may have started a replica): nobody answers
    inventories = [
        name for name, p in e2e_stack.processes.items() if p.module == "inventory" and p.alive
    ]
    for name in inventories:
        await e2e_stack.kill(name)
    try:
        order = await staff.created(
            "/sales-orders",
            {
                "customer_id": customer,
                "currency": "EUR",
                "lines": [{"product_id": product, "quantity": 1}],
            },
        )
        accepted = await staff.post(f"/quotes/{quote['id']}/accept", {"convert_to": "sales_order"})
        assert accepted.status_code == 200, accepted.text
        from_quote = accepted.json()["converted_id"]
        stalled = await eventually(
            lambda: staff.get("/sales-orders/stalled", page_size="200"),
            lambda r: any(s["order_id"] == order["id"] for s in r.json()["items"]),
            seconds=90,
        )
        (step,) = [s for s in stalled.json()["items"] if s["order_id"] == order["id"]]
        assert step["status"] == "stalled"
        assert step["reason"].startswith("inventory has not answered")
        listed = (await staff.get("/sales-orders", status="stalled")).json()["items"]
        (shown_order,) = [o for o in listed if o["id"] == order["id"]]
        assert "inventory has not answered" in shown_order["stalled"]
        seen = await _get(staff, f"/sales-orders/{order['id']}")
        assert seen["stalled"].startswith("awaiting inventory's answer")
        # the accepted quote whose order waits shows why, in quoting
        shown = await eventually(
            lambda: _get(staff, f"/quotes/{quote['id']}"),
            lambda x: x["order_stalled"] != "",
            seconds=90,
        )
        assert "inventory has not answered" in shown["order_stalled"]
        # the cause is not fixed yet: the retry asks again and the step stays stalled
        tried = await staff.post(f"/sales-orders/{order['id']}/retry", {})
        assert tried.status_code == 200, tried.text
        assert [(s["status"], s["attempts"]) for s in tried.json()] == [("stalled", 1)]
    finally:
        for name in inventories:
            await e2e_stack.restart(name)
    await eventually(
        lambda: _get(staff, f"/sales-orders/{order['id']}"),
        lambda x: x["stock_status"] != "pending",
        seconds=90,
    )
    done = await staff.post(f"/sales-orders/{order['id']}/retry", {})
    assert [(s["status"], s["retried_by"]) for s in done.json()] == [("resolved", "e2e-undo")]
    again = await staff.post(f"/sales-orders/{order['id']}/retry", {})
    assert [s["status"] for s in again.json()] == ["resolved"]  # idempotent
    listed = (await staff.get("/sales-orders", status="stalled")).json()["items"]
    assert order["id"] not in [o["id"] for o in listed]
    assert (await _get(staff, f"/sales-orders/{order['id']}"))["stalled"] == ""
    await eventually(
        lambda: _get(staff, f"/sales-orders/{from_quote}"),
        lambda x: x["stock_status"] != "pending",
        seconds=90,
    )
    cleared = await staff.post(f"/sales-orders/{from_quote}/retry", {})
    assert [s["status"] for s in cleared.json()] == ["resolved"]
    await _until(staff, f"/quotes/{quote['id']}", "order_stalled", "")
