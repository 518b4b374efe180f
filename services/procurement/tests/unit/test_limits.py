"""Every input is held to what its column keeps: amounts a NUMERIC(18, 6) holds, quantities up to
a million, texts within their columns, totals that fit; each fault names its field."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing.document import Discount, ShippingCharge
from pricing.money import LARGEST_AMOUNT, storable
from procurement.domain.contracts import ContractInput, ContractPriceInput, new_contract
from procurement.domain.limits import EnteredMoney
from procurement.domain.order_content import (
    GroupInput,
    LineInput,
    OrderContent,
    build,
    check,
    with_defaults,
)
from procurement.domain.reorder import RuleInput, new_rule
from procurement.domain.rfq_content import RfqInput, RfqLineInput, new_rfq
from procurement.domain.rfqs import ProposalInput, ProposalLineInput
from procurement.domain.suppliers import Contact, Supplier, new_supplier
from servicekit.bounds import MAX_QUANTITY
from servicekit.errors import InvalidArgument

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
ACME = Supplier("s-1", "Acme", "", "EUR", NOW, "pat")
TOO_BIG = "1000000000000"  # 13 digits before the point
LONG = "x" * 65


def eur(amount: str) -> EnteredMoney:
    return EnteredMoney(amount, "EUR")


def faults(error: pytest.ExceptionInfo[InvalidArgument]) -> list[str]:
    return [v.field for v in error.value.violations]


def order(*lines: LineInput, **content: object) -> OrderContent:
    entered = OrderContent(
        supplier_id="s-1",
        warehouse_id="w-1",
        groups=(GroupInput(lines=lines),),
        **content,  # type: ignore[arg-type]
    )
    return with_defaults(entered, ACME, TODAY)


def test_a_purchase_order_line_is_bounded_field_by_field() -> None:
    line = LineInput(
        product_id=LONG,
        sku=LONG,
        description="d" * 2001,
        quantity=MAX_QUANTITY + 1,
        unit_price=eur(TOO_BIG),
        discount=Discount(amount="1e3"),
    )
    with pytest.raises(InvalidArgument) as error:
        check(order(line), ACME, TODAY)
    at = "groups[0].lines[0]"
    assert faults(error) == [
        f"{at}.product_id",
        f"{at}.sku",
        f"{at}.description",
        f"{at}.quantity",
        f"{at}.discount.amount",
        f"{at}.unit_price.amount",
    ]


def test_discounts_and_shipping_hold_storable_amounts_and_texts_fit_their_columns() -> None:
    content = order(
        LineInput(product_id="p-1", quantity=1, unit_price=eur("1")),
        shipping=(ShippingCharge(description="Freight", amount="1" + "0" * 39),),
        payment_terms="t" * 501,
        notes="n" * 5001,
    )
    group = replace(content.groups[0], discount=Discount(amount=TOO_BIG), name="g" * 201)
    content = replace(content, groups=(group,))
    with pytest.raises(InvalidArgument) as error:
        check(content, ACME, TODAY)
    assert faults(error) == [
        "payment_terms",
        "notes",
        "groups[0].name",
        "groups[0].discount.amount",
        "shipping[0].amount",
    ]


def test_a_total_no_money_column_can_keep_is_refused_on_groups() -> None:
    price = str(LARGEST_AMOUNT)
    content = order(LineInput(product_id="p-1", quantity=10, unit_price=eur(price)))
    check(content, ACME, TODAY)
    with pytest.raises(InvalidArgument) as error:
        build(content, {})
    assert faults(error) == ["groups"]


@given(
    quantities=st.lists(st.integers(1, MAX_QUANTITY), min_size=1, max_size=5),
    price=st.decimals(0, LARGEST_AMOUNT, places=6),
)
def test_bounded_lines_price_to_a_storable_total_or_name_the_groups(
    quantities: list[int], price: Decimal
) -> None:
    lines = [
        LineInput(product_id=f"p-{i}", quantity=q, unit_price=eur(str(price)))
        for i, q in enumerate(quantities)
    ]
    content = order(*lines)
    check(content, ACME, TODAY)
    # per line, half up, no taxes: the sum of each line's rounded net
    cent = Decimal("0.01")
    total = sum((Decimal(q) * price).quantize(cent, ROUND_HALF_UP) for q in quantities)
    if storable(total):
        assert Decimal(build(content, {}).breakdown.total) == total
    else:
        with pytest.raises(InvalidArgument) as error:
            build(content, {})
        assert faults(error) == ["groups"]


def test_rfq_lines_are_bounded_and_a_proposal_keeps_storable_prices_and_short_terms() -> None:
    request = RfqInput(
        title="t" * 201,
        currency="EUR",
        warehouse_id="w-1",
        supplier_ids=("s-1",),
        lines=(
            RfqLineInput(product_id=LONG, sku=LONG, quantity=MAX_QUANTITY + 1),
            RfqLineInput(product_id="p-2", description="d" * 2001, quantity=1),
        ),
    )
    with pytest.raises(InvalidArgument) as error:
        new_rfq(request, NOW + timedelta(days=1), {"s-1"}, NOW, "pat")
    assert faults(error) == [
        "title",
        "lines[0].product_id",
        "lines[0].sku",
        "lines[0].quantity",
        "lines[1].description",
    ]
    request = RfqInput(
        title="",
        currency="EUR",
        warehouse_id="w-1",
        supplier_ids=("s-1",),
        lines=(RfqLineInput(product_id="p-1", quantity=MAX_QUANTITY),),
    )
    rfq = new_rfq(request, NOW + timedelta(days=1), {"s-1"}, NOW, "pat")
    proposal = ProposalInput(
        supplier_id="s-1",
        lines=(ProposalLineInput(product_id="p-1", unit_price=eur(TOO_BIG)),),
        terms="t" * 501,
        valid_until="2026-04-01",
    )
    with pytest.raises(InvalidArgument) as error:
        rfq.record(proposal, NOW, "pat")
    assert faults(error) == ["lines[0].unit_price.amount", "terms"]
    # A million units at a storable price: the proposal's total would not be.
    line = ProposalLineInput(product_id="p-1", unit_price=eur("999999999999"))
    proposal = replace(proposal, lines=(line,), terms="")
    with pytest.raises(InvalidArgument) as error:
        rfq.record(proposal, NOW, "pat")
    assert faults(error) == ["lines"]
    assert not rfq.proposals


def test_contract_prices_rules_and_suppliers_are_bounded() -> None:
    contract = ContractInput(
        supplier_id="s-1",
        reference="Frame",
        valid_from="2026-01-01",
        valid_to="2026-12-31",
        prices=(ContractPriceInput(product_id=LONG, sku=LONG, unit_price=eur(TOO_BIG)),),
    )
    with pytest.raises(InvalidArgument) as error:
        new_contract(contract, ACME, NOW, "pat")
    assert faults(error) == [
        "prices[0].product_id",
        "prices[0].sku",
        "prices[0].unit_price.amount",
    ]
    rule = RuleInput(
        product_id="p-1",
        warehouse_id="w-1",
        sku=LONG,
        minimum=0,
        maximum=MAX_QUANTITY + 1,
        supplier_id="s-1",
        unit_price=eur(TOO_BIG),
    )
    with pytest.raises(InvalidArgument) as error:
        new_rule(rule, ACME, NOW, "pat")
    assert faults(error) == ["sku", "maximum", "unit_price.amount"]
    email = "a" * 311 + "@acme.test"  # 321 characters
    with pytest.raises(InvalidArgument) as error:
        new_supplier("Acme", email, "EUR", NOW, "pat", contacts=[Contact("Ann", email)])
    assert faults(error) == ["email", "contacts[0].email"]
