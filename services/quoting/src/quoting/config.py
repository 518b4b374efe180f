from decimal import Decimal

from pydantic import Field

from printing.letterhead import Letterhead, configured
from quoting.domain.model import DEFAULT_APPROVAL_ABOVE
from servicekit.config import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Quoting settings, read from QUOTING_* environment variables."""

    model_config = service_config("QUOTING_")

    # gRPC address of the catalog, which prices catalog lines.
    catalog_target: str = "127.0.0.1:20051"
    # How often open quotes past their validity date are looked for and expired.
    expiry_interval_seconds: float = 60.0
    # A quote with a discount (a line's, a group's, or all of them together) above this
    # percentage of what it applies to needs a sales manager's approval before it is sent.
    discount_approval_above: Decimal = Field(DEFAULT_APPROVAL_ABOVE, ge=0, le=100)
    # The seller's legal data the quote's letterhead states ("|" between address lines). Unset
    # in development mode: a sample company.
    seller_name: str = ""
    seller_address: str = ""
    seller_tax_id: str = ""
    seller_registration: str = ""

    def letterhead(self) -> Letterhead:
        return configured(
            self.seller_name,
            self.seller_address,
            self.seller_tax_id,
            self.seller_registration,
            "",
            development_mode=self.development_mode,
        )
