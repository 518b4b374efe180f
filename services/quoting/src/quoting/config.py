from servicekit.config import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Quoting settings, read from QUOTING_* environment variables."""

    model_config = service_config("QUOTING_")
