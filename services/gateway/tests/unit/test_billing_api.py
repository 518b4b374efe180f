"""/payments against a fake billing: every payment received goes to billing's one payment RPC
with what the client gave (invoice, customer, allocations), and billing decides how it applies.
/exchange-rates/import: the file goes to billing as text, whichever way the client labels it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from oms.billing.v1 import billing_pb2, billing_pb2_grpc
from oms.types.v1.types_pb2 import Money
from servicekit.errors import InvalidArgument
from services.gateway.tests.unit.conftest import GatewayOver
from testkit.services import signed_in

FINANCE = signed_in("fiona", "finance")
EUR = {"amount": "20.00", "currency": "EUR"}


class FakeBilling(billing_pb2_grpc.BillingServiceServicer):
    def __init__(self) -> None:
        self.asked: list[billing_pb2.RecordCustomerPaymentRequest] = []
        self.imported: list[billing_pb2.ImportExchangeRatesRequest] = []

    async def RecordCustomerPayment(
        self, request: Any, context: Any
    ) -> billing_pb2.RecordCustomerPaymentResponse:
        self.asked.append(request)
        if request.invoice_id and request.allocations:
            raise InvalidArgument.of("invoice_id", "name the invoices in allocations, or one")
        payment = billing_pb2.Payment(
            id="pay-1", amount=request.amount, received_on=request.received_on
        )
        return billing_pb2.RecordCustomerPaymentResponse(payment=payment)

    async def ImportExchangeRates(
        self, request: Any, context: Any
    ) -> billing_pb2.ImportExchangeRatesResponse:
        self.imported.append(request)
        return billing_pb2.ImportExchangeRatesResponse(set=1, unchanged=0)


@pytest.fixture(scope="module")
def billing() -> FakeBilling:
    return FakeBilling()


@pytest.fixture(scope="module")
async def api(gateway_over: GatewayOver, billing: FakeBilling) -> AsyncIterator[httpx.AsyncClient]:
    registration = (billing_pb2_grpc.add_BillingServiceServicer_to_server, billing)
    async with gateway_over([registration], "http://gw/api/v1") as client:
        yield client


@pytest.mark.parametrize(
    "given",
    [
        {"invoice_id": "i-1"},
        {"customer_id": "C-1"},
        {"customer_id": "C-1", "invoice_id": "i-1"},
        {"customer_id": "C-1", "allocations": [{"invoice_id": "i-2", "amount": EUR}]},
    ],
)
async def test_a_payment_goes_to_billing_as_given(
    api: httpx.AsyncClient, billing: FakeBilling, given: dict[str, Any]
) -> None:
    body = {"amount": EUR, "reference": "bank 7", "received_on": "2026-03-02"} | given
    created = await api.post("/payments", json=body, headers=FINANCE)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/payments/pay-1"
    assert billing.asked[-1] == billing_pb2.RecordCustomerPaymentRequest(
        invoice_id=given.get("invoice_id", ""),
        customer_id=given.get("customer_id", ""),
        amount=Money(amount="20.00", currency="EUR"),
        reference="bank 7",
        received_on="2026-03-02",
        allocations=[
            billing_pb2.AllocationRequest(
                invoice_id=a["invoice_id"], amount=Money(amount="20.00", currency="EUR")
            )
            for a in given.get("allocations", [])
        ],
    )


async def test_billing_refuses_an_invoice_with_allocations_naming_the_field(
    api: httpx.AsyncClient,
) -> None:
    body = {
        "invoice_id": "i-1",
        "amount": EUR,
        "received_on": "2026-03-02",
        "allocations": [{"invoice_id": "i-2", "amount": EUR}],
    }
    refused = await api.post("/payments", json=body, headers=FINANCE)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["invoice_id"]


RATES_CSV = "date,currency,rate\n2026-12-01,USD,1.0842\n"


@pytest.mark.parametrize(
    "kind", ["text/csv", "text/csv; charset=utf-8", "application/octet-stream"]
)
async def test_a_rates_file_goes_to_billing_as_text_as_documented(
    api: httpx.AsyncClient, billing: FakeBilling, kind: str
) -> None:
    """text/csv, and application/octet-stream: how a client generated from the document sends
    a file."""
    headers = FINANCE | {"Content-Type": kind}
    imported = await api.post("/exchange-rates/import", content=RATES_CSV.encode(), headers=headers)
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"set": 1, "unchanged": 0}
    assert billing.imported[-1] == billing_pb2.ImportExchangeRatesRequest(
        base_currency="EUR", csv=RATES_CSV
    )


async def test_a_rates_file_of_another_type_is_refused_naming_the_content_type(
    api: httpx.AsyncClient,
) -> None:
    headers = FINANCE | {"Content-Type": "application/json"}
    refused = await api.post("/exchange-rates/import", content=b"{}", headers=headers)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["content-type"]
