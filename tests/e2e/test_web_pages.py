"""The web pages in a real browser (Debian's headless Chromium, driven by its chromedriver
through Selenium) against the whole stack: an admin creates the users; the order desk finds an
order and its Order 360; the warehouse ships it; finance records one payment across two
invoices; each role is refused a page outside its rights; signing out ends the session; a form
without its CSRF token is refused. Screenshots of the main pages go to OMS_SCREENSHOTS_DIR (a
folder under the test's tmp_path by default; the path is printed)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from devstack.supervisor import Stack
from tests.e2e.browser import PASSWORD, Browser, first_admin, run
from tests.e2e.helpers import Api, eventually, new_customer


def create_user(admin: Browser, username: str, role: str) -> None:
    admin.open("/users")
    admin.fill("new-username", username)
    Select(admin.driver.find_element(By.ID, "new-role")).select_by_visible_text(role)
    admin.fill("new-password", PASSWORD)
    admin.submit("Create user")
    assert f"Created {username}" in admin.text()


async def two_reserved_orders(api: Api) -> tuple[str, list[dict[str, Any]]]:
    sku = f"WEB-{uuid.uuid4().hex[:8]}"
    product = await api.created(
        "/products",
        {"sku": sku, "name": "Web widget", "list_price": {"amount": "10.00", "currency": "EUR"}},
    )
    warehouse = await api.created(
        "/warehouses", {"code": f"W{uuid.uuid4().hex[:6]}", "name": "Web"}
    )
    adjusted = await api.post(
        "/stock/adjustments",
        {
            "warehouse_id": warehouse["id"],
            "product_id": product["id"],
            "quantity_delta": 20,
            "reason": "initial count",
        },
    )
    assert adjusted.status_code in (200, 201), adjusted.text
    customer = await new_customer(api, "Web buyer")
    orders = []
    for quantity in (2, 3):
        placed = await api.post(
            "/sales-orders",
            {
                "customer_id": customer,
                "currency": "EUR",
                "lines": [{"product_id": product["id"], "quantity": quantity}],
            },
        )
        assert placed.status_code == 201, placed.text
        orders.append(placed.json())
    for order in orders:
        await eventually(
            lambda o=order: api.get(f"/sales-orders/{o['id']}"),
            lambda r: r.json()["stock_status"] == "reserved",
        )
    return customer, orders


async def test_office_staff_work_through_the_web_pages(
    e2e_stack: Stack, admin: Api, browsers: Callable[[], Browser]
) -> None:
    run_id = uuid.uuid4().hex[:6]
    boss, desk, keeper, fin = (f"{n}-{run_id}" for n in ("boss", "desk", "keeper", "fin"))
    await first_admin(e2e_stack, boss)
    customer, orders = await two_reserved_orders(admin)

    # the admin creates the users on the admin page
    head = await run(browsers)
    await run(lambda: head.sign_in(boss))
    for username, role in ((desk, "order-desk"), (keeper, "warehouse"), (fin, "finance")):
        await run(lambda u=username, r=role: create_user(head, u, r))
    await run(lambda: head.shot("users"))

    # the order desk sees the order in its list and opens its Order 360
    clerk = await run(browsers)
    await run(lambda: clerk.sign_in(desk))
    await run(lambda: clerk.open("/orders"))
    order_id = orders[0]["id"]
    assert order_id[:8] in await run(clerk.text)
    await run(lambda: clerk.shot("order-desk"))
    await run(lambda: clerk.follow(order_id[:8]))
    assert await run(clerk.heading) == f"Order {order_id}"
    page = await run(clerk.text)
    assert "Reservations per warehouse" in page
    assert "Timeline" in page
    assert "Tasks" in page
    await run(lambda: clerk.shot("order-360"))
    for refused in ("/warehouse", "/finance", "/users"):
        assert await run(lambda p=refused: clerk.status_of(p)) == "Not allowed"

    # signing out ends the session: the old cookie opens nothing
    cookie = await run(lambda: clerk.driver.get_cookie("session"))
    assert cookie is not None
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    await run(lambda: clerk.open("/orders"))
    await run(clerk.sign_out)
    await run(lambda: clerk.driver.add_cookie({"name": "session", "value": cookie["value"]}))
    await run(lambda: clerk.open("/orders"))
    assert await run(clerk.heading) == "Sign in"

    # the warehouse ships both reserved orders
    store = await run(browsers)
    await run(lambda: store.sign_in(keeper))
    await run(lambda: store.open("/warehouse"))
    await run(lambda: store.shot("warehouse"))
    for order in orders:

        def ship(o: dict[str, Any] = order) -> str:
            store.open("/warehouse")
            store.fill(f"carrier-{o['id']}", "DHL")
            store.fill(f"tracking-{o['id']}", f"TRK-{o['id'][:6]}")
            store.submit(f"Ship order {o['id'][:8]}")
            return store.text()

        assert "Shipped" in await run(ship)
    for refused in ("/orders", "/finance", "/users"):
        assert await run(lambda p=refused: store.status_of(p)) == "Not allowed"
    owed = Decimal(0)
    for order in orders:
        invoiced = await eventually(
            lambda o=order: admin.get("/invoices", order_id=o["id"]),
            lambda r: len(r.json()["items"]) == 1,
        )
        owed += Decimal(invoiced.json()["items"][0]["balance"]["amount"])

    # finance records one payment across both invoices
    cashier = await run(browsers)
    await run(lambda: cashier.sign_in(fin))

    def pay() -> str:
        cashier.open(f"/finance?customer_id={customer}")
        cashier.fill("pay-amount", str(owed))
        cashier.fill("pay-reference", f"BANK-{run_id}")
        cashier.click("Allocate the amount oldest first")  # the page's script fills both
        cashier.shot("finance")
        cashier.submit("Record payment")
        return cashier.text()

    assert "Recorded payment" in await run(pay)
    for order in orders:
        invoices = await admin.get("/invoices", order_id=order["id"])
        (invoice,) = invoices.json()["items"]
        assert invoice["status"] == "paid", invoice
        assert Decimal(invoice["balance"]["amount"]) == 0
    payments = (await admin.get("/payments", customer_id=customer)).json()["items"]
    assert len(payments) == 1
    assert len(payments[0]["allocations"]) == 2
    await run(lambda: cashier.shot("finance-paid"))
    for refused in ("/orders", "/warehouse", "/users"):
        assert await run(lambda p=refused: cashier.status_of(p)) == "Not allowed"

    # a form without its CSRF token is refused, and nothing changes
    def forged_sign_out() -> str:
        cashier.open("/finance")
        cashier.driver.execute_script(
            "document.querySelector('form.signout input[name=csrf_token]').remove()"
        )
        cashier.submit("Sign out")
        return cashier.heading()

    assert await run(forged_sign_out) == "Not allowed"
    assert await run(lambda: cashier.status_of("/finance")) == "Finance"  # still signed in
