from decimal import Decimal

from pydantic import Field, field_validator

from billing.domain.dunning import DunningPolicy
from billing.domain.taxes import Seller
from pricing.money import InvalidMoney, check_currency
from printing.letterhead import configured
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
    # Reports (AR/AP ageing, revenue) total every currency in this one, with finance's rates.
    reporting_currency: str = "EUR"
    # Days past due at which each reminder level is due: "7,21,35" (1st, 2nd, final).
    dunning_level_days: str = "7,21,35"
    # A customer with an invoice overdue more than this many days is put on credit hold (orders
    # holds its new orders) until those invoices are settled; unset: never.
    credit_hold_after_days: int | None = Field(None, ge=0)

    # The seller's legal data every invoice and credit note states. The address and the payment
    # instructions take "|" between lines. Unset in development mode: a sample company.
    seller_name: str = ""
    seller_address: str = ""
    seller_tax_id: str = ""
    seller_registration: str = ""
    seller_payment_instructions: str = ""

    def seller(self) -> Seller:
        """The seller as documents name it; the development sample only in development mode."""
        found = configured(
            self.seller_name,
            self.seller_address,
            self.seller_tax_id,
            self.seller_registration,
            self.seller_payment_instructions,
            development_mode=self.development_mode,
        )
        return Seller(
            found.name, found.address, found.tax_id, found.registration, found.payment_instructions
        )

    @field_validator("dunning_level_days")
    @classmethod
    def _ascending_days(cls, value: str) -> str:
        try:
            days = [int(part) for part in value.split(",")]
        except ValueError as error:
            raise ValueError("whole days separated by commas, e.g. 7,21,35") from error
        if not days or days != sorted(set(days)) or days[0] < 1:
            raise ValueError("at least one level, each day count > 0 and larger than the last")
        return value

    def dunning_policy(self) -> DunningPolicy:
        return DunningPolicy(
            tuple(int(part) for part in self.dunning_level_days.split(",")),
            self.credit_hold_after_days,
        )

    @field_validator("bill_dual_control_currency", "reporting_currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        try:
            return check_currency(value)
        except InvalidMoney as error:
            raise ValueError(str(error)) from error
