from datetime import UTC, datetime

import pytest

from procurement.domain.model import new_supplier
from servicekit.errors import InvalidArgument


def test_a_supplier_needs_a_name_a_plausible_email_and_a_known_currency() -> None:
    with pytest.raises(InvalidArgument) as error:
        new_supplier(" ", "not-an-email", "EURO", datetime.now(UTC), "pat")
    assert [v.field for v in error.value.violations] == ["name", "email", "currency"]


def test_a_valid_supplier_is_trimmed() -> None:
    supplier = new_supplier(" Acme ", "buy@acme.test", "EUR", datetime.now(UTC), "pat")
    assert (supplier.name, supplier.created_by) == ("Acme", "pat")
