from decimal import Decimal

from pydantic import Field, field_validator

from pricing.money import InvalidMoney, check_currency
from servicekit.config import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Billing settings, read from BILLING_* environment variables."""

    model_config = service_config("BILLING_")

    # How often invoices past their due date are looked for (InvoiceOverdue, once each).
    overdue_interval_seconds: float = 60.0
    # How far a bill's unit price may stray from the purchase order's before it is held (%).
    bill_price_tolerance_percent: Decimal = Decimal(2)
    # How far a bill may bill beyond the quantity ordered before it is held (%).
    bill_quantity_tolerance_percent: Decimal = Decimal(0)
    # A bill above this amount (in bill_dual_control_currency, converted with finance's exchange
    # rates; any bill no rate converts) is held until a finance user other than the one who
    # recorded it releases it.
    bill_dual_control_above: Decimal = Field(Decimal(10_000), ge=0)
    bill_dual_control_currency: str = "EUR"

    @field_validator("bill_dual_control_currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        try:
            return check_currency(value)
        except InvalidMoney as error:
            raise ValueError(str(error)) from error
