"""Examples of the receivables' bodies, for the OpenAPI document, in the story of
gateway.examples: Acme's order of three widgets at 12.50 EUR is invoiced (44.63 with 19 % VAT),
paid in part, and one widget returned and credited. A unit test validates each against its
schema; none has a null field (FastAPI leaves null out of the document)."""

from __future__ import annotations

from typing import Any

from gateway.examples import (
    CUSTOMER_ID,
    LATER,
    LINE_ID,
    ORDER_ID,
    PRODUCT_ID,
    RETURN_ID,
    SHIPMENT_ID,
    money,
)

INVOICE_ID = "3f6c2a1e-7b2d-4c51-9e0a-1d2b3c4d5e6f"
PAYMENT_ID = "b7e3f1a2-9c8d-4e7f-a6b5-c4d3e2f1a0b9"
CREDIT_NOTE_ID = "d4c3b2a1-0f9e-4d8c-b7a6-958473625140"
INVOICE_NUMBER = "INV-2026-000042"


def reporting_total(amount: str, on: str = "2027-01-31") -> dict[str, Any]:
    """A report's total in the reporting currency (EUR) when every amount is in EUR, at the
    rates of `on`."""
    return {
        "currency": "EUR",
        "total": money(amount),
        "complete": True,
        "rates_on": on,
        "conversions": [
            {
                "amount": money(amount),
                "converted": money(amount),
                "rate": "1",
                "rate_pair": "EUR/EUR",
                "rate_effective_from": on,
                "missing": "",
            }
        ],
    }


LINE_TAX = {"code": "VAT19", "rate": "0.19", "amount": money("7.13")}
DOCUMENT_TAX = {"code": "VAT19", "rate": "0.19", "base": money("37.50"), "amount": money("7.13")}
SELLER = {
    "name": "Example Trading GmbH",
    "tax_id": "DE811111111",
    "address": ["Industriestr. 9", "10115 Berlin", "Germany"],
    "registration": "Amtsgericht Berlin HRB 12345",
}
BUYER = {
    "name": "Acme GmbH",
    "tax_id": "DE123456789",
    "address": ["Hauptstr. 1", "10115 Berlin", "Germany"],
    "registration": "",
}
INVOICE_LINE = {
    "order_line_id": LINE_ID,
    "product_id": PRODUCT_ID,
    "sku": "WIDGET-1",
    "quantity": 3,
    "unit_price": money("12.50"),
    "line_total": money("37.50"),
    "taxes": [LINE_TAX],
    "gross": money("44.63"),
}
INVOICE: dict[str, Any] = {
    "id": INVOICE_ID,
    "number": INVOICE_NUMBER,
    "order_id": ORDER_ID,
    "shipment_id": SHIPMENT_ID,
    "customer_id": CUSTOMER_ID,
    "lines": [INVOICE_LINE],
    "total": money("44.63"),
    "status": "partially_paid",
    "issued_at": LATER,
    "quote_id": "",
}
BILLING_INVOICE = INVOICE | {
    "due_date": "2027-01-04",
    "amount_paid": money("20.00"),
    "amount_credited": money("14.88"),
    "balance": money("9.75"),
    "seller": SELLER,
    "buyer": BUYER,
    "payment_terms": "30 days net",
    "taxes": [DOCUMENT_TAX],
    "payment_instructions": f"IBAN DE89 3704 0044 0532 0130 00, reference {INVOICE_NUMBER}",
    "tax_exemption": "",
    "net": money("37.50"),
}
ALLOCATION_IN = {"invoice_id": INVOICE_ID, "amount": money("20.00")}
PAYMENT_IN = {
    "customer_id": CUSTOMER_ID,
    "amount": money("20.00"),
    "reference": "bank transfer 2026-0042",
    "received_on": "2026-12-10",
    "allocations": [ALLOCATION_IN],
}
PAYMENT_ALLOCATION = {
    "id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
    "invoice_id": INVOICE_ID,
    "invoice_number": INVOICE_NUMBER,
    "amount": money("20.00"),
    "allocated_at": "2026-12-10T09:00:00Z",
    "unallocated_by": "",
}
PAYMENT = {
    "id": PAYMENT_ID,
    "invoice_id": "",
    "invoice_number": "",
    "order_id": "",
    "customer_id": CUSTOMER_ID,
    "amount": money("20.00"),
    "reference": "bank transfer 2026-0042",
    "received_on": "2026-12-10",
    "recorded_at": "2026-12-10T09:00:00Z",
    "recorded_by": "finn",
    "kind": "received",
    "allocations": [PAYMENT_ALLOCATION],
    "allocated": money("20.00"),
    "unapplied": money("0.00"),
}
UNALLOCATE_IN = {"invoice_id": INVOICE_ID}
CREDIT_APPLY_IN = {"invoice_id": INVOICE_ID, "amount": money("9.75")}
CREDIT_NOTE_LINE = {
    "order_line_id": LINE_ID,
    "product_id": PRODUCT_ID,
    "sku": "WIDGET-1",
    "quantity": 1,
    "unit_price": money("12.50"),
    "line_total": money("14.88"),
    "taxes": [{"code": "VAT19", "rate": "0.19", "amount": money("2.38")}],
    "net": money("12.50"),
}
CREDIT_NOTE = {
    "id": CREDIT_NOTE_ID,
    "number": "CN-2026-000007",
    "invoice_id": INVOICE_ID,
    "invoice_number": INVOICE_NUMBER,
    "order_id": ORDER_ID,
    "customer_id": CUSTOMER_ID,
    "lines": [CREDIT_NOTE_LINE],
    "total": money("14.88"),
    "unapplied": money("0.00"),
    "reason": "returned",
    "return_id": RETURN_ID,
    "issued_at": "2026-12-12T10:00:00Z",
    "memo": "",
    "seller": SELLER,
    "buyer": BUYER,
    "taxes": [{"code": "VAT19", "rate": "0.19", "base": money("12.50"), "amount": money("2.38")}],
    "tax_exemption": "",
    "net": money("12.50"),
}
CREDIT_NOTE_IN = {"customer_id": CUSTOMER_ID, "amount": money("5.00"), "memo": "late delivery"}
CUSTOMER_BALANCE = {
    "customer_id": CUSTOMER_ID,
    "balances": [money("9.75")],
    "credits": [money("5.00")],
}
AGING_BUCKETS = {
    "current": money("0.00"),
    "days_1_30": money("9.75"),
    "days_31_60": money("0.00"),
    "days_61_90": money("0.00"),
    "days_over_90": money("0.00"),
    "total": money("9.75"),
}
AGING_LINE = {
    "party_id": CUSTOMER_ID,
    "currency": "EUR",
    "buckets": AGING_BUCKETS,
    "credit": money("5.00"),
    "documents": 1,
}
AR_AGING = {
    "as_of": "2027-01-31",
    "customers": [AGING_LINE],
    "totals": [AGING_LINE | {"party_id": ""}],
    "reporting_total": reporting_total("9.75"),
}
REVENUE_ROW = {
    "period": "2026-12",
    "channel": "",
    "invoiced": money("44.63"),
    "credited": money("14.88"),
    "net": money("29.75"),
    "invoices": 1,
    "credit_notes": 1,
    "invoiced_net": money("37.50"),
    "invoiced_tax": money("7.13"),
    "credited_net": money("12.50"),
    "credited_tax": money("2.38"),
    "net_revenue": money("25.00"),
    "tax": money("4.75"),
}
REVENUE = {
    "rows": [REVENUE_ROW],
    "totals": [REVENUE_ROW | {"period": ""}],
    "reporting_total": reporting_total("25.00"),
}
