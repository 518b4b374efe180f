from pydantic import Field, field_validator

from pricing.money import InvalidMoney, check_currency
from servicekit.config import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Orders settings, read from ORDERS_* environment variables."""

    model_config = service_config("ORDERS_")

    # gRPC address of the catalog, which prices new orders.
    catalog_target: str = "127.0.0.1:20051"
    # The sales forecast totals every currency in this one, with finance's exchange rates.
    reporting_currency: str = "EUR"
    # An order placed that inventory has not answered after this long stalls (the order desk
    # sees it and retries); checked every saga_stall_check_seconds.
    saga_stall_after_seconds: float = Field(900.0, gt=0)
    saga_stall_check_seconds: float = Field(30.0, gt=0)

    @field_validator("reporting_currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        try:
            return check_currency(value)
        except InvalidMoney as error:
            raise ValueError(str(error)) from error
