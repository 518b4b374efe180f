from printing.letterhead import Letterhead, configured
from servicekit.config import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Quoting settings, read from QUOTING_* environment variables."""

    model_config = service_config("QUOTING_")

    # gRPC address of the catalog, which prices catalog lines.
    catalog_target: str = "127.0.0.1:20051"
    # How often open quotes past their validity date are looked for and expired.
    expiry_interval_seconds: float = 60.0
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
