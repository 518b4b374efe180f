from servicekit.config import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Inventory settings, read from INVENTORY_* environment variables."""

    model_config = service_config("INVENTORY_")
