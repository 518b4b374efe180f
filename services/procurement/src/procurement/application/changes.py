"""What procurement's change log keeps of each entity (servicekit.audit): the fields a reader
of its history needs, money as text. Entity types, and the id each is recorded under:

- supplier (its id): created, changed
- rfq (its id): created, proposal_recorded, awarded
- supplier_contract (its id): created
- purchase_order (its id): created (by hand, from an RFQ or a reorder), changed, replenished,
  sent, cancelled, line_reduced, goods_received, bill_recorded, bill_released, bill_paid
- reorder_rule (the product's id; each entry names the warehouse): set, price_learned
"""

from __future__ import annotations

from typing import Any

from procurement.domain.contracts import SupplierContract
from procurement.domain.order_content import amount_text
from procurement.domain.purchase_orders import PurchaseOrder
from procurement.domain.reorder import ReorderRule
from procurement.domain.rfqs import Proposal, Rfq
from procurement.domain.suppliers import Supplier
from servicekit.changes import changed

SUPPLIER = "supplier"
RFQ = "rfq"
CONTRACT = "supplier_contract"
PURCHASE_ORDER = "purchase_order"
REORDER_RULE = "reorder_rule"


def supplier_fields(supplier: Supplier) -> dict[str, Any]:
    return {
        "name": supplier.name,
        "email": supplier.email,
        "currency": supplier.currency,
        "contacts": [
            {"name": c.name, "email": c.email, "phone": c.phone, "role": c.role}
            for c in supplier.contacts
        ],
        "payment_terms": supplier.payment_terms,
        "rating": supplier.rating,
    }


def rfq_fields(rfq: Rfq) -> dict[str, Any]:
    return {
        "title": rfq.title,
        "currency": rfq.currency,
        "warehouse_id": rfq.warehouse_id,
        "deadline": rfq.deadline,
        "supplier_ids": list(rfq.supplier_ids),
        "lines": [{"product_id": x.product_id, "quantity": x.quantity} for x in rfq.lines],
        "status": rfq.status.value,
    }


def proposal_fields(proposal: Proposal) -> dict[str, Any]:
    return {
        "supplier_id": proposal.supplier_id,
        "prices": {product: str(price) for product, price in proposal.prices.items()},
        "lead_time_days": proposal.lead_time_days,
        "terms": proposal.terms,
        "valid_until": proposal.valid_until,
    }


def contract_fields(contract: SupplierContract) -> dict[str, Any]:
    return {
        "supplier_id": contract.supplier_id,
        "reference": contract.reference,
        "currency": contract.currency,
        "valid_from": contract.valid_from,
        "valid_to": contract.valid_to,
        "prices": {
            price.product_id: amount_text(price.unit_price, contract.currency)
            for price in contract.prices
        },
    }


def order_fields(order: PurchaseOrder) -> dict[str, Any]:
    """What the order says: supplier, terms, dates, lines and total."""
    return {
        "number": order.number,
        "supplier_id": order.supplier_id,
        "warehouse_id": order.warehouse_id,
        "currency": order.currency,
        "status": order.status.value,
        "expected_on": order.expected_on,
        "payment_terms": order.payment_terms,
        "notes": order.notes,
        "lines": [
            {"product_id": x.product_id, "quantity": x.quantity, "unit_price": x.unit_price}
            for x in order.lines
        ],
        "total": order.total,
        "cancelled": dict(order.cancelled),
    }


def order_progress(order: PurchaseOrder) -> dict[str, Any]:
    """Where the order stands as goods and the bill arrive."""
    return {
        "status": order.status.value,
        "received": {x.product_id: order.received(x.product_id) for x in order.lines},
        "bill_id": order.bill_id,
        "bill_status": order.bill_status,
        "billed": {x.product_id: order.billed(x.product_id) for x in order.lines},
    }


def rule_fields(rule: ReorderRule) -> dict[str, Any]:
    return {
        "warehouse_id": rule.warehouse_id,
        "sku": rule.sku,
        "minimum": rule.minimum,
        "maximum": rule.maximum,
        "supplier_id": rule.supplier_id,
        "unit_price": amount_text(rule.unit_price, rule.currency),
        "currency": rule.currency,
        "lead_time_days": rule.lead_time_days,
    }


def rule_change(
    earlier: ReorderRule | None, rule: ReorderRule
) -> tuple[dict[str, Any] | None, dict[str, Any]] | None:
    """What setting `rule` over `earlier` changed, before and after, each naming the warehouse
    (the entry's id is the product's); None when it changed nothing."""
    if earlier is None:
        return None, rule_fields(rule)
    before, after = changed(rule_fields(earlier), rule_fields(rule))
    if not after:
        return None
    where = {"warehouse_id": rule.warehouse_id}
    return where | before, where | after
