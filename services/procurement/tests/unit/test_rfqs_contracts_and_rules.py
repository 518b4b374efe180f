"""RFQs (proposals until the deadline, comparison, award), contract prices and reorder
quantities."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing.wire import document_to_proto
from procurement.domain.contracts import (
    ContractInput,
    ContractPriceInput,
    SupplierContract,
    agreed_prices,
    new_contract,
)
from procurement.domain.limits import EnteredMoney
from procurement.domain.reorder import RuleInput, new_rule
from procurement.domain.rfq_content import RfqInput, RfqLineInput, new_rfq
from procurement.domain.rfqs import ProposalInput, ProposalLineInput, Rfq, RfqStatus
from procurement.domain.suppliers import Supplier
from servicekit.errors import FailedPrecondition, InvalidArgument

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
DEADLINE = NOW + timedelta(days=7)
ACME = Supplier("s-1", "Acme", "", "EUR", NOW, "pat")


def eur(amount: str) -> EnteredMoney:
    return EnteredMoney(amount, "EUR")


def rfq() -> Rfq:
    request = RfqInput(
        title="Spring restock",
        currency="EUR",
        warehouse_id="w-1",
        supplier_ids=("s-1", "s-2", "s-3"),
        lines=(
            RfqLineInput(product_id="p-1", sku="BOLT", quantity=100),
            RfqLineInput(product_id="p-2", sku="NUT", quantity=50, needed_by="2026-04-01"),
        ),
    )
    return new_rfq(request, DEADLINE, {"s-1", "s-2", "s-3"}, NOW, "pat")


def proposal(
    supplier: str, bolt: str, nut: str, lead: int = 5, valid: str = "2026-04-30"
) -> ProposalInput:
    return ProposalInput(
        supplier_id=supplier,
        lines=(
            ProposalLineInput(product_id="p-1", unit_price=eur(bolt)),
            ProposalLineInput(product_id="p-2", unit_price=eur(nut)),
        ),
        lead_time_days=lead,
        terms="30 days net",
        valid_until=valid,
    )


def test_an_rfq_names_every_field_at_fault() -> None:
    request = RfqInput(
        title="",
        currency="EURO",
        warehouse_id="",
        supplier_ids=("s-1", "s-1", "s-9"),
        lines=(RfqLineInput(product_id="p-1", quantity=0, needed_by="soon"),),
    )
    with pytest.raises(InvalidArgument) as error:
        new_rfq(request, NOW - timedelta(seconds=1), {"s-1"}, NOW, "pat")
    assert [v.field for v in error.value.violations] == [
        "currency",
        "warehouse_id",
        "deadline",
        "supplier_ids[1]",
        "supplier_ids[2]",
        "lines[0].quantity",
        "lines[0].needed_by",
    ]


def test_proposals_are_recorded_until_the_deadline_and_only_from_suppliers_asked() -> None:
    request = rfq()
    request.record(proposal("s-1", "0.10", "0.05"), NOW, "pat")
    request.record(proposal("s-1", "0.09", "0.05"), NOW, "pat")  # replaces the first
    assert request.proposals["s-1"].prices["p-1"] == Decimal("0.09")
    with pytest.raises(InvalidArgument) as stranger:
        request.record(proposal("s-9", "0.10", "0.05"), NOW, "pat")
    assert [v.field for v in stranger.value.violations] == ["supplier_id"]
    with pytest.raises(FailedPrecondition) as late:
        request.record(proposal("s-2", "0.10", "0.05"), DEADLINE + timedelta(seconds=1), "pat")
    assert [v.field for v in late.value.violations] == ["deadline"]


def test_a_proposal_prices_every_line_in_the_rfqs_currency() -> None:
    partial = ProposalInput(
        supplier_id="s-2",
        lines=(ProposalLineInput(product_id="p-1", unit_price=EnteredMoney("1", "USD")),),
        lead_time_days=-1,
        valid_until="2026-03-01",
    )
    with pytest.raises(InvalidArgument) as error:
        rfq().record(partial, NOW, "pat")
    assert [v.field for v in error.value.violations] == [
        "lines[0].unit_price.currency",
        "lines",
        "lead_time_days",
        "valid_until",
    ]


def test_proposals_side_by_side_cheapest_first_and_expired_ones_last() -> None:
    request = rfq()
    request.record(proposal("s-1", "0.10", "0.05", lead=10), NOW, "pat")  # 12.50
    request.record(proposal("s-2", "0.09", "0.07", lead=3), NOW, "pat")  # 12.50, sooner
    request.record(proposal("s-3", "0.01", "0.01", valid="2026-03-02"), NOW, "pat")  # 1.50
    offers = request.offers(TODAY + timedelta(days=1))
    assert [(o.proposal.supplier_id, str(o.total), o.cheapest, o.expired) for o in offers] == [
        ("s-2", "12.50", True, False),
        ("s-1", "12.50", False, False),
        ("s-3", "1.50", False, True),
    ]
    assert request.pending_supplier_ids == []
    assert [x.unit_price for x in offers[0].document.groups[0].lines] == ["0.09", "0.07"]


def test_awarding_makes_the_purchase_order_content_from_the_proposal() -> None:
    request = rfq()
    request.record(proposal("s-1", "0.10", "0.05", lead=10), NOW, "pat")
    chosen = request.award("s-1", TODAY)
    assert (request.status, request.awarded_supplier_id) == (RfqStatus.AWARDED, "s-1")
    content = request.order_content(chosen, "60 days", TODAY)
    assert (content.warehouse_id, content.currency, content.payment_terms) == (
        "w-1",
        "EUR",
        "30 days net",
    )
    assert content.expected_on == (TODAY + timedelta(days=10)).isoformat()
    document = request.order_document(chosen)
    assert document_to_proto(document).breakdown.total == "12.50"
    assert {x.line_id for x in document.groups[0].lines}.isdisjoint(
        {x.line_id for x in request.lines}
    )
    with pytest.raises(FailedPrecondition) as twice:
        request.award("s-1", TODAY)
    assert [v.field for v in twice.value.violations] == ["status"]


def test_an_expired_or_missing_proposal_cannot_be_awarded() -> None:
    request = rfq()
    request.record(proposal("s-1", "0.10", "0.05", valid="2026-03-03"), NOW, "pat")
    with pytest.raises(FailedPrecondition) as expired:
        request.award("s-1", date(2026, 3, 4))
    assert [v.field for v in expired.value.violations] == ["valid_until"]
    with pytest.raises(InvalidArgument) as missing:
        request.award("s-2", TODAY)
    assert [v.field for v in missing.value.violations] == ["supplier_id"]
    assert request.status == RfqStatus.OPEN


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=3))
def test_the_cheapest_is_the_lowest_engine_total(prices: list[tuple[int, int]]) -> None:
    request = rfq()
    for n, (bolt, nut) in enumerate(prices):
        cents = (str(Decimal(bolt) / 100), str(Decimal(nut) / 100))
        request.record(proposal(f"s-{n + 1}", *cents), NOW, "pat")
    offers = request.offers(TODAY)
    totals = [Decimal(100 * b + 50 * n) / 100 for b, n in prices]
    cheapest = [o for o in offers if o.cheapest]
    assert len(cheapest) == 1
    assert cheapest[0].total == min(totals)
    assert sorted(o.total for o in offers) == sorted(totals)


def test_a_contract_names_every_field_at_fault() -> None:
    request = ContractInput(
        supplier_id="s-1",
        reference="",
        valid_from="2026-12-31",
        valid_to="2026-01-01",
        prices=(
            ContractPriceInput(product_id="p-1", unit_price=eur("1.00")),
            ContractPriceInput(product_id="p-1", unit_price=EnteredMoney("x", "USD")),
        ),
    )
    with pytest.raises(InvalidArgument) as error:
        new_contract(request, ACME, NOW, "pat")
    assert [v.field for v in error.value.violations] == [
        "reference",
        "valid_to",
        "prices[1].product_id",
        "prices[1].unit_price.amount",
        "prices[1].unit_price.currency",
    ]


def test_the_contract_covering_the_day_prices_a_product_the_latest_started_winning() -> None:
    def contract(reference: str, start: str, end: str, price: str) -> SupplierContract:
        request = ContractInput(
            supplier_id="s-1",
            reference=reference,
            valid_from=start,
            valid_to=end,
            prices=(ContractPriceInput(product_id="p-1", unit_price=eur(price)),),
        )
        return new_contract(request, ACME, NOW, "pat")

    year = contract("Frame", "2026-01-01", "2026-12-31", "9.00")
    spring = contract("Spring", "2026-03-01", "2026-05-31", "8.00")
    assert agreed_prices([spring, year], "EUR", date(2026, 2, 1))["p-1"].unit_price == 9
    found = agreed_prices([spring, year], "EUR", date(2026, 3, 1))["p-1"]
    assert (found.unit_price, found.rule) == (8, "contract 'Spring' (2026-03-01 to 2026-05-31)")
    assert agreed_prices([spring, year], "USD", date(2026, 3, 1)) == {}
    assert agreed_prices([spring, year], "EUR", date(2027, 1, 1)) == {}


def rule(minimum: int = 10, maximum: int = 50) -> RuleInput:
    return RuleInput(
        product_id="p-1",
        warehouse_id="w-1",
        minimum=minimum,
        maximum=maximum,
        supplier_id="s-1",
        unit_price=eur("2.50"),
    )


def test_a_reorder_rule_names_every_field_at_fault() -> None:
    bad = replace(
        rule(minimum=-1, maximum=-5), unit_price=EnteredMoney("2.50", "USD"), warehouse_id=""
    )
    with pytest.raises(InvalidArgument) as error:
        new_rule(bad, ACME, NOW, "pat")
    assert [v.field for v in error.value.violations] == [
        "warehouse_id",
        "minimum",
        "maximum",
        "unit_price.currency",
    ]
    with pytest.raises(InvalidArgument) as unknown:
        new_rule(rule(), None, NOW, "pat")
    assert [v.field for v in unknown.value.violations] == ["supplier_id"]


@given(
    minimum=st.integers(0, 1000),
    spread=st.integers(1, 1000),
    available=st.integers(-500, 2500),
)
def test_a_reorder_tops_stock_up_to_the_maximum_once_at_or_below_the_minimum(
    minimum: int, spread: int, available: int
) -> None:
    found = new_rule(rule(minimum, minimum + spread), ACME, NOW, "pat")
    quantity = found.quantity_for(available)
    if available <= minimum:
        assert available + quantity == found.maximum
        assert quantity > 0
    else:
        assert quantity == 0
    assert found.lead_time_days == 14
