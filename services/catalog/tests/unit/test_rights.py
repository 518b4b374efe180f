"""Who reads which figures of a product: costs for purchasing, finance, admin and the suite's
services; prices for everyone but the warehouse."""

from datetime import UTC, datetime

import pytest

from catalog.domain.product_changes import create_product
from catalog.domain.products import NewProduct, NewSupplier
from catalog.domain.rights import Visibility, visibility
from catalog.entrypoints.messages import product_to_proto
from servicekit.context import Principal


@pytest.mark.parametrize(
    ("roles", "prices", "costs"),
    [
        (("purchasing",), True, True),
        (("finance",), True, True),
        (("admin",), True, True),
        (("service",), True, True),  # a suite service on its own account (orders' estimates)
        (("sales",), True, False),
        (("sales-manager",), True, False),
        (("order-desk",), True, False),
        (("client",), True, False),  # an internal client with catalog:read
        (("warehouse",), False, False),
        (("warehouse", "sales"), True, False),
        (("warehouse", "purchasing"), True, True),
    ],
)
def test_each_caller_sees_the_figures_its_roles_allow(
    roles: tuple[str, ...], prices: bool, costs: bool
) -> None:
    assert visibility(Principal("pat", roles)) == Visibility(prices=prices, costs=costs)


def test_a_product_written_for_a_reader_leaves_out_and_names_what_it_may_not_see() -> None:
    product, _ = create_product(
        NewProduct(
            "SKU-1",
            "Widget",
            "",
            "12.50",
            "EUR",
            cost="4.5",
            suppliers=[NewSupplier("S-1", "A-9", "4.20", "EUR", 10, 3)],
        ),
        datetime.now(UTC),
        "pat",
    )
    full = product_to_proto(product, Visibility(prices=True, costs=True))
    assert (full.list_price.amount, full.cost, full.suppliers[0].cost) == ("12.50", "4.50", "4.20")
    assert list(full.withheld) == []

    sales = product_to_proto(product, Visibility(prices=True, costs=False))
    assert (sales.list_price.amount, sales.cost, sales.suppliers[0].cost) == ("12.50", "", "")
    assert sales.suppliers[0].minimum_order_quantity == 10  # what to order stays readable
    assert list(sales.withheld) == ["cost", "suppliers.cost"]

    warehouse = product_to_proto(product, Visibility(prices=False, costs=False))
    assert not warehouse.HasField("list_price")
    assert list(warehouse.withheld) == ["list_price", "cost", "suppliers.cost"]
