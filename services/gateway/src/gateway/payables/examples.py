"""Examples of the payables' bodies, for the OpenAPI document, in the story of gateway.examples:
the supplier bills the purchase order of 20 widgets at 7.10 EUR (all received), and is paid 150.00,
8.00 of it an advance. A unit test validates each against its schema; none has a null field
(FastAPI leaves null out of the document)."""

from __future__ import annotations

from gateway.billing.examples import reporting_total
from gateway.examples import PRODUCT_ID, PURCHASE_ORDER_ID, SUPPLIER_ID, money

BILL_ID = "9b8a7c6d-5e4f-4321-8fed-cba987654321"
PAYMENT_ID = "7c6b5a49-3827-4165-9f8e-7d6c5b4a3928"
SUPPLIER_REFERENCE = "AC-INV-88812"

BILL_LINE_IN = {"product_id": PRODUCT_ID, "quantity": 20, "unit_price": "7.10"}
BILL_IN = {
    "purchase_order_id": PURCHASE_ORDER_ID,
    "supplier_id": SUPPLIER_ID,
    "supplier_reference": SUPPLIER_REFERENCE,
    "currency": "EUR",
    "lines": [BILL_LINE_IN],
}
BILL_LINE = {
    "product_id": PRODUCT_ID,
    "sku": "WIDGET-1",
    "quantity": 20,
    "unit_price": money("7.10"),
    "line_total": money("142.00"),
    "ordered_quantity": 20,
    "received_quantity": 20,
    "ordered_unit_price": money("7.10"),
    "billed_before": 0,
    "issue": "",
}
BILL = {
    "id": BILL_ID,
    "purchase_order_id": PURCHASE_ORDER_ID,
    "purchase_order_number": "PO-2026-000017",
    "supplier_id": SUPPLIER_ID,
    "supplier_reference": SUPPLIER_REFERENCE,
    "lines": [BILL_LINE],
    "total": money("142.00"),
    "status": "open",
    "match_status": "matched",
    "reason": "",
    "amount_paid": money("0.00"),
    "balance": money("142.00"),
    "due_date": "2027-01-04",
    "recorded_at": "2026-12-05T16:00:00Z",
    "recorded_by": "finn",
    "released_by": "",
    "release_note": "",
    "dual_control": False,
}
RELEASE_IN = {"note": "the price difference is agreed with the supplier"}
BILL_ALLOCATION_IN = {"bill_id": BILL_ID, "amount": money("142.00")}
ADVANCE_IN = {"bill_id": BILL_ID, "amount": money("8.00")}
SUPPLIER_PAYMENT_IN = {
    "supplier_id": SUPPLIER_ID,
    "amount": money("150.00"),
    "reference": "transfer 2026-12-20",
    "paid_on": "2026-12-20",
    "allocations": [BILL_ALLOCATION_IN],
}
SUPPLIER_PAYMENT_ALLOCATION = {
    "bill_id": BILL_ID,
    "supplier_reference": SUPPLIER_REFERENCE,
    "amount": money("142.00"),
}
SUPPLIER_PAYMENT = {
    "id": PAYMENT_ID,
    "supplier_id": SUPPLIER_ID,
    "amount": money("150.00"),
    "reference": "transfer 2026-12-20",
    "paid_on": "2026-12-20",
    "allocations": [SUPPLIER_PAYMENT_ALLOCATION],
    "unapplied": money("8.00"),
    "recorded_at": "2026-12-20T08:45:00Z",
    "recorded_by": "finn",
}
AP_AGING_LINE = {
    "party_id": SUPPLIER_ID,
    "currency": "EUR",
    "buckets": {
        "current": money("142.00"),
        "days_1_30": money("0.00"),
        "days_31_60": money("0.00"),
        "days_61_90": money("0.00"),
        "days_over_90": money("0.00"),
        "total": money("142.00"),
    },
    "credit": money("0.00"),
    "documents": 1,
}
AP_AGING = {
    "as_of": "2026-12-15",
    "suppliers": [AP_AGING_LINE],
    "totals": [AP_AGING_LINE | {"party_id": ""}],
    "reporting_total": reporting_total("142.00", "2026-12-15"),
}
