from pydantic_settings import BaseSettings

from servicekit.auth import API_AUDIENCE, DEVELOPMENT_ISSUER, INTERNAL_AUDIENCE, INTERNAL_ISSUER
from servicekit.config import service_config
from servicekit.tls import TlsFiles


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
    # Mutual TLS to the services: the project CA and the gateway's certificate.
    tls_ca_file: str
    tls_cert_file: str
    tls_key_file: str
    # Whose bearer tokens people sign in with: the identity provider's public keys (JWKS file),
    # its issuer and the audience its tokens name for this API.
    identity_provider_jwks_file: str | None = None
    identity_provider_issuer: str = DEVELOPMENT_ISSUER
    identity_provider_audience: str = API_AUDIENCE
    # The gateway's private key (PEM) for the short-lived tokens it passes to services; they
    # verify them with its public keys (TOKEN_JWKS_FILE on their side).
    signing_key_file: str | None = None
    internal_issuer: str = INTERNAL_ISSUER
    internal_audience: str = INTERNAL_AUDIENCE
    # Accepts the published development keys. Only `make run` sets it; never a deployment.
    development_mode: bool = False
    otel_exporter_endpoint: str | None = None
    log_level: str = "INFO"
    log_dir: str | None = None

    def tls(self) -> TlsFiles:
        return TlsFiles.of(self.tls_ca_file, self.tls_cert_file, self.tls_key_file)
