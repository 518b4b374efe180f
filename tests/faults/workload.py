"""The stream of business that flows while faults are injected: sales orders placed for stocked
products, shipped once reserved and paid once invoiced; quotes sent, accepted into orders that
go the same way; purchase orders sent and received. Each flow keeps what it did (ids, the keys of
its POSTs, what it paid) for the invariants, and where it stopped when it could not go on."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tests.faults.client import Client, Unanswered

POLL_SECONDS = 0.5
STEP_SECONDS = 150.0  # a step may wait out a broker outage and a service restart
UNITS = 100_000  # stock per product: orders are never short of it
PURCHASE_TAG = "fault flow"


@dataclass(frozen=True)
class Goods:
    """What the workload sells and buys: products stocked in one warehouse, one supplier."""

    warehouse_id: str
    products: tuple[tuple[str, str], ...]  # (id, sku)
    supplier_id: str


@dataclass
class Flow:
    kind: str  # "order", "quote" or "purchase"
    customer_id: str = ""
    order_id: str = ""
    quote_id: str = ""
    purchase_order_id: str = ""
    shipment_ids: list[str] = field(default_factory=list)
    payments: list[tuple[str, Decimal]] = field(default_factory=list)  # (reference, amount)
    receipt_ids: list[str] = field(default_factory=list)
    outcome: str = "running"  # "done", or the step it stopped at and why


@dataclass
class Ledger:
    flows: list[Flow] = field(default_factory=list)
    goods: Goods | None = None

    def of(self, kind: str) -> list[Flow]:
        return [f for f in self.flows if f.kind == kind]

    def summary(self) -> str:
        parts = []
        for kind in ("order", "quote", "purchase"):
            flows = self.of(kind)
            done = sum(f.outcome == "done" for f in flows)
            parts.append(f"{kind}: {done}/{len(flows)} done")
        return ", ".join(parts)


async def until(
    probe: Callable[[], Awaitable[Any]], accept: Callable[[Any], bool], what: str
) -> Any:
    """Polls until `accept` holds; Unanswered after STEP_SECONDS, naming `what` was awaited."""
    deadline = asyncio.get_running_loop().time() + STEP_SECONDS
    while True:
        found = await probe()
        if found is not None and accept(found):
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise Unanswered(f"waited {STEP_SECONDS:.0f}s for {what}; last: {str(found)[:200]}")
        await asyncio.sleep(POLL_SECONDS)


async def prepare(client: Client, products: int = 4) -> Goods:
    warehouse = await client.created(
        "/warehouses", {"code": f"F{uuid.uuid4().hex[:6]}", "name": "Faults"}
    )
    made = []
    for n in range(products):
        body = {
            "sku": f"FLT-{uuid.uuid4().hex[:8]}",
            "name": f"Fault part {n}",
            "list_price": {"amount": f"{3 + n}.50", "currency": "EUR"},
        }
        product = await client.created("/products", body)
        await client.created(
            "/stock/adjustments",
            {
                "warehouse_id": warehouse["id"],
                "product_id": product["id"],
                "quantity_delta": UNITS,
                "reason": "fault suite stock",
            },
        )
        made.append((str(product["id"]), str(product["sku"])))
    supplier = await client.created(
        "/suppliers", {"name": f"Fault supplier {uuid.uuid4().hex[:6]}", "currency": "EUR"}
    )
    return Goods(str(warehouse["id"]), tuple(made), str(supplier["id"]))


class Workload:
    """Workers each running flows one after another until `stop` is set."""

    def __init__(self, gateway_url: str, goods: Goods, ledger: Ledger) -> None:
        self.gateway_url = gateway_url
        self.goods = goods
        self.ledger = ledger
        ledger.goods = goods
        self.stop = asyncio.Event()
        self.retries: dict[str, int] = {}

    async def run(self, workers: int) -> None:
        await asyncio.gather(*(self._worker(n) for n in range(workers)))

    async def _worker(self, number: int) -> None:
        client = Client(self.gateway_url, f"fault-clerk-{number}")
        kinds = ("order", "quote", "purchase")
        try:
            turn = number
            while not self.stop.is_set():
                flow = Flow(kinds[turn % len(kinds)])
                turn += 1
                self.ledger.flows.append(flow)
                try:
                    await self._flow(client, flow)
                    flow.outcome = "done"
                except Unanswered as error:
                    flow.outcome = str(error)
                except Exception as error:  # an answer of a shape not expected: shown, not fatal
                    flow.outcome = f"unexpected: {error!r}"
        finally:
            for why, count in client.retries.items():
                self.retries[why] = self.retries.get(why, 0) + count
            await client.aclose()

    async def _flow(self, client: Client, flow: Flow) -> None:
        if flow.kind == "purchase":
            await self._purchase(client, flow)
            return
        flow.customer_id = str(
            (
                await client.created(
                    "/customers",
                    {
                        "name": f"Fault buyer {uuid.uuid4().hex}",
                        "kind": "company",
                        "currency": "EUR",
                    },
                )
            )["id"]
        )
        if flow.kind == "order":
            await self._place(client, flow)
        else:
            await self._accept_quote(client, flow)
        await self._ship(client, flow)
        await self._pay(client, flow)

    def _lines(self) -> list[tuple[str, str, int]]:
        chosen = random.sample(self.goods.products, k=random.randint(1, 2))
        return [(product, sku, random.randint(1, 3)) for product, sku in chosen]

    async def _place(self, client: Client, flow: Flow) -> None:
        body = {
            "customer_id": flow.customer_id,
            "currency": "EUR",
            "lines": [{"product_id": p, "quantity": q} for p, _, q in self._lines()],
        }
        flow.order_id = str((await client.created("/sales-orders", body))["id"])

    async def _accept_quote(self, client: Client, flow: Flow) -> None:
        lines = [{"sku": sku, "quantity": q} for _, sku, q in self._lines()]
        quote = await client.created(
            "/quotes",
            {
                "customer_id": flow.customer_id,
                "currency": "EUR",
                "groups": [{"name": "Goods", "lines": lines}],
            },
        )
        flow.quote_id = str(quote["id"])
        quote_path = f"/quotes/{flow.quote_id}"
        await client.moved(f"{quote_path}/send", {}, quote_path, "sent")
        accept = {"convert_to": "sales_order"}
        accepted = await client.moved(f"{quote_path}/accept", accept, quote_path, "accepted")
        flow.order_id = str(accepted["converted_id"])

    async def _ship(self, client: Client, flow: Flow) -> None:
        order = await until(
            lambda: client.found(f"/sales-orders/{flow.order_id}"),
            lambda o: o["stock_status"] != "pending" and o["status"] == "execution",
            f"order {flow.order_id} approved with its stock answered",
        )
        if order["stock_status"] != "reserved":  # not expected with this much stock
            raise Unanswered(f"order {flow.order_id}: stock {order['stock_status']}")
        shipment = await client.created(
            "/shipments",
            {"order_id": flow.order_id, "warehouse_id": self.goods.warehouse_id, "carrier": "DHL"},
        )
        flow.shipment_ids.append(str(shipment["id"]))

    async def _pay(self, client: Client, flow: Flow) -> None:
        invoices = await until(
            lambda: client.found("/invoices", order_id=flow.order_id),
            lambda page: len(page["items"]) >= 1,
            f"the invoice of order {flow.order_id}",
        )
        owed = sum(Decimal(i["total"]["amount"]) for i in invoices["items"])
        # every third payment is a little more than owed: the rest must become credit
        extra = Decimal("1.00") if random.random() < 0.33 else Decimal(0)
        reference = f"fault transfer {uuid.uuid4().hex[:10]}"
        await client.created(
            "/payments",
            {
                "customer_id": flow.customer_id,
                "amount": {"amount": str(owed + extra), "currency": "EUR"},
                "reference": reference,
                "received_on": datetime.now(UTC).date().isoformat(),
            },
        )
        flow.payments.append((reference, owed + extra))

    async def _purchase(self, client: Client, flow: Flow) -> None:
        product, _ = random.choice(self.goods.products)
        quantity = random.randint(5, 20)
        order = await client.created(
            "/purchase-orders",
            {
                "supplier_id": self.goods.supplier_id,
                "warehouse_id": self.goods.warehouse_id,
                "notes": f"{PURCHASE_TAG} {uuid.uuid4().hex}",  # one per request: twins show
                "groups": [
                    {
                        "lines": [
                            {
                                "product_id": product,
                                "quantity": quantity,
                                "unit_price": {"amount": "1.10", "currency": "EUR"},
                            }
                        ]
                    }
                ],
            },
        )
        flow.purchase_order_id = str(order["id"])
        order_path = f"/purchase-orders/{flow.purchase_order_id}"
        await client.moved(f"{order_path}/send", {}, order_path, "sent")
        receipt_id = str(uuid.uuid4())  # the receipt's own id: received once, however often sent
        flow.receipt_ids.append(receipt_id)
        await client.created(
            "/receipts",
            {
                "warehouse_id": self.goods.warehouse_id,
                "purchase_order_id": flow.purchase_order_id,
                "lines": [{"product_id": product, "quantity": quantity}],
                "receipt_id": receipt_id,
            },
        )
