"""Who may call each of billing's RPCs: every RPC against every role, and the internal clients'
read scope -- the table in `entrypoints/access.py`, read the way the interceptor reads it."""

from __future__ import annotations

import pytest

from billing.entrypoints.access import ACCESS
from oms.billing.v1 import billing_pb2
from servicekit.access import EVERY_ROLE
from servicekit.context import Principal

SERVICE = billing_pb2.DESCRIPTOR.services_by_name["BillingService"]
WRITES = {
    "RecordPayment",
    "RecordCustomerPayment",
    "UnallocatePayment",
    "ApplyCustomerCredit",
    "IssueCreditNote",
    "RecordBill",
    "ReleaseBill",
    "RecordSupplierPayment",
    "ApplySupplierAdvance",
    "SetExchangeRate",
    "ImportExchangeRates",
    "RunDunning",
}
PAYABLES = {"GetBill", "ListBills", "ListSupplierPayments", "GetApAging"}
RATES = {"ListExchangeRates"}
RECEIVABLES = {m.name for m in SERVICE.methods} - WRITES - PAYABLES - RATES
# What each role may call: finance everything; the order desk and sales people what customers
# owe (and the order desk the rates); purchasing what suppliers are owed; the warehouse nothing.
MAY = {
    "finance": WRITES | PAYABLES | RATES | RECEIVABLES,
    "admin": WRITES | PAYABLES | RATES | RECEIVABLES,
    "order-desk": RECEIVABLES | RATES,
    "sales": RECEIVABLES,
    "sales-manager": RECEIVABLES,
    "purchasing": PAYABLES,
    "warehouse": set(),
}


def rule(rpc: str):  # type: ignore[no-untyped-def]
    return ACCESS.rules[f"/{SERVICE.full_name}/{rpc}"]


def test_every_role_is_in_the_expectations() -> None:
    assert set(MAY) == set(EVERY_ROLE)
    assert {
        "GetInvoice",
        "ListInvoices",
        "ListPayments",
        "GetPayment",
        "ListCreditNotes",
        "GetCreditNote",
        "GetCustomerBalance",
        "GetArAging",
        "GetRevenueReport",
        "RenderInvoice",
        "RenderCreditNote",
        "ListOverdue",
        "ListReminders",
        "RenderReminder",
    } == RECEIVABLES


@pytest.mark.parametrize("role", sorted(MAY))
@pytest.mark.parametrize("rpc", sorted(m.name for m in SERVICE.methods))
def test_each_role_may_call_exactly_its_part(role: str, rpc: str) -> None:
    person = Principal("someone", (role,))
    assert rule(rpc).admits_person(person) is (rpc in MAY[role])


def test_internal_clients_read_with_billing_read_and_write_nothing() -> None:
    scoped = {m.name for m in SERVICE.methods if rule(m.name).scope == "billing:read"}
    assert scoped == RECEIVABLES | PAYABLES | RATES
    assert not any(rule(name).scope for name in WRITES)


def test_only_the_woocommerce_connector_calls_billing_to_credit_refunds_and_record_payments() -> (
    None
):
    callers = {m.name: set(rule(m.name).services) for m in SERVICE.methods if rule(m.name).services}
    assert callers == {"IssueCreditNote": {"woocommerce"}, "RecordCustomerPayment": {"woocommerce"}}
