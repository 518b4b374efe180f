"""A quote's bounds without I/O: oversized amounts, quantities, counts and texts are field errors
naming the field, and no figure a quote comes to is larger than money is stored as."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.quoting.v1 import quoting_pb2 as pb
from pricing.document import Discount, PricingPolicy, ShippingCharge, TaxRate
from pricing.money import LARGEST_AMOUNT, storable
from quoting.domain.build import build
from quoting.domain.catalog import CatalogItem, KitComponent, ResolvedPrice
from quoting.domain.content import GroupInput, LineInput, QuoteContent, check
from quoting.domain.limits import MAX_LINES
from quoting.domain.model import Status
from servicekit.errors import InvalidArgument
from services.quoting.tests.builders import TODAY, a_quote, content, free_text

LINE = "groups[0].lines[0]"


def refused_fields(wanted: QuoteContent) -> list[str]:
    with pytest.raises(InvalidArgument) as refused:
        check(wanted, TODAY)
    return [v.field for v in refused.value.violations]


@pytest.mark.parametrize(
    "amount",
    ["1" * 40, "1000000000000", "0.1234567", "1e3", "NaN", "-0.5"],
    ids=["40 digits", "10^12", "7 decimals", "exponent", "nan", "negative"],
)
def test_a_price_money_cannot_keep_is_refused_naming_it(amount: str) -> None:
    assert refused_fields(content(free_text(amount))) == [f"{LINE}.unit_price.amount"]


def test_the_largest_price_money_keeps_is_taken() -> None:
    check(content(free_text(str(LARGEST_AMOUNT))), TODAY)


@pytest.mark.parametrize("quantity", [0, -1, 1_000_001, 2**62])
def test_a_quantity_out_of_range_is_refused(quantity: int) -> None:
    assert refused_fields(content(free_text(quantity=quantity))) == [f"{LINE}.quantity"]


def test_the_line_limit_is_the_contracts_one_number() -> None:
    assert MAX_LINES == pb.QUOTE_LIMIT_MAX_LINES == 1000
    check(content(*[free_text()] * MAX_LINES), TODAY)
    assert refused_fields(content(*[free_text()] * (MAX_LINES + 1))) == ["groups"]


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("customer_group", 100),
        ("salesperson", 200),
        ("payment_terms", 500),
        ("terms_and_conditions", 20_000),
        ("notes", 5_000),
    ],
)
def test_a_text_longer_than_its_limit_is_refused(field: str, limit: int) -> None:
    check(content(free_text(), **{field: "x" * limit}), TODAY)
    assert refused_fields(content(free_text(), **{field: "x" * (limit + 1)})) == [field]


def test_texts_counts_and_amounts_inside_groups_and_shipping_are_named() -> None:
    line = free_text(
        sku="S" * 65,
        discount=Discount(amount="1" * 13),
        taxes=(TaxRate("T" * 33, "0.1"),),
    )
    line = replace(line, description="d" * 2001)
    group = GroupInput("g" * 201, (line,), taxes=(TaxRate("VAT", "0.1"),) * 21)
    wanted = replace(
        content(),
        groups=(group,),
        shipping=(ShippingCharge("s" * 501, "1" * 40),),
    )
    assert refused_fields(wanted) == [
        "groups[0].name",
        "groups[0].taxes",
        f"{LINE}.sku",
        f"{LINE}.description",
        f"{LINE}.discount.amount",
        f"{LINE}.taxes[0].code",
        "shipping[0].description",
        "shipping[0].amount",
    ]


def test_too_many_groups_and_shipping_charges_are_refused() -> None:
    wanted = content(free_text())
    wanted = replace(
        wanted,
        groups=(*wanted.groups, *[GroupInput("empty")] * MAX_LINES),
        shipping=(ShippingCharge("x", "1"),) * 101,
    )
    assert refused_fields(wanted) == ["groups", "shipping"]


def test_a_total_over_what_money_is_stored_as_is_refused() -> None:
    price = str(LARGEST_AMOUNT)
    wanted = content(free_text(price, 1_000_000), free_text(price, 1_000_000))
    check(wanted, TODAY)  # each line on its own is fine
    with pytest.raises(InvalidArgument) as refused:
        build(wanted, {}, {})
    assert [v.field for v in refused.value.violations] == ["groups"]


def test_a_kit_whose_components_would_exceed_the_quantity_limit_names_the_line() -> None:
    kit = CatalogItem(
        "p-k", "K-1", "Pallet", "kit", True, (KitComponent("p-b", "B-1", 1000),), "components"
    )
    prices = {("p-b", 1000): ResolvedPrice(Decimal("0.10"), "list price")}
    wanted = content(LineInput(sku="K-1", quantity=1_001))
    with pytest.raises(InvalidArgument) as refused:
        build(wanted, {"K-1": kit}, prices)
    assert [v.field for v in refused.value.violations] == [f"{LINE}.quantity"]


def test_a_rejection_reason_longer_than_kept_is_refused() -> None:
    quote = a_quote(Status.SENT)
    with pytest.raises(InvalidArgument) as refused:
        quote.reject("r" * 2001)
    assert [v.field for v in refused.value.violations] == ["reason"]
    assert quote.status is Status.SENT


amounts = st.decimals(min_value=0, max_value=LARGEST_AMOUNT, places=6).map(str)


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(st.tuples(amounts, st.integers(1, 1_000_000)), min_size=1, max_size=8),
    shipping=st.lists(amounts, max_size=3),
    rate=st.decimals(min_value=0, max_value="9.99", places=2).map(str),
    discount=st.decimals(min_value=0, max_value=100, places=2).map(str),
    per_document=st.booleans(),
    inclusive=st.booleans(),
)
def test_a_quote_within_the_bounds_is_priced_to_storable_figures_or_refused_on_groups(
    lines: list[tuple[str, int]],
    shipping: list[str],
    rate: str,
    discount: str,
    per_document: bool,
    inclusive: bool,
) -> None:
    tax = (TaxRate("T", rate),)
    wanted = content(*[free_text(price, quantity, taxes=tax) for price, quantity in lines])
    wanted = replace(
        wanted,
        groups=(replace(wanted.groups[0], discount=Discount(percent=discount)),),
        shipping=tuple(ShippingCharge("s", a) for a in shipping),
        policy=PricingPolicy(
            rounding_mode="per_document" if per_document else "per_line",
            prices_include_tax=inclusive,
        ),
    )
    check(wanted, TODAY)
    try:
        document = build(wanted, {}, {})
    except InvalidArgument as refused:
        fields = [v.field for v in refused.violations]
    else:
        figures = document.breakdown
        amounts = (figures.subtotal, figures.net, figures.shipping, figures.total)
        fields = [] if all(storable(x) for x in amounts) else ["unstorable"]
    assert fields in ([], ["groups"])
