"""A store's order in the connector, keyed by (store, WooCommerce order id): the newest snapshot
of it the connector has seen and what became of it.

    received -> mapped   the engine reproduces the store's figures; ready to become a sales order
             -> parked   a line's SKU is not in the catalog (the reason says which)
             -> review   the engine's figures differ from the store's (kept, differences recorded)

A snapshot replaces the one held only when the store modified the order later (its
`date_modified_gmt`): deliveries that come twice or late change nothing.

A parked order is taken up again (`retried`: back to received, mapped once its SKUs are known)
when the catalog gains one of its SKUs, or by hand.

A mapped or review order becomes a sales order in orders (`sales_order_id`); each snapshot kept,
each move to or from the trash and each invoice billing issues for it makes it `sync_due`, and
the sales sync (application/commands/sync_sales_orders.py) catches the sales order up: places
it, cancels it, credits its refunds, pays its invoices with what the store collected.
`sales_state` only moves forward: "" -> placed -> cancelled | kept (the store cancelled an order
that had shipped already)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class OrderState(StrEnum):
    RECEIVED = "received"
    MAPPED = "mapped"
    PARKED = "parked"
    REVIEW = "review"


class Arrival(StrEnum):
    """How a snapshot relates to the one held."""

    NEW = "new"  # the first seen of this order
    NEWER = "newer"  # modified after the one held: replaces it
    SAME = "same"  # the same modification, the same content: a duplicate
    STALE = "stale"  # modified before the one held: an old delivery arriving late
    IN_DOUBT = "in_doubt"  # the same modification time, other content: ask the store


@dataclass(frozen=True)
class ConnectorOrder:
    store_id: str
    woo_order_id: int
    number: str
    woo_status: str
    date_modified_gmt: datetime
    fingerprint: str  # of the snapshot's content
    currency: str
    total: Decimal  # the store's
    state: OrderState
    reason: str = ""  # why parked
    differences: tuple[str, ...] = ()  # why in review: "what: store X, engine Y"
    trashed: bool = False
    body: str = ""  # the snapshot as the store sent it
    sales_order_id: str = ""  # the sales order it became; "" not yet
    sales_state: str = ""  # "", "placed", "cancelled", "kept"
    credited: tuple[str, ...] = ()  # "<refund id>=<credit note id>" for each refund credited
    sync_due: bool = True  # the sales order has to catch up with this snapshot
    sync_note: str = ""  # why it could not yet, or what the last sync did
    # "<invoice id>=<number>=<total>" for each invoice billing issued for the sales order
    invoices: tuple[str, ...] = ()
    # "<invoice id>=<payment id>=<amount>" for each store payment recorded on an invoice
    payments: tuple[str, ...] = ()

    def arrival(self, modified: datetime, fingerprint: str) -> Arrival:
        if modified > self.date_modified_gmt:
            return Arrival.NEWER
        if modified < self.date_modified_gmt:
            return Arrival.STALE
        return Arrival.SAME if fingerprint == self.fingerprint else Arrival.IN_DOUBT

    def mapped(self) -> ConnectorOrder:
        return replace(self, state=OrderState.MAPPED, reason="", differences=())

    def parked(self, reason: str) -> ConnectorOrder:
        return replace(self, state=OrderState.PARKED, reason=reason, differences=())

    def in_review(self, differences: tuple[str, ...]) -> ConnectorOrder:
        return replace(self, state=OrderState.REVIEW, reason="", differences=differences)

    def moved_to_trash(self) -> ConnectorOrder:
        return replace(self, trashed=True, sync_due=True)

    def restored(self) -> ConnectorOrder:
        return replace(self, trashed=False, sync_due=True)

    def retried(self) -> ConnectorOrder:
        """A parked order taken up again: received, to be mapped from its snapshot."""
        if self.state is not OrderState.PARKED:
            return self
        return replace(self, state=OrderState.RECEIVED, reason="")

    def invoiced(self, invoice_id: str, number: str, total: Decimal) -> ConnectorOrder:
        """An invoice of the sales order, to be paid with what the store collected."""
        if any(entry.split("=", 1)[0] == invoice_id for entry in self.invoices):
            return self
        entry = f"{invoice_id}={number}={total}"
        return replace(self, invoices=(*self.invoices, entry), sync_due=True)

    @property
    def placeable(self) -> bool:
        return self.state in (OrderState.MAPPED, OrderState.REVIEW)

    @property
    def credited_refunds(self) -> set[int]:
        return {int(entry.split("=", 1)[0]) for entry in self.credited}


def arrival_of(held: ConnectorOrder | None, modified: datetime, fingerprint: str) -> Arrival:
    return Arrival.NEW if held is None else held.arrival(modified, fingerprint)


def unknown_skus(skus: list[str], known: set[str]) -> str:
    """The parking reason for the lines whose SKU the catalog does not know; "" when none."""
    missing = [
        f"line {n}: {sku or '(no SKU)'}" for n, sku in enumerate(skus, 1) if sku not in known
    ]
    return ("unknown SKU: " + ", ".join(missing)) if missing else ""
