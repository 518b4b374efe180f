"""What the sales sync needs beyond the connector's own ports: the customers its stores' buyers
became, orders and billing (the sales channel: orders placed and cancelled, refunds credited,
store payments recorded), and the store's refunds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from woocommerce.application.ports import UnitOfWork
from woocommerce.domain.sales_orders import NewCustomer, Placement, RefundCredit
from woocommerce.domain.store_payments import StorePayment
from woocommerce.domain.stores import Store


class Customers(Protocol):
    async def get(self, store_id: str, key: str) -> str | None:
        """orders' customer id kept under the key ("woo:17", "email:a@b", "guest:727")."""
        ...

    async def add(self, store_id: str, key: str, customer_id: str) -> None:
        """Keeps the key (a key kept already keeps its customer)."""
        ...


class SalesUnitOfWork(UnitOfWork, Protocol):
    @property
    def customers(self) -> Customers: ...


class SalesUnitsOfWork(Protocol):
    def __call__(self) -> SalesUnitOfWork: ...


class SalesUnavailable(Exception):
    """orders or billing could not be asked (not configured, unreachable): tried again later."""


class SalesRefused(Exception):
    """orders or billing refused the request: a person has to look (kept as the sync note)."""


@dataclass(frozen=True)
class SalesStatus:
    status: str  # the sales order's pipeline stage
    shipped: bool  # any of it shipped
    total: Decimal | None = None  # its total, in the store's currency


class SalesChannel(Protocol):
    """orders and billing, called with the connector's own identity."""

    async def open_customer(self, customer: NewCustomer) -> str: ...
    async def place(self, placement: Placement) -> str:
        """The sales order's id (the same order for a retry: the natural key)."""
        ...

    async def status(self, sales_order_id: str) -> SalesStatus: ...
    async def cancel(self, sales_order_id: str, reason: str) -> None: ...
    async def credit(self, credit: RefundCredit) -> str:
        """The credit note's id (the same for a retry: the request id)."""
        ...

    async def pay(self, payment: StorePayment) -> str:
        """The payment's id (the same for a retry: the request id)."""
        ...


class Refunds(Protocol):
    async def refunds(self, store: Store, order_id: int) -> Sequence[Mapping[str, Any]]:
        """GET /orders/<id>/refunds: the order's refunds, newest first."""
        ...
