from datetime import UTC, datetime
from decimal import Decimal

import pytest

from catalog.adapters.events import to_message
from catalog.adapters.products import text_query
from catalog.domain.categories import new_category
from catalog.domain.product_changes import (
    ProductEdit,
    change_details,
    change_price,
    create_product,
    discontinue,
)
from catalog.domain.products import NewProduct
from catalog.domain.search import search_criteria
from servicekit.errors import FailedPrecondition, InvalidArgument


def test_a_product_is_validated_field_by_field() -> None:
    request = NewProduct("", "", "", "-1", "EUR", attributes={"": "x"})
    with pytest.raises(InvalidArgument) as error:
        create_product(request, datetime.now(UTC), "pat")
    assert [v.field for v in error.value.violations] == [
        "sku",
        "name",
        "list_price.amount",
        "attributes.",
    ]


def test_a_new_product_announces_itself() -> None:
    request = NewProduct("SKU-1", " Blue widget ", "", "12.50", "EUR", "c1", {"colour": "blue"})
    product, event = create_product(request, datetime.now(UTC), "pat")
    assert (product.name, product.category_id, product.attributes) == (
        "Blue widget",
        "c1",
        {"colour": "blue"},
    )
    announced = to_message(event)  # as the outbox sends it
    assert (announced.sku, announced.list_price.amount) == ("SKU-1", "12.50")


def test_a_child_categorys_path_extends_its_parents() -> None:
    root = new_category("Tools", None)
    child = new_category("Drills", root)
    assert child.path.startswith(root.path)
    assert child.parent_id == root.id
    assert root.path == f"/{root.id}/"


def test_the_text_query_needs_every_word_and_lets_the_last_be_a_prefix() -> None:
    assert text_query("Blue  wid") == "blue & wid:*"
    assert text_query("it's 10% OFF!") == "it & s & 10 & off:*"
    assert text_query("&|!():*") == ""


def test_search_bounds_are_decimals_and_must_be_in_order() -> None:
    search = search_criteria("", "", "", {}, "10", "20.50")
    assert (search.min_price, search.max_price) == (Decimal(10), Decimal("20.50"))
    with pytest.raises(InvalidArgument) as error:
        search_criteria("", "", "", {}, "30", "abc")
    assert [v.field for v in error.value.violations] == ["max_price"]
    with pytest.raises(InvalidArgument):
        search_criteria("", "", "", {}, "30", "20")


def a_product():  # type: ignore[no-untyped-def]
    product, _ = create_product(
        NewProduct("SKU-1", "Widget", "", "12.50", "EUR"), datetime.now(UTC), "pat"
    )
    return product


def test_a_price_change_announces_old_and_new_and_keeps_the_currency() -> None:
    changed, event = change_price(a_product(), "13.00", "EUR")
    announced = to_message(event)
    assert (announced.old_price.amount, announced.new_price.amount) == ("12.50", "13.00")
    assert changed.list_price.amount == Decimal("13.00")
    with pytest.raises(InvalidArgument) as other_currency:
        change_price(a_product(), "13", "USD")
    assert other_currency.value.violations[0].field == "list_price.currency"


def test_a_discontinued_product_cannot_change_or_be_discontinued_again() -> None:
    gone, event = discontinue(a_product())
    assert (gone.active, event.sku) == (False, "SKU-1")
    for change in (
        lambda p: discontinue(p),
        lambda p: change_price(p, "1", "EUR"),
        lambda p: change_details(p, ProductEdit("x", "")),
    ):
        with pytest.raises(FailedPrecondition, match="discontinued"):
            change(gone)
