"""What must hold once the stream has ended and the system has settled, whatever was injected.
Each check reads the facts where they live -- the REST API where it shows them, the owning
service's database for ledgers and outboxes -- and says what it saw, passed or not."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tests.faults.client import Client
from tests.faults.databases import Databases
from tests.faults.workload import PURCHASE_TAG, UNITS, Ledger

FINAL = frozenset({"closed", "cancelled", "archived"})


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.detail}"


async def stalled_orders(client: Client) -> set[str]:
    """Every order id GET /sales-orders/stalled lists, page after page."""
    found: set[str] = set()
    token = ""
    while True:
        page = await client.found("/sales-orders/stalled", page_size="200", page_token=token)
        assert page is not None
        found |= {s["order_id"] for s in page["items"] if s["status"] == "stalled"}
        token = page["next_page_token"]
        if not token:
            return found


async def settle(db: Databases, ledger: Ledger, seconds: float) -> str:
    """Waits until every outbox is empty and the workload's orders stop moving (the same
    statuses over three polls two seconds apart, each final or stalled); says how it ended."""
    orders = [f.order_id for f in ledger.flows if f.order_id]
    began = time.monotonic()
    previous: list[object] = []
    while time.monotonic() - began < seconds:
        outboxes = await db.unpublished()
        rows = await db.rows(
            "orders",
            "SELECT o.id, o.status, EXISTS (SELECT 1 FROM stalled_steps s WHERE s.order_id = o.id"
            " AND s.status = 'stalled') AS stalled FROM sales_orders o WHERE o.id = ANY($1)"
            " ORDER BY o.id",
            orders,
        )
        state = [tuple(r) for r in rows]
        settled = all(r["status"] in FINAL or r["stalled"] for r in rows)
        quiet = not any(outboxes.values()) and settled and len(rows) == len(orders)
        previous = [*previous[-2:], (quiet, state)]
        if len(previous) == 3 and all(p == (True, state) for p in previous):
            return f"settled in {time.monotonic() - began:.0f}s"
        await asyncio.sleep(2)
    return f"not settled after {seconds:.0f}s (checking anyway)"


Probe = Callable[[Client, Databases, Ledger], Awaitable[Check]]


async def orders_final_or_stalled(client: Client, db: Databases, ledger: Ledger) -> Check:
    stalled = await stalled_orders(client)
    seen: Counter[str] = Counter()
    stuck: list[str] = []
    for flow in ledger.flows:
        if not flow.order_id:
            continue
        order = await client.found(f"/sales-orders/{flow.order_id}")
        status = "missing" if order is None else str(order["status"])
        if status in FINAL:
            seen[status] += 1
        elif flow.order_id in stalled:
            seen[f"{status} (stalled)"] += 1
        else:
            seen[f"{status} (stuck)"] += 1
            stuck.append(f"{flow.order_id} {status} ({flow.outcome[:80]})")
    detail = f"{sum(seen.values())} orders {dict(seen)}" + (f"; stuck: {stuck[:5]}" * bool(stuck))
    return Check("every order final or visibly stalled", not stuck, detail)


async def one_order_per_request(client: Client, db: Databases, ledger: Ledger) -> Check:
    """Each flow's customer was made for it and placed (or accepted) exactly one sales order;
    each quote flow made one quote, each purchase flow one purchase order."""
    flows = [f for f in ledger.flows if f.customer_id]
    customers = [f.customer_id for f in flows]
    orders = await db.rows(
        "orders",
        "SELECT customer_id, array_agg(id ORDER BY id) AS ids FROM sales_orders"
        " WHERE customer_id = ANY($1) GROUP BY customer_id",
        customers,
    )
    held = {r["customer_id"]: list(r["ids"]) for r in orders}
    wrong = [
        f"customer {f.customer_id}: orders {held.get(f.customer_id, [])}"
        for f in flows
        if held.get(f.customer_id, []) != ([f.order_id] if f.order_id else [])
    ]
    quotes = await db.rows(
        "quoting",
        "SELECT customer_id, count(*) FROM quotes WHERE customer_id = ANY($1)"
        " GROUP BY customer_id HAVING count(*) > 1",
        customers,
    )
    purchases = await db.rows(
        "procurement",
        "SELECT notes, array_agg(id) AS ids FROM purchase_orders WHERE notes LIKE $1"
        " GROUP BY notes HAVING count(*) > 1",
        f"{PURCHASE_TAG} %",
    )
    wrong += [f"customer {r['customer_id']}: {r['count']} quotes" for r in quotes]
    wrong += [f"purchase order made {len(r['ids'])} times: {r['ids']}" for r in purchases]
    detail = f"{sum(len(ids) for ids in held.values())} sales orders for {len(flows)} flows"
    return Check("no order placed twice", not wrong, detail + f"; {wrong[:5]}" * bool(wrong))


async def one_customer_per_request(client: Client, db: Databases, ledger: Ledger) -> Check:
    """Each flow's POST /customers (one name, one Idempotency-Key, retried) made one customer."""
    twins = await db.rows(
        "orders",
        "SELECT name, array_agg(id || ' at ' || created_at::text ORDER BY created_at) AS made"
        " FROM customers WHERE name LIKE 'Fault buyer %' GROUP BY name HAVING count(*) > 1",
    )
    made = int(
        await db.value("orders", "SELECT count(*) FROM customers WHERE name LIKE 'Fault buyer %'")
    )
    evidence = [f"{r['name']}: {list(r['made'])}" for r in twins]
    detail = f"{made} customers registered" + f"; made twice: {evidence[:3]}" * bool(evidence)
    return Check("no customer registered twice", not twins, detail)


async def reserved_equals_reservations(client: Client, db: Databases, ledger: Ledger) -> Check:
    rows = await db.rows(
        "inventory",
        "SELECT s.warehouse_id, s.product_id, s.reserved, s.on_hand,"
        " coalesce((SELECT sum(r.reserved) FROM reservations r WHERE r.warehouse_id ="
        " s.warehouse_id AND r.product_id = s.product_id), 0) AS live FROM stock_levels s",
    )
    wrong = [
        f"{r['product_id']}@{r['warehouse_id']}: reserved {r['reserved']}, live {r['live']}"
        for r in rows
        if r["reserved"] != r["live"] or r["on_hand"] < 0
    ]
    detail = f"{len(rows)} stock levels, {sum(r['reserved'] for r in rows)} units reserved"
    return Check(
        "reserved stock == live reservations, on hand >= 0",
        not wrong,
        detail + (f"; off: {wrong[:5]}" if wrong else ""),
    )


async def on_hand_never_negative(client: Client, db: Databases, ledger: Ledger) -> Check:
    """Replays the stock movement ledger: its running sum never dips below zero, and it ends at
    what the stock level says."""
    rows = await db.rows(
        "inventory",
        "WITH running AS (SELECT warehouse_id, product_id, sum(on_hand_delta) OVER"
        " (PARTITION BY warehouse_id, product_id ORDER BY id) AS level FROM stock_movements)"
        " SELECT s.warehouse_id, s.product_id, s.on_hand,"
        " (SELECT min(level) FROM running r WHERE r.warehouse_id = s.warehouse_id"
        "  AND r.product_id = s.product_id) AS lowest,"
        " (SELECT sum(on_hand_delta) FROM stock_movements m WHERE m.warehouse_id ="
        "  s.warehouse_id AND m.product_id = s.product_id) AS total FROM stock_levels s",
    )
    wrong = [
        f"{r['product_id']}: on hand {r['on_hand']}, ledger {r['total']}, lowest {r['lowest']}"
        for r in rows
        if (r["lowest"] is not None and r["lowest"] < 0) or (r["total"] or 0) != r["on_hand"]
    ]
    detail = f"{len(rows)} stock levels replayed from their movements"
    return Check(
        "on hand never went negative (movement ledger)",
        not wrong,
        detail + (f"; off: {wrong[:5]}" if wrong else ""),
    )


async def stock_moved_once(client: Client, db: Databases, ledger: Ledger) -> Check:
    """On hand in the workload's warehouse is its first count plus what was received less what
    was shipped: no receipt or shipment moved stock twice, however often it was retried."""
    assert ledger.goods is not None
    rows = await db.rows(
        "inventory",
        "SELECT s.product_id, s.on_hand, (SELECT coalesce(sum(l.quantity), 0) FROM receipt_lines l"
        " JOIN receipts r ON r.id = l.receipt_id WHERE r.warehouse_id = s.warehouse_id AND"
        " l.product_id = s.product_id) AS received, (SELECT coalesce(sum(l.quantity), 0) FROM"
        " shipment_lines l JOIN shipments h ON h.id = l.shipment_id WHERE h.warehouse_id ="
        " s.warehouse_id AND l.product_id = s.product_id) AS shipped FROM stock_levels s"
        " WHERE s.warehouse_id = $1",
        ledger.goods.warehouse_id,
    )
    wrong = [
        f"{r['product_id']}: on hand {r['on_hand']}, expected {UNITS} + {r['received']}"
        f" - {r['shipped']}"
        for r in rows
        if r["on_hand"] != UNITS + r["received"] - r["shipped"]
    ]
    moved = sum(r["received"] + r["shipped"] for r in rows)
    detail = f"{len(rows)} products, {moved} units received or shipped"
    return Check(
        "stock moved once per receipt and shipment", not wrong, detail + f"; {wrong}" * bool(wrong)
    )
