from pydantic_settings import BaseSettings

from servicekit.auth import DEV_SECRET
from servicekit.config import service_config


class Settings(BaseSettings):
    """Gateway settings, read from GATEWAY_* environment variables."""

    model_config = service_config("GATEWAY_")

    http_host: str = "127.0.0.1"
    http_port: int = 8000
    catalog_target: str = "127.0.0.1:20051"
    quoting_target: str = "127.0.0.1:20052"
    orders_target: str = "127.0.0.1:20053"
    inventory_target: str = "127.0.0.1:20054"
    billing_target: str = "127.0.0.1:20055"
    procurement_target: str = "127.0.0.1:20056"
    # HS256 secret that bearer tokens are signed with.
    jwt_secret: str = DEV_SECRET
    otel_exporter_endpoint: str | None = None
    log_level: str = "INFO"
    log_dir: str | None = None
