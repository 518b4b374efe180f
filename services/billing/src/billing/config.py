from decimal import Decimal

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
