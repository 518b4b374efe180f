"""What procurement announces, as the transitions that cause it return it. Plain Python; the
outbox writes each as its protobuf event (adapters.events), keyed by the aggregate's id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pricing.document import PricedDocument


@dataclass(frozen=True)
class SupplierCreated:
    """A supplier the company may buy from exists now."""

    supplier_id: str
    name: str
    currency: str

    @property
    def key(self) -> str:
        return self.supplier_id


@dataclass(frozen=True)
class PurchaseOrderIssued:
    """A purchase order went to its supplier: inventory expects the goods, billing the bill."""

    purchase_order_id: str
    number: str
    supplier_id: str
    warehouse_id: str
    currency: str
    # Its lines (with their unit prices) are the document's.
    document: PricedDocument
    expected_on: date
    payment_terms: str

    @property
    def key(self) -> str:
        return self.purchase_order_id


@dataclass(frozen=True)
class PurchaseOrderStatusChanged:
    """A purchase order moved from one status to another, for the reason given."""

    purchase_order_id: str
    from_status: str
    to_status: str
    reason: str

    @property
    def key(self) -> str:
        return self.purchase_order_id


@dataclass(frozen=True)
class CancelledUnits:
    """A line's units still ordered and cancelled in all."""

    product_id: str
    quantity: int
    cancelled: int


@dataclass(frozen=True)
class PurchaseOrderReduced:
    """A sent order was cancelled (what had not arrived) or a line reduced: those units are
    neither to be received nor billed."""

    purchase_order_id: str
    warehouse_id: str
    lines: tuple[CancelledUnits, ...]
    reason: str
    order_cancelled: bool

    @property
    def key(self) -> str:
        return self.purchase_order_id


DomainEvent = (
    SupplierCreated | PurchaseOrderIssued | PurchaseOrderStatusChanged | PurchaseOrderReduced
)
