from servicekit.config import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Billing settings, read from BILLING_* environment variables."""

    model_config = service_config("BILLING_")
