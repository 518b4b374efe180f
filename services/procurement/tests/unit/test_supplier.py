from datetime import UTC, datetime

import pytest

from procurement.domain.events import SupplierCreated
from procurement.domain.suppliers import Contact, SupplierChange, changed_supplier, new_supplier
from servicekit.errors import InvalidArgument

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_supplier_needs_a_name_a_plausible_email_and_a_known_currency() -> None:
    with pytest.raises(InvalidArgument) as error:
        new_supplier(" ", "not-an-email", "EURO", datetime.now(UTC), "pat")
    assert [v.field for v in error.value.violations] == ["name", "currency", "email"]


def test_a_valid_supplier_is_trimmed_and_announced() -> None:
    supplier, events = new_supplier(" Acme ", "buy@acme.test", "EUR", datetime.now(UTC), "pat")
    assert (supplier.name, supplier.created_by, supplier.rating) == ("Acme", "pat", 0)
    assert events == [SupplierCreated(supplier.id, "Acme", "EUR")]


def test_contacts_terms_and_rating_are_checked_field_by_field() -> None:
    with pytest.raises(InvalidArgument) as error:
        new_supplier(
            "Acme",
            "",
            "EUR",
            NOW,
            "pat",
            contacts=[Contact("Ann", "ann@acme.test"), Contact(" ", "nope")],
            rating=6,
        )
    assert [v.field for v in error.value.violations] == [
        "contacts[1].name",
        "contacts[1].email",
        "rating",
    ]


def test_a_supplier_changes_its_details_but_not_its_name_or_currency() -> None:
    supplier, _ = new_supplier("Acme", "", "EUR", NOW, "pat")
    changed = changed_supplier(
        supplier,
        SupplierChange("buy@acme.test", (Contact(" Ann ", role="sales"),), "30 days net", 4),
        NOW,
    )
    assert (changed.name, changed.currency, changed.rating) == ("Acme", "EUR", 4)
    assert changed.contacts == (Contact("Ann", "", "", "sales"),)
    assert changed.payment_terms == "30 days net"
    with pytest.raises(InvalidArgument) as error:
        changed_supplier(supplier, SupplierChange("", rating=-1), NOW)
    assert [v.field for v in error.value.violations] == ["rating"]
