"""A quote's bounds without I/O: oversized amounts, quantities, counts and texts are field errors
naming the field, and no figure a quote comes to is larger than money is stored as."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from pricing.money import LARGEST_AMOUNT, storable
from quoting.domain.content import CatalogItem, KitComponent, ResolvedPrice, build, check
from quoting.domain.limits import MAX_LINES
from quoting.domain.model import Quote, Status
from servicekit.errors import InvalidArgument

TODAY = date(2026, 11, 25)
LINE = "groups[0].lines[0]"


def free_text(amount: str = "10", quantity: int = 1, **fields: object) -> pb.LineInput:
    return pb.LineInput(
        description="fee",
        quantity=quantity,
        unit_price=Money(amount=amount, currency="EUR"),
        **fields,  # type: ignore[arg-type]
    )


def content(*lines: pb.LineInput, **fields: object) -> pb.QuoteContent:
    values: dict[str, object] = {"customer_id": "C-1", "salesperson": "sam", "currency": "EUR"}
    return pb.QuoteContent(
        groups=[pb.GroupInput(name="Main", lines=lines)],
        **(values | fields),  # type: ignore[arg-type]
    )


def refused_fields(wanted: pb.QuoteContent) -> list[str]:
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
        discount=pricing.Discount(amount="1" * 13),
        taxes=[pricing.TaxRate(code="T" * 33, rate="0.1")],
    )
    line.description = "d" * 2001
    wanted = content(line)
    wanted.groups[0].name = "g" * 201
    wanted.groups[0].taxes.extend([pricing.TaxRate(code="VAT", rate="0.1")] * 21)
    wanted.shipping.append(pricing.ShippingCharge(description="s" * 501, amount="1" * 40))
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
    wanted.groups.extend([pb.GroupInput(name="empty")] * MAX_LINES)
    wanted.shipping.extend([pricing.ShippingCharge(description="x", amount="1")] * 101)
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
    wanted = content(pb.LineInput(sku="K-1", quantity=1_001))
    with pytest.raises(InvalidArgument) as refused:
        build(wanted, {"K-1": kit}, prices)
    assert [v.field for v in refused.value.violations] == [f"{LINE}.quantity"]


def test_a_rejection_reason_longer_than_kept_is_refused() -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    quote = Quote("q", 1, 1, Status.SENT, content(), pricing.PricedDocument(), now, "sam", now)
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
    tax = [pricing.TaxRate(code="T", rate=rate)]
    wanted = content(*[free_text(price, quantity, taxes=tax) for price, quantity in lines])
    wanted.groups[0].discount.percent = discount
    wanted.shipping.extend(pricing.ShippingCharge(description="s", amount=a) for a in shipping)
    wanted.policy.rounding_mode = "per_document" if per_document else "per_line"
    wanted.policy.prices_include_tax = inclusive
    check(wanted, TODAY)
    try:
        document = build(wanted, {}, {})
    except InvalidArgument as refused:
        fields = [v.field for v in refused.violations]
    else:
        figures = document.breakdown
        amounts = (figures.subtotal, figures.net, figures.shipping, figures.total)
        fields = [] if all(storable(Decimal(x)) for x in amounts) else ["unstorable"]
    assert fields in ([], ["groups"])
