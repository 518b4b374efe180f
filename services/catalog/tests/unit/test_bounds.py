"""Input the catalog cannot keep is a field error, never a database error: amounts that do not
fit NUMERIC(18, 6), negative prices, texts longer than their columns, too many of anything."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.domain.price_lists import MAX_BREAKS, new_price_list
from catalog.domain.product_changes import ProductEdit, change_details, change_price, create_product
from catalog.domain.products import NewProduct, NewSupplier, Product
from pricing.money import storable
from servicekit.errors import InvalidArgument

TOO_BIG = "1000000000000"  # 10^12: one digit more than the money columns hold


def new(**fields: object) -> NewProduct:
    values: dict[str, object] = {
        "sku": "SKU-1",
        "name": "Widget",
        "description": "",
        "price_amount": "12.50",
        "price_currency": "EUR",
    }
    return NewProduct(**(values | fields))  # type: ignore[arg-type]


def violations(request: NewProduct) -> list[str]:
    with pytest.raises(InvalidArgument) as error:
        create_product(request, datetime.now(UTC), "pat")
    return [v.field for v in error.value.violations]


def a_product() -> Product:
    return create_product(new(), datetime.now(UTC), "pat")[0]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"price_amount": TOO_BIG}, "list_price.amount"),
        ({"price_amount": "1.1234567"}, "list_price.amount"),
        ({"price_amount": "-0.01"}, "list_price.amount"),
        ({"price_amount": "1e3"}, "list_price.amount"),
        ({"price_currency": "EURO"}, "list_price.currency"),
        ({"cost": TOO_BIG}, "cost"),
        ({"cost": "0.0000001"}, "cost"),
        ({"name": "x" * 201}, "name"),
        ({"description": "x" * 5001}, "description"),
        ({"attributes": {f"k{i}": "v" for i in range(51)}}, "attributes"),
        ({"attributes": {"colour": "x" * 201}}, "attributes.colour"),
        ({"pictures": [("https://img.example/a.png", "")] * 21}, "pictures"),
        ({"pictures": [("https://img.example/a.png", "x" * 501)]}, "pictures[0].alt_text"),
        ({"suppliers": [NewSupplier("S-1", "", TOO_BIG, "EUR")]}, "suppliers[0].cost"),
        ({"suppliers": [NewSupplier("S-1", "", "1.0000001", "EUR")]}, "suppliers[0].cost"),
        ({"suppliers": [NewSupplier(f"S-{i}", "", "1", "EUR") for i in range(51)]}, "suppliers"),
    ],
)
def test_a_new_product_out_of_bounds_names_the_field(fields: dict[str, object], field: str) -> None:
    assert violations(new(**fields)) == [field]


def test_a_kit_component_quantity_is_bounded() -> None:
    with pytest.raises(InvalidArgument) as error:
        create_product(new(kind="kit", components=[("p-1", 1_000_001)]), datetime.now(UTC), "pat")
    assert "components[0].quantity" in [v.field for v in error.value.violations]


@pytest.mark.parametrize(
    ("amount", "field"),
    [
        (TOO_BIG, "list_price.amount"),
        ("9.9999999", "list_price.amount"),
        ("-1", "list_price.amount"),
    ],
)
def test_a_list_price_change_out_of_bounds_names_the_field(amount: str, field: str) -> None:
    with pytest.raises(InvalidArgument) as error:
        change_price(a_product(), amount, "EUR")
    assert [v.field for v in error.value.violations] == [field]


def test_a_description_change_is_bounded_like_a_new_one() -> None:
    with pytest.raises(InvalidArgument) as error:
        change_details(a_product(), ProductEdit("Widget", "x" * 5001))
    assert [v.field for v in error.value.violations] == ["description"]


@given(st.integers(-(10**14), 10**14), st.integers(0, 9))
def test_a_list_price_is_kept_exactly_when_the_columns_hold_it(digits: int, scale: int) -> None:
    amount = Decimal(digits).scaleb(-scale)
    request = new(price_amount=format(amount, "f"))
    if storable(amount) and amount >= 0:
        product, _ = create_product(request, datetime.now(UTC), "pat")
        assert product.list_price.amount == amount
    else:
        assert violations(request) == ["list_price.amount"]


@pytest.mark.parametrize(
    ("name", "group", "breaks", "field"),
    [
        ("x" * 201, "", [("p", 1, "1")], "name"),
        ("Trade", "g" * 101, [("p", 1, "1")], "customer_group"),
        ("Trade", "", [("p", 1, TOO_BIG)], "breaks[0].unit_price"),
        ("Trade", "", [("p", 1, "0.1234567")], "breaks[0].unit_price"),
        ("Trade", "", [("p", 1_000_001, "1")], "breaks[0].min_quantity"),
        ("Trade", "", [(f"p{i}", 1, "1") for i in range(MAX_BREAKS + 1)], "breaks"),
    ],
)
def test_a_price_list_out_of_bounds_names_the_field(
    name: str, group: str, breaks: list[tuple[str, int, str]], field: str
) -> None:
    with pytest.raises(InvalidArgument) as error:
        new_price_list(name, "EUR", group, None, None, breaks)
    assert [v.field for v in error.value.violations] == [field]
