"""The invariants on what moved between services: shipments to invoices, payments to invoices
and credit, purchase orders to receipts, outboxes to the broker."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from tests.faults.client import Client
from tests.faults.databases import Databases
from tests.faults.invariants import Check
from tests.faults.workload import Ledger


async def shipped_lines_invoiced_once(client: Client, db: Databases, ledger: Ledger) -> Check:
    """Per order line: the units billing invoiced equal the units inventory shipped, and no
    shipment was invoiced twice."""
    shipped = await db.rows(
        "inventory",
        "SELECT s.order_id, l.line_id, sum(l.quantity) AS units FROM shipments s"
        " JOIN shipment_lines l ON l.shipment_id = s.id GROUP BY s.order_id, l.line_id",
    )
    billed = await db.rows(
        "billing",
        "SELECT i.order_id, l.order_line_id AS line_id, sum(l.quantity) AS units"
        " FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id"
        " WHERE i.order_id IS NOT NULL AND i.order_id <> '' GROUP BY i.order_id, l.order_line_id",
    )
    twice = await db.rows(
        "billing",
        "SELECT shipment_id, count(*) FROM invoices WHERE shipment_id IS NOT NULL"
        " AND shipment_id <> '' GROUP BY shipment_id HAVING count(*) > 1",
    )
    expected = {(r["order_id"], r["line_id"]): int(r["units"]) for r in shipped}
    invoiced = {(r["order_id"], r["line_id"]): int(r["units"]) for r in billed}
    wrong = [
        f"order {order} line {line}: shipped {expected.get((order, line), 0)},"
        f" invoiced {invoiced.get((order, line), 0)}"
        for order, line in sorted(set(expected) | set(invoiced))
        if expected.get((order, line), 0) != invoiced.get((order, line), 0)
    ]
    detail = f"{len(expected)} shipped order lines, {sum(expected.values())} units"
    if wrong or twice:
        detail += f"; mismatched: {wrong[:5]}; shipments invoiced twice: {len(twice)}"
    return Check("every shipped line invoiced exactly once", not wrong and not twice, detail)


async def payments_allocated_or_credit(client: Client, db: Databases, ledger: Ledger) -> Check:
    """Each payment received is spent on invoices or kept as credit, to the cent; each customer's
    credit is what its credit entries add up to."""
    payments = await db.rows(
        "billing",
        "SELECT p.id, p.amount, p.unapplied, coalesce((SELECT sum(a.amount) FROM"
        " payment_allocations a WHERE a.payment_id = p.id), 0) AS allocated"
        " FROM payments p WHERE p.kind = 'received'",
    )
    credits = await db.rows(
        "billing",
        "SELECT c.customer_id, c.currency, c.amount, coalesce((SELECT sum(e.amount) FROM"
        " customer_credit_entries e WHERE e.customer_id = c.customer_id AND e.currency ="
        " c.currency), 0) AS entries FROM customer_credits c",
    )
    unbalanced = [
        f"payment {p['id']}: {p['amount']} = {p['allocated']} allocated + {p['unapplied']} credit?"
        for p in payments
        if Decimal(p["amount"]) != Decimal(p["allocated"]) + Decimal(p["unapplied"])
    ]
    off = [
        f"credit of {c['customer_id']}: {c['amount']} vs entries {c['entries']}"
        for c in credits
        if Decimal(c["amount"]) != Decimal(c["entries"])
    ]
    credit = sum((Decimal(p["unapplied"]) for p in payments), Decimal(0))
    detail = f"{len(payments)} payments, {credit:.2f} kept as credit"
    if unbalanced or off:
        detail += f"; {unbalanced[:3]} {off[:3]}"
    return Check("every payment allocated or kept as credit", not unbalanced and not off, detail)


async def payments_recorded_once(client: Client, db: Databases, ledger: Ledger) -> Check:
    """Billing holds exactly the payments the workload made: none lost, none twice."""
    flows = [f for f in ledger.flows if f.customer_id]
    rows = await db.rows(
        "billing",
        "SELECT customer_id, reference, amount FROM payments WHERE kind = 'received'"
        " AND customer_id = ANY($1)",
        [f.customer_id for f in flows],
    )
    held: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for r in rows:
        held[r["customer_id"]].append((r["reference"], Decimal(r["amount"])))
    wrong = [
        f"{f.customer_id}: made {f.payments}, held {held.get(f.customer_id, [])}"
        for f in flows
        if sorted(held.get(f.customer_id, [])) != sorted(f.payments)
    ]
    detail = f"{len(rows)} payments for {len(flows)} customers"
    return Check(
        "no payment recorded twice or lost", not wrong, detail + f"; {wrong[:3]}" * bool(wrong)
    )


async def purchase_orders_received_once(client: Client, db: Databases, ledger: Ledger) -> Check:
    """Each purchase order the workload received in full is received in full, once, in
    procurement (its lines) and in inventory (what it expected)."""
    flows = [f for f in ledger.of("purchase") if f.outcome == "done"]
    ids = [f.purchase_order_id for f in flows]
    lines = await db.rows(
        "procurement",
        "SELECT purchase_order_id, sum(quantity) AS ordered, sum(received) AS received"
        " FROM purchase_order_lines WHERE purchase_order_id = ANY($1) GROUP BY purchase_order_id",
        ids,
    )
    expected = await db.rows(
        "inventory",
        "SELECT purchase_order_id, sum(expected) AS expected, sum(received) AS received"
        " FROM expected_goods WHERE purchase_order_id = ANY($1) GROUP BY purchase_order_id",
        ids,
    )
    wrong = [f"procurement {dict(r)}" for r in lines if r["ordered"] != r["received"]]
    wrong += [f"inventory {dict(r)}" for r in expected if r["expected"] != r["received"]]
    for flow in flows:
        order = await client.found(f"/purchase-orders/{flow.purchase_order_id}")
        if order is None or order["status"] != "received":
            wrong.append(f"{flow.purchase_order_id}: {order and order['status']}")
    if len(lines) != len(ids):
        wrong.append(f"procurement knows {len(lines)} of {len(ids)}")
    detail = f"{len(ids)} purchase orders received"
    return Check(
        "purchase orders received once, in full", not wrong, detail + f"; {wrong[:4]}" * bool(wrong)
    )


async def outboxes_empty(client: Client, db: Databases, ledger: Ledger) -> Check:
    counts = await db.unpublished()
    return Check("every outbox published", not any(counts.values()), f"unpublished {counts}")
