from servicekit.config import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Procurement settings, read from PROCUREMENT_* environment variables."""

    model_config = service_config("PROCUREMENT_")
