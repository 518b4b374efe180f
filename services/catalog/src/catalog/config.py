from servicekit.config import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Catalog settings, read from CATALOG_* environment variables."""

    model_config = service_config("CATALOG_")
