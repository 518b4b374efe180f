from servicekit.config import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Orders settings, read from ORDERS_* environment variables."""

    model_config = service_config("ORDERS_")

    # gRPC address of the catalog, which prices new orders.
    catalog_target: str = "127.0.0.1:20051"
