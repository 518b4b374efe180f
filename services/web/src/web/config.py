"""The web service's settings, read from WEB_* environment variables."""

from __future__ import annotations

from pydantic import Field

from servicekit.auth import API_AUDIENCE, DEVELOPMENT_ISSUER
from servicekit.config import ObservabilitySettings, service_config


class Settings(ObservabilitySettings):
    model_config = service_config("WEB_")

    # SQLAlchemy URL of its own database (users, sessions, saved views)
    database_url: str
    # The gateway's base URL; the pages call its public REST API (/api/v1) as the signed-in user.
    gateway_url: str = "http://127.0.0.1:8000"
    http_host: str = "127.0.0.1"
    http_port: int = 8090
    # The private key (PEM) the service signs its users' bearer tokens with, as the identity
    # provider the gateway trusts (GATEWAY_IDENTITY_PROVIDER_JWKS_FILE holds its public key).
    # Required, and never a published development key, outside development mode.
    signing_key_file: str | None = None
    # What those tokens name: the gateway's GATEWAY_IDENTITY_PROVIDER_ISSUER and _AUDIENCE.
    token_issuer: str = DEVELOPMENT_ISSUER
    token_audience: str = API_AUDIENCE
    token_seconds: int = Field(default=300, ge=30, le=3600)
    # A session ends this long after sign-in, or after this long without a request.
    session_hours: float = Field(default=12.0, gt=0)
    session_idle_minutes: float = Field(default=30.0, gt=0)
    # Session cookies are Secure (and named __Host-...) unless this is false: only for plain
    # HTTP on a machine of one's own (make run, the tests).
    cookie_secure: bool = True
    # The origin browsers show for the pages (https://office.example.com), which every form's
    # Origin must match; unset: the request's own scheme and Host.
    public_origin: str = ""
    # Failed sign-ins allowed per username and per address in a minute.
    sign_in_failures_per_minute: int = Field(default=5, ge=1)
    # Argon2id parameters (RFC 9106's second recommendation by default).
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8192)
    # An organization's own OpenID Connect provider people sign in through (the authorization
    # code flow with PKCE), as the gateway's GATEWAY_OIDC_* names it: its issuer (https), this
    # client's id and secret there, the scopes asked, where its keys are (its discovery
    # document's when unset), the audience its access tokens name for the API, and the claims
    # and role map that make a person of them. Unset issuer: passwords only.
    oidc_issuer: str | None = None
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scope: str = "openid profile"
    oidc_jwks_url: str = ""
    oidc_api_audience: str = API_AUDIENCE
    oidc_subject_claim: str = "sub"
    oidc_roles_claim: str = "roles"
    oidc_team_claim: str = "team"
    oidc_role_map: dict[str, str] = {}
    development_mode: bool = False
