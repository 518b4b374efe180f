"""Finance's hold on a customer's credit terms."""

from __future__ import annotations

from orders.domain.customer_input import Details
from orders.domain.customers import finance_changes
from servicekit.context import current_principal
from servicekit.errors import FieldViolation, PermissionDenied


def check_finance(before: Details | None, after: Details) -> None:
    """PermissionDenied naming the credit terms a caller other than finance would set."""
    changing = finance_changes(before, after)
    if changing and not current_principal().has_any("finance"):
        raise PermissionDenied(
            f"only finance sets {' and '.join(changing)}",
            tuple(FieldViolation(name, "set by finance only") for name in changing),
        )
