"""What the change log keeps of a product: amounts as text with their currency, and for a change
only the fields it changed."""

from datetime import UTC, datetime

from catalog.application.records import product_record
from catalog.domain.product_changes import change_price, create_product, set_suppliers
from catalog.domain.products import NewProduct, NewSupplier
from servicekit.changes import changed


def test_a_list_price_change_keeps_only_the_old_and_new_price() -> None:
    product, _ = create_product(
        NewProduct("SKU-1", "Widget", "", "12.5", "EUR", cost="4.5"), datetime.now(UTC), "pat"
    )
    record = product_record(product)
    assert (record["list_price"], record["cost"]) == ("12.50 EUR", "4.50 EUR")
    repriced, _ = change_price(product, "13", "EUR")
    assert changed(record, product_record(repriced)) == (
        {"list_price": "12.50 EUR"},
        {"list_price": "13.00 EUR"},
    )


def test_a_supplier_change_keeps_the_suppliers_before_and_after() -> None:
    product, _ = create_product(
        NewProduct("SKU-1", "Widget", "", "12.50", "EUR"), datetime.now(UTC), "pat"
    )
    supplied = set_suppliers(product, [NewSupplier("S-1", "A-9", "4.2", "USD", 10, 3)])
    before, after = changed(product_record(product), product_record(supplied))
    assert before == {"suppliers": []}
    assert after == {
        "suppliers": [
            {
                "supplier_id": "S-1",
                "supplier_sku": "A-9",
                "cost": "4.20 USD",
                "minimum_order_quantity": 10,
                "lead_time_days": 3,
            }
        ]
    }
