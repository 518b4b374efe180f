"""Selling through the web pages, in a real browser against the whole stack: a salesperson
registers a customer's request and turns it into a quote in one step, adds a catalog product
with a discount that needs approval and cannot send it; their sales manager approves it on the
approvals page; the salesperson sends it and the customer accepts it into a sales order; the
order desk finds that order and its timeline of what every service did to it; the warehouse
ships it. Each role is refused the pages outside its rights. Screenshots of each page go to
OMS_SCREENSHOTS_DIR."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from devstack.supervisor import Stack
from tests.e2e.browser import Browser, first_admin, run
from tests.e2e.helpers import Api, eventually, new_customer


async def stocked_product(api: Api, tag: str) -> dict[str, Any]:
    product = await api.created(
        "/products",
        {
            "sku": f"SELL-{tag}",
            "name": f"Sales gadget {tag}",
            "list_price": {"amount": "100.00", "currency": "EUR"},
        },
    )
    warehouse = await api.created("/warehouses", {"code": f"S{tag}", "name": "Sales stock"})
    adjusted = await api.post(
        "/stock/adjustments",
        {
            "warehouse_id": warehouse["id"],
            "product_id": product["id"],
            "quantity_delta": 10,
            "reason": "initial count",
        },
    )
    assert adjusted.status_code in (200, 201), adjusted.text
    return product


def register_request(seller: Browser, customer: str, need: str) -> str:
    """Registers the request on /requests; the request's page it lands on."""
    seller.open("/requests")
    Select(seller.driver.find_element(By.ID, "request-customer")).select_by_value(customer)
    Select(seller.driver.find_element(By.ID, "request-source")).select_by_value("email")
    seller.fill("request-need", need)
    seller.fill("request-amount", "350.00")
    seller.shot("requests")
    seller.submit("Register request")
    return str(seller.driver.current_url)


def quote_with_a_large_discount(seller: Browser, tag: str) -> str:
    """From the request's page: a quote in one step with a described first line; in the
    builder, the product added from the catalog search, 35 % off its line, and the described
    line removed; the quote's id."""
    seller.fill("quote-description", "Lab visit")
    seller.fill("quote-unit-price", "1.00")
    seller.submit("Make a quote")
    assert "/quotes/" in seller.driver.current_url, seller.text()
    quote_id = str(seller.driver.current_url).rstrip("/").split("/")[-1].split("?")[0]
    seller.fill("catalog-search", tag)
    seller.submit("Search")
    seller.submit(f"Add SELL-{tag}")
    seller.fill("g-0-l-1-quantity", "2")
    seller.fill("g-0-l-1-discount_percent", "35")
    # the engine's totals come back as one types (the page's script saves the draft)
    WebDriverWait(seller.driver, 15).until(
        lambda d: d.find_element(By.ID, "total-discounts").text == "70.00"
    )
    seller.driver.find_element(By.ID, "g-0-l-0-remove").click()
    seller.submit("Recalculate")
    return quote_id


async def test_a_request_becomes_an_approved_quote_an_order_and_a_shipment(
    e2e_stack: Stack, admin: Api, browsers: Callable[[], Browser]
) -> None:
    tag = uuid.uuid4().hex[:6]
    sam, nina, dora, walt = (f"{n}-{tag}" for n in ("sam", "nina", "dora", "walt"))
    for username, role in (
        (sam, "sales"),
        (nina, "sales-manager"),
        (dora, "order-desk"),
        (walt, "warehouse"),
    ):
        await first_admin(e2e_stack, username, role, team="north")
    await stocked_product(admin, tag)
    customer = await new_customer(admin, "Web prospect")

    # the salesperson registers the request and makes a quote of it with 35 % off
    seller = await run(browsers)
    await run(lambda: seller.sign_in(sam))
    request_page = await run(lambda: register_request(seller, customer, "Two gadgets for the lab"))
    assert "/requests/" in request_page
    assert "Registered REQ-" in await run(seller.text)
    await run(lambda: seller.shot("request"))
    quote_id = await run(lambda: quote_with_a_large_discount(seller, tag))
    status = await run(lambda: seller.driver.find_element(By.ID, "approval-status").text)
    assert "pending" in status
    assert "35% off" in status
    await run(lambda: seller.shot("quote-builder"))
    request = (await admin.get("/requests", customer_id=customer)).json()["items"][0]
    assert (request["status"], request["quote_id"]) == ("quoted", quote_id)

    # sending is refused until a sales manager approves the discount
    await run(lambda: seller.submit("Send to the customer"))
    assert "approval" in (await run(seller.text)).lower()
    assert (await admin.get(f"/quotes/{quote_id}")).json()["status"] == "draft"
    for refused in ("/approvals", "/warehouse", "/finance", "/users"):
        assert await run(lambda p=refused: seller.status_of(p)) == "Not allowed"

    # the team's sales manager approves it on the approvals page
    manager = await run(browsers)
    await run(lambda: manager.sign_in(nina))
    await run(lambda: manager.open("/approvals"))
    assert quote_id in await run(
        lambda: manager.driver.find_element(By.ID, "approvals-table").get_attribute("innerHTML")
    )
    await run(lambda: manager.shot("approvals"))
    await run(lambda: manager.fill(f"note-{quote_id}", "fine for a first order"))
    await run(lambda: manager.submit("Approve"))
    approval = (await admin.get(f"/quotes/{quote_id}")).json()["approval"]
    assert (approval["status"], approval["decided_by"]) == ("approved", nina)

    # the salesperson sends it, and the customer's yes makes it a sales order
    await run(lambda: seller.open(f"/quotes/{quote_id}"))
    await run(lambda: seller.submit("Send to the customer"))
    await run(lambda: seller.submit("Accept into a sales order"))
    await run(lambda: seller.shot("quote-accepted"))
    accepted = await eventually(
        lambda: admin.get(f"/quotes/{quote_id}"),
        lambda r: r.json()["status"] == "accepted" and r.json().get("converted_id"),
    )
    order_id = accepted.json()["converted_id"]
    await eventually(
        lambda: admin.get(f"/sales-orders/{order_id}"),
        lambda r: r.status_code == 200 and r.json()["stock_status"] == "reserved",
    )

    # the order desk sees the order and everything that happened to it, service by service
    timeline = await eventually(
        lambda: admin.get(f"/sales-orders/{order_id}/timeline"),
        lambda r: {"orders", "inventory", "quoting"} <= {e["service"] for e in r.json()["items"]},
    )
    assert any(e["actor"] == sam for e in timeline.json()["items"])
    desk = await run(browsers)
    await run(lambda: desk.sign_in(dora))
    await run(lambda: desk.open(f"/orders/{order_id}"))
    assert await run(desk.heading) == f"Order {order_id}"
    shown = await run(lambda: desk.driver.find_element(By.ID, "timeline").text)
    assert "Trace id" in shown
    assert "accepted into this order" in shown
    assert "inventory" in shown
    await run(lambda: desk.shot("order-360-timeline"))
    for refused in ("/quotes", "/approvals", "/warehouse"):
        assert await run(lambda p=refused: desk.status_of(p)) == "Not allowed"

    # the warehouse ships it; billing invoices the shipment
    keeper = await run(browsers)
    await run(lambda: keeper.sign_in(walt))

    def ship() -> str:
        keeper.open("/warehouse")
        keeper.fill(f"carrier-{order_id}", "DHL")
        keeper.fill(f"tracking-{order_id}", f"TRK-{tag}")
        keeper.submit(f"Ship order {order_id[:8]}")
        return keeper.text()

    assert "Shipped" in await run(ship)
    invoiced = await eventually(
        lambda: admin.get("/invoices", order_id=order_id),
        lambda r: len(r.json()["items"]) == 1,
    )
    # 2 x 100.00 less 35 %: the engine's figure travelled from the quote to the invoice
    assert invoiced.json()["items"][0]["total"]["amount"] == "130.00"
    for refused in ("/quotes", "/requests", "/finance"):
        assert await run(lambda p=refused: keeper.status_of(p)) == "Not allowed"
