from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from gateway.calls import CallPolicy
from servicekit.auth import API_AUDIENCE, DEVELOPMENT_ISSUER, INTERNAL_AUDIENCE, INTERNAL_ISSUER
from servicekit.config import ObservabilitySettings, service_config
from servicekit.tls import TlsFiles


class Settings(ObservabilitySettings):
    """Gateway settings, read from GATEWAY_* environment variables."""

    model_config = service_config("GATEWAY_")

    http_host: str = "127.0.0.1"
    http_port: int = 8000
    # SQLAlchemy URL of the gateway's own database (API keys, idempotency records, its audit
    # log), e.g. postgresql+asyncpg://u:p@host:5432/oms_gateway; migrated at start.
    database_url: str
    catalog_target: str = "127.0.0.1:20051"
    quoting_target: str = "127.0.0.1:20052"
    orders_target: str = "127.0.0.1:20053"
    inventory_target: str = "127.0.0.1:20054"
    billing_target: str = "127.0.0.1:20055"
    procurement_target: str = "127.0.0.1:20056"
    # The WooCommerce connector's store orders API (its parked orders, for the order desk).
    woocommerce_target: str = "127.0.0.1:20061"
    # How long a call to a service may take before the request answers 504 (gateway.calls); the
    # slow deadline is for PDFs, reports, bulk runs and pictures. A route may give its own.
    grpc_deadline_seconds: float = Field(5.0, gt=0)
    grpc_slow_deadline_seconds: float = Field(30.0, gt=0)
    # Tries in all for a read while its service is UNAVAILABLE (writes are tried once).
    grpc_read_attempts: int = Field(3, ge=1, le=5)
    # Mutual TLS to the services: the project CA and the gateway's certificate.
    tls_ca_file: str
    tls_cert_file: str
    tls_key_file: str
    # Whose bearer tokens people sign in with: the identity provider's public keys (JWKS file),
    # its issuer and the audience its tokens name for this API.
    identity_provider_jwks_file: str | None = None
    identity_provider_issuer: str = DEVELOPMENT_ISSUER
    identity_provider_audience: str = API_AUDIENCE
    # An organization's own OpenID Connect provider, beside the one above (gateway.edge.oidc):
    # its issuer URL (https), the audience its access tokens name for this API, where its keys
    # are published (found through its discovery document when unset), the claims naming the
    # person, their roles (a dotted path) and team, and its roles or groups -> the suite's roles
    # (JSON, e.g. {"oms-sales": "sales"}). Unset issuer: no such provider.
    oidc_issuer: str | None = None
    oidc_audience: str = API_AUDIENCE
    oidc_jwks_url: str | None = None
    oidc_subject_claim: str = "sub"
    oidc_roles_claim: str = "roles"
    oidc_team_claim: str = "team"
    oidc_role_map: dict[str, str] = {}
    # The gateway's private key (PEM) for the short-lived tokens it passes to services; they
    # verify them with its public keys (TOKEN_JWKS_FILE on their side).
    signing_key_file: str | None = None
    internal_issuer: str = INTERNAL_ISSUER
    internal_audience: str = INTERNAL_AUDIENCE
    # Accepts the published development keys. Only `make run` sets it; never a deployment.
    development_mode: bool = False
    # Requests per second each caller (a person or an API key) may make, and how many may come
    # at once after a quiet spell. Counted per replica: N replicas admit up to N times this.
    rate_limit_per_second: float = Field(50.0, gt=0)
    rate_limit_burst: int = Field(100, ge=1)
    # The largest request body accepted (bytes); larger ones are refused (413) unread.
    max_body_bytes: int = Field(1_048_576, ge=1)
    # The same for picture uploads (base64 in JSON: a 5 MiB picture is ~6.7 MiB of body).
    max_upload_bytes: int = Field(8_388_608, ge=1)
    # How long a POST's response is kept for replay under its Idempotency-Key.
    idempotency_ttl_hours: float = Field(24.0, gt=0)
    # How long a request waits for the one before it with the same key before answering 409.
    idempotency_wait_seconds: float = Field(10.0, ge=0)
    # How long a verified API key is trusted without looking again: the most a revocation
    # takes to reach every replica.
    api_key_cache_seconds: float = Field(5.0, ge=0)
    # Web pages on these origins (scheme://host[:port], comma-separated; `*` for any) may call
    # the API from a browser (CORS). Empty, the default, sends no CORS headers: browsers then
    # refuse cross-origin calls, and nothing else (curl, servers) is affected either way.
    cors_origins: Annotated[list[str], NoDecode] = []

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        """A browser sends its Origin without a path or a trailing slash: so must the list."""
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list):
            return value  # pydantic refuses it
        origins = [str(origin).strip().rstrip("/") for origin in value if str(origin).strip()]
        for origin in origins:
            scheme, _, rest = origin.partition("://")
            if origin != "*" and (scheme not in ("http", "https") or not rest or "/" in rest):
                raise ValueError(f"{origin!r} is not an origin like https://app.example.com")
        return origins

    def call_policy(self) -> CallPolicy:
        return CallPolicy(
            self.grpc_deadline_seconds, self.grpc_slow_deadline_seconds, self.grpc_read_attempts
        )

    def tls(self) -> TlsFiles:
        return TlsFiles.of(self.tls_ca_file, self.tls_cert_file, self.tls_key_file)
