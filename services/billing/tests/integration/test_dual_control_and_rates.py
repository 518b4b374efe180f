"""Four eyes on large supplier bills, and the exchange rates finance keeps, against the real broker
and database: a bill above the dual-control amount (converted with the rates; always when none
converts it) is released only by another finance user; rates are set, listed in pages, audited
and published as ExchangeRateSet."""

from __future__ import annotations

import json

import grpc
import pytest

from oms.billing.v1 import billing_pb2 as pb
from oms.events.v1 import billing_pb2 as events
from services.billing.tests.integration.conftest import (
    FINANCE,
    Billing,
    Start,
    a_bill,
    a_purchase_order,
    a_receipt,
    copied,
    refused,
)
from testkit.services import as_user

FRANK = as_user("frank", "finance")


async def a_bill_of(service: Billing, currency: str, unit_price: str) -> pb.Bill:
    """10 units of p1 at `unit_price`, on a purchase order of their own, recorded by fiona."""
    order = a_purchase_order(f"S-{currency}", currency=currency)
    await service.send(order, key=order.purchase_order_id)
    receipt = a_receipt(order.purchase_order_id, ("p1", 10))
    await service.send(receipt, key=receipt.receipt_id)
    await copied(service, order.purchase_order_id, 10)
    request = a_bill(order, f"INV-{order.purchase_order_id[:8]}", ("p1", 10, unit_price))
    request.currency = currency
    return (await service.stub.RecordBill(request, metadata=FINANCE)).bill


async def set_rate(
    service: Billing, base: str, quote: str, rate: str, day: str = ""
) -> pb.ExchangeRate:
    reply = await service.stub.SetExchangeRate(
        pb.SetExchangeRateRequest(
            base_currency=base, quote_currency=quote, rate=rate, effective_from=day
        ),
        metadata=FINANCE,
    )
    return reply.rate


async def test_a_bill_above_the_limit_is_released_by_a_second_finance_user(
    start_billing: Start,
) -> None:
    async with start_billing(bill_dual_control_above="100") as service:
        at_limit = await a_bill_of(service, "EUR", "10.00")  # 100.00: one person may do it all
        assert (at_limit.match_status, at_limit.dual_control) == ("matched", False)
        async with service.log() as log:
            large = await a_bill_of(service, "EUR", "10.10")  # 101.00, a matching price
            ((_, recorded),) = await log.wait_for(large.purchase_order_id)
        assert (large.status, large.match_status, large.dual_control) == ("held", "held", True)
        assert "a second finance user releases it" in large.reason
        assert isinstance(recorded, events.BillRecorded)
        assert (recorded.status, recorded.reason) == ("held", large.reason)

        own = service.stub.ReleaseBill(pb.ReleaseBillRequest(bill_id=large.id), metadata=FINANCE)
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await own
        assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
        assert error.value.details() == (
            f"bill {large.id} is under dual control: fiona recorded it, so another finance user "
            "must release it"
        )
        assert await refused(
            service.stub.RecordSupplierPayment(
                pb.RecordSupplierPaymentRequest(
                    supplier_id="S-EUR",
                    amount=large.total,
                    allocations=[pb.BillAllocationRequest(bill_id=large.id, amount=large.total)],
                ),
                metadata=FINANCE,
            )
        ) == {"allocations[0].bill_id": f"bill {large.id} is held and cannot be paid"}

        released = (
            await service.stub.ReleaseBill(
                pb.ReleaseBillRequest(bill_id=large.id, note="checked"), metadata=FRANK
            )
        ).bill
        assert (released.status, released.recorded_by, released.released_by) == (
            "open",
            "fiona",
            "frank",
        )
        release, record = await service.changes("bill", large.id)
        assert (record.action, record.actor, json.loads(record.after_json)["recorded_by"]) == (
            "recorded",
            "fiona",
            "fiona",
        )
        assert (release.action, release.actor) == ("released", "frank")
        assert json.loads(release.after_json) == {
            "status": "open",
            "match_status": "released",
            "released_by": "frank",
            "recorded_by": "fiona",
            "release_note": "checked",
        }
        assert json.loads(release.before_json)["match_status"] == "held"


async def test_a_bill_no_rate_converts_needs_a_second_person_until_finance_sets_one(
    start_billing: Start,
) -> None:
    async with start_billing(bill_dual_control_above="100") as service:
        unknown = await a_bill_of(service, "USD", "10.00")  # 100 USD: worth how many EUR?
        assert (unknown.match_status, unknown.dual_control) == ("held", True)
        await set_rate(service, "USD", "EUR", "0.9")
        known = await a_bill_of(service, "USD", "10.00")  # 90.00 EUR
        assert (known.match_status, known.dual_control) == ("matched", False)
        # only the other way round: 1 EUR = 2 GBP, so 100 GBP are 50 EUR
        await set_rate(service, "EUR", "GBP", "2")
        pounds = await a_bill_of(service, "GBP", "10.00")
        assert (pounds.match_status, pounds.dual_control) == ("matched", False)


async def test_finance_sets_rates_that_are_published_listed_in_pages_and_audited(
    service: Billing,
) -> None:
    stub = service.stub
    desk = as_user("olga", "order-desk")
    setting = pb.SetExchangeRateRequest(
        base_currency="USD", quote_currency="EUR", rate="0.920000", effective_from="2026-01-01"
    )
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stub.SetExchangeRate(setting, metadata=desk)
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
    async with service.log() as log:
        first = (await stub.SetExchangeRate(setting, metadata=FINANCE)).rate
        ((envelope, published),) = await log.wait_for("USD/EUR")
        assert published == events.ExchangeRateSet(
            base_currency="USD", quote_currency="EUR", rate="0.92", effective_from="2026-01-01"
        )
        assert envelope.actor.subject == "fiona"
        # the same rate again changes nothing and tells no one
        assert (await stub.SetExchangeRate(setting, metadata=FINANCE)).rate == first
        setting.rate = "0.93"
        changed = (await stub.SetExchangeRate(setting, metadata=FINANCE)).rate
        (_, (_, republished)) = await log.wait_for("USD/EUR", count=2)
        assert isinstance(republished, events.ExchangeRateSet)
        assert republished.rate == "0.93"
        with pytest.raises(AssertionError):
            await log.wait_for("USD/EUR", count=3, seconds=2)
    assert (first.rate, first.set_by, changed.rate) == ("0.92", "fiona", "0.93")
    later, earlier = await service.changes("exchange_rate", "USD/EUR")
    assert (earlier.before_json, json.loads(earlier.after_json)) == (
        "",
        {"rate": "0.92", "effective_from": "2026-01-01"},
    )
    assert (json.loads(later.before_json)["rate"], json.loads(later.after_json)["rate"]) == (
        "0.92",
        "0.93",
    )

    await set_rate(service, "USD", "EUR", "0.95", "2026-02-01")
    await set_rate(service, "GBP", "EUR", "1.17", "2026-01-15")
    page = await stub.ListExchangeRates(pb.ListExchangeRatesRequest(page_size=2), metadata=desk)
    assert [(r.base_currency, r.effective_from) for r in page.rates] == [
        ("USD", "2026-02-01"),
        ("GBP", "2026-01-15"),
    ]
    rest = await stub.ListExchangeRates(
        pb.ListExchangeRatesRequest(page_size=2, page_token=page.next_page_token)
    )
    assert ([(r.base_currency, r.rate) for r in rest.rates], rest.next_page_token) == (
        [("USD", "0.93")],
        "",
    )
    pair = await stub.ListExchangeRates(pb.ListExchangeRatesRequest(base_currency="GBP"))
    assert [r.rate for r in pair.rates] == ["1.17"]


async def test_bad_rates_are_refused_by_field(service: Billing) -> None:
    stub = service.stub

    def setting(base: str, quote: str, rate: str, day: str = "") -> pb.SetExchangeRateRequest:
        return pb.SetExchangeRateRequest(
            base_currency=base, quote_currency=quote, rate=rate, effective_from=day
        )

    assert await refused(stub.SetExchangeRate(setting("XXX", "EUR", "0", "soon"))) == {
        "base_currency": "unknown currency 'XXX' (ISO 4217 code expected)",
        "rate": "must be more than zero",
        "effective_from": "a date as YYYY-MM-DD",
    }
    assert await refused(stub.SetExchangeRate(setting("EUR", "EUR", "1" + "0" * 39))) == {
        "quote_currency": "must differ from base_currency",
        "rate": "at most 12 digits before the point",
    }
    assert await refused(stub.ListExchangeRates(pb.ListExchangeRatesRequest(page_size=201))) == {
        "page_size": "between 1 and 200"
    }
    assert await refused(
        stub.ListExchangeRates(pb.ListExchangeRatesRequest(page_token="bm9wZQ=="))
    ) == {"page_token": "not a token this API issued"}
    assert not (await stub.ListExchangeRates(pb.ListExchangeRatesRequest())).rates
