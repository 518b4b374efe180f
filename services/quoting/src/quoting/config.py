from servicekit.config import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Quoting settings, read from QUOTING_* environment variables."""

    model_config = service_config("QUOTING_")

    # gRPC address of the catalog, which prices catalog lines.
    catalog_target: str = "127.0.0.1:20051"
    # How often open quotes past their validity date are looked for and expired.
    expiry_interval_seconds: float = 60.0
