"""orders and billing (the sales channel) and the store's refunds, in memory."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from woocommerce.application.sales_ports import SalesRefused, SalesStatus, SalesUnavailable
from woocommerce.domain.sales_orders import NewCustomer, Placement, RefundCredit
from woocommerce.domain.store_payments import StorePayment
from woocommerce.domain.stores import Store


class FakeSalesChannel:
    def __init__(self) -> None:
        self.customers: list[NewCustomer] = []
        self.orders: dict[str, Placement] = {}  # by external reference, as orders keys them
        self.status_of: dict[str, SalesStatus] = {}
        self.cancelled: list[tuple[str, str]] = []
        self.credits: dict[str, RefundCredit] = {}  # by request id
        self.payments: dict[str, StorePayment] = {}  # by request id
        self.down = False
        self.refusing = ""

    def _check(self) -> None:
        if self.down:
            raise SalesUnavailable("orders: UNAVAILABLE")
        if self.refusing:
            raise SalesRefused(self.refusing)

    async def open_customer(self, customer: NewCustomer) -> str:
        self._check()
        self.customers.append(customer)
        return f"c-{len(self.customers)}"

    async def place(self, placement: Placement) -> str:
        self._check()
        self.orders.setdefault(placement.external_reference, placement)
        order_id = f"so-{placement.external_reference}"
        total = placement.document.figures.total
        self.status_of.setdefault(order_id, SalesStatus("execution", False, total))
        return order_id

    async def status(self, sales_order_id: str) -> SalesStatus:
        self._check()
        return self.status_of[sales_order_id]

    async def cancel(self, sales_order_id: str, reason: str) -> None:
        self._check()
        self.cancelled.append((sales_order_id, reason))
        self.status_of[sales_order_id] = SalesStatus("cancelled", False)

    async def credit(self, credit: RefundCredit) -> str:
        self._check()
        self.credits.setdefault(credit.request_id, credit)
        return f"cn-{credit.refund_id}"

    async def pay(self, payment: StorePayment) -> str:
        self._check()
        self.payments.setdefault(payment.request_id, payment)
        return f"pay-{payment.invoice_id}"


class FakeRefunds:
    def __init__(self, refunds: Mapping[int, Sequence[Mapping[str, Any]]] | None = None) -> None:
        self.by_order = dict(refunds or {})

    async def refunds(self, store: Store, order_id: int) -> Sequence[Mapping[str, Any]]:
        return self.by_order.get(order_id, [])
