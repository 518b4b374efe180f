from datetime import UTC, datetime
from decimal import Decimal

import pytest

from catalog.domain.model import (
    NewProduct,
    create_product,
    new_category,
    search_criteria,
    text_query,
)
from servicekit.errors import InvalidArgument


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
    assert (event.sku, event.list_price.amount) == ("SKU-1", "12.50")


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
