"""What the store collected, as payments on the sales order's invoices. Plain Python.

A WooCommerce order is paid at checkout (its `date_paid_gmt` set, status processing, completed
or, once given back, refunded); the suite invoices it as it ships. So each invoice billing issues
for the sales order is paid from what the store collected -- the order's total -- in the order
the invoices came, until that is spent. The sales order then goes on to `paid` in its pipeline
as a direct order does, and nothing is left for dunning to chase. An order the store has not
been paid for (on hold for a bank transfer, pending) pays nothing yet; its next snapshot does.

A refund is money going back out: its credit note is issued as paid back (it reduces revenue
and leaves the customer no credit), so it does not change what the invoices are paid with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from woocommerce.domain.connector_orders import ConnectorOrder
from woocommerce.domain.woo_order import gmt, money

# The statuses of an order whose money the store holds (or held, for refunded).
PAID_STATUSES = ("processing", "completed", "refunded")


@dataclass(frozen=True)
class StorePayment:
    """One invoice paid with money the store collected."""

    store_id: str
    woo_order_id: int
    invoice_id: str
    invoice_number: str
    amount: Decimal
    currency: str
    received_on: str  # the day the store was paid (UTC), ISO

    @property
    def reference(self) -> str:
        """Unique per customer (billing's natural key for a payment): one per invoice. The
        same on every retry, so it names nothing a later snapshot may change."""
        return f"WooCommerce {self.store_id} order {self.woo_order_id}, {self.invoice_number}"

    @property
    def request_id(self) -> str:
        return f"woocommerce:{self.store_id}:payment:{self.invoice_id}"[:100]


def collected(data: Mapping[str, Any]) -> Decimal:
    """What the store collected for the order: its total once paid; 0 before."""
    if str(data.get("status")) not in PAID_STATUSES or not data.get("date_paid_gmt"):
        return Decimal(0)
    return max(Decimal(0), money(data.get("total")))


def payments_due(held: ConnectorOrder, data: Mapping[str, Any]) -> list[StorePayment]:
    """The payments to record now: each invoice not paid yet, as far as the store's money goes."""
    paid = {entry.split("=", 2)[0] for entry in held.payments}
    left = collected(data) - sum(
        (Decimal(entry.split("=", 2)[2]) for entry in held.payments), Decimal(0)
    )
    if left <= 0:
        return []
    received_on = gmt(str(data["date_paid_gmt"])).date().isoformat()
    due = []
    for entry in held.invoices:
        invoice_id, number, total = entry.split("=", 2)
        amount = min(Decimal(total), left)
        if invoice_id in paid or amount <= 0:
            continue
        due.append(
            StorePayment(
                held.store_id,
                held.woo_order_id,
                invoice_id,
                number,
                amount,
                held.currency,
                received_on,
            )
        )
        left -= amount
    return due
