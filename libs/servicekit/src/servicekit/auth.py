"""Signed tokens: asymmetric keys with key ids, issuing, verifying, and the refusal of unsafe keys.

Two kinds of token travel in the suite, both JWTs signed with a private key that only their
issuer holds and verified with a published key set (JWKS), so keys can be rotated by publishing
the new key before signing with it:
- a person's bearer token, from the organization's identity provider (in development, the
  committed development key that `make token` signs with), verified by the gateway;
- the gateway's short-lived token for the person it authenticated, passed to services in gRPC
  metadata and verified by every service that acts on it.

python -m servicekit.auth issue --role sales --subject alice     # development token
python -m servicekit.auth keygen --out secrets/ --name gateway   # a key pair for a deployment
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from servicekit.context import Principal

log = logging.getLogger(__name__)

ROLES = ("sales", "sales-manager", "order-desk", "warehouse", "purchasing", "finance", "admin")
# Who signs a person's token in development, and who the gateway's tokens name.
DEVELOPMENT_ISSUER = "oms-development-identity-provider"
API_AUDIENCE = "oms-api"
INTERNAL_ISSUER = "oms-gateway"
INTERNAL_AUDIENCE = "oms-services"
# Long enough for a slow call chain, short enough that a leaked token soon stops working.
INTERNAL_TOKEN_SECONDS = 300

PrivateKey = (
    ed25519.Ed25519PrivateKey
    | ed448.Ed448PrivateKey
    | rsa.RSAPrivateKey
    | ec.EllipticCurvePrivateKey
)
PublicKey = (
    ed25519.Ed25519PublicKey | ed448.Ed448PublicKey | rsa.RSAPublicKey | ec.EllipticCurvePublicKey
)
_STRONG_CURVES = ("secp256r1", "secp384r1", "secp521r1")
_EC_ALGORITHMS = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}


class InvalidToken(Exception):
    """The token is missing, malformed, expired, not for us, or not signed by a key we trust."""


class UnsafeKey(Exception):
    """A key too weak to sign with, or a published development key outside development mode."""


def algorithm_for(key: PublicKey) -> str:
    if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        return "EdDSA"
    if isinstance(key, rsa.RSAPublicKey):
        return "RS256"
    return _EC_ALGORITHMS[key.curve.name]


def check_strength(key: PublicKey) -> None:
    """UnsafeKey for RSA under 2048 bits or an elliptic curve other than P-256/384/521."""
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < 2048:
        raise UnsafeKey(f"an RSA key of {key.key_size} bits is too weak (2048 at least)")
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name not in _STRONG_CURVES:
        raise UnsafeKey(f"curve {key.curve.name} is not accepted (P-256, P-384 or P-521)")


def public_jwk(key: PublicKey) -> dict[str, Any]:
    """The key as a JWK with its RFC 7638 thumbprint as `kid` and its algorithm."""
    if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        jwk: dict[str, Any] = OKPAlgorithm.to_jwk(key, as_dict=True)
    elif isinstance(key, rsa.RSAPublicKey):
        jwk = RSAAlgorithm.to_jwk(key, as_dict=True)
    else:
        jwk = ECAlgorithm.to_jwk(key, as_dict=True)
    members = {"OKP": ("crv", "kty", "x"), "RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y")}
    canonical = json.dumps({m: jwk[m] for m in members[jwk["kty"]]}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    kid = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return {**jwk, "kid": kid, "alg": algorithm_for(key), "use": "sig"}


@dataclass(frozen=True)
class SigningKey:
    """A private key and the id its tokens name, so verifiers pick the right public key."""

    private: PrivateKey
    kid: str
    algorithm: str

    @classmethod
    def from_pem(cls, data: bytes) -> SigningKey:
        private = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private, PrivateKey):
            raise UnsafeKey(f"{type(private).__name__} keys cannot sign tokens")
        public = private.public_key()
        check_strength(public)
        jwk = public_jwk(public)
        return cls(private, jwk["kid"], jwk["alg"])

    @classmethod
    def load(cls, path: str | Path) -> SigningKey:
        return cls.from_pem(Path(path).read_bytes())

    def key_set(self) -> KeySet:
        return KeySet.of(self.private.public_key())


@dataclass(frozen=True)
class KeySet:
    """Public keys by id: a JWKS, as an issuer publishes it."""

    keys: Mapping[str, tuple[PublicKey, str]]

    @classmethod
    def of(cls, *public_keys: PublicKey) -> KeySet:
        found: dict[str, tuple[PublicKey, str]] = {}
        for key in public_keys:
            check_strength(key)
            jwk = public_jwk(key)
            found[jwk["kid"]] = (key, jwk["alg"])
        return cls(found)

    @classmethod
    def from_jwks(cls, document: Mapping[str, Any]) -> KeySet:
        found: dict[str, tuple[PublicKey, str]] = {}
        for entry in document.get("keys", []):
            key = jwt.PyJWK(entry).key
            if not isinstance(key, PublicKey):
                raise UnsafeKey(f"key {entry.get('kid')!r} is not a public signing key")
            check_strength(key)
            kid = str(entry.get("kid") or public_jwk(key)["kid"])
            found[kid] = (key, algorithm_for(key))
        if not found:
            raise UnsafeKey("the key set holds no keys")
        return cls(found)

    @classmethod
    def load(cls, path: str | Path) -> KeySet:
        return cls.from_jwks(json.loads(Path(path).read_text()))

    def to_jwks(self) -> dict[str, Any]:
        return {"keys": [public_jwk(key) for key, _ in self.keys.values()]}

    def holds_development_key(self) -> bool:
        return bool(set(self.keys) & development_key_ids())


@cache
def development_key(name: str) -> SigningKey:
    """One of the committed development keys (`identity-provider` or `internal`)."""
    return SigningKey.from_pem((resources.files("servicekit") / f"devkeys/{name}.pem").read_bytes())


def development_key_ids() -> set[str]:
    return {development_key(name).kid for name in ("identity-provider", "internal")}


def signing_key(
    path: str | None, development_mode: bool, setting: str, dev_name: str
) -> SigningKey:
    """The key configured in `setting`, or the development key in development mode; UnsafeKey
    for a missing, weak or development key outside development mode."""
    if path:
        key = SigningKey.load(path)
        if key.kid in development_key_ids() and not development_mode:
            raise UnsafeKey(f"{setting} holds a published development key; generate your own")
        return key
    if not development_mode:
        raise UnsafeKey(f"{setting} is required outside development mode")
    log.warning("development mode: signing with the published development key (%s)", dev_name)
    return development_key(dev_name)


def trusted_keys(path: str | None, development_mode: bool, setting: str, dev_name: str) -> KeySet:
    """The key set configured in `setting` (a JWKS file), or the development key's in development
    mode; UnsafeKey for a missing, weak or development key set outside development mode."""
    if path:
        keys = KeySet.load(path)
        if keys.holds_development_key() and not development_mode:
            raise UnsafeKey(f"{setting} trusts a published development key")
        return keys
    if not development_mode:
        raise UnsafeKey(f"{setting} is required outside development mode")
    log.warning("development mode: trusting the published development key (%s)", dev_name)
    return development_key(dev_name).key_set()


def issue_token(
    key: SigningKey,
    *,
    issuer: str,
    audience: str,
    subject: str,
    roles: Sequence[str],
    ttl_seconds: int,
    team: str = "",
) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "roles": list(roles),
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
    }
    if team:
        claims["team"] = team
    return jwt.encode(claims, key.private, algorithm=key.algorithm, headers={"kid": key.kid})


class TokenVerifier:
    """Verifies tokens of one issuer for one audience; remembers the ones it has verified until
    they expire, so a caller's repeated token costs one signature check."""

    def __init__(self, keys: KeySet, issuer: str, audience: str, leeway_seconds: int = 30) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway_seconds
        self._verified: dict[str, tuple[Principal, float]] = {}

    def verify(self, token: str) -> Principal:
        remembered = self._verified.get(token)
        if remembered is not None and remembered[1] > time.time():
            return remembered[0]
        principal, expires = self._verify(token)
        if len(self._verified) >= 4096:
            self._verified.clear()
        self._verified[token] = (principal, expires)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from error
        found = self.keys.keys.get(str(kid))
        if found is None:
            raise InvalidToken(f"signed with key {kid!r}, which this service does not trust")
        key, algorithm = found
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                issuer=self.issuer,
                audience=self.audience,
                leeway=self.leeway,
                options={"require": ["iss", "aud", "sub", "exp", "iat"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from error
        roles = claims.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise InvalidToken("roles must be a list of strings")
        team = claims.get("team", "")
        if not isinstance(team, str):
            raise InvalidToken("team must be a string")
        # a person holds only people's roles: never "system" or "service", whatever is claimed
        held = tuple(r for r in roles if r in ROLES)
        return Principal(str(claims["sub"]), held, team), float(claims["exp"])


def keygen(out: Path, name: str) -> None:
    """Writes an Ed25519 key pair: NAME.pem (private, 0600) and NAME.jwks.json (public)."""
    key = ed25519.Ed25519PrivateKey.generate()
    out.mkdir(parents=True, exist_ok=True)
    private = out / f"{name}.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private.chmod(0o600)
    jwks = out / f"{name}.jwks.json"
    jwks.write_text(json.dumps(KeySet.of(key.public_key()).to_jwks(), indent=2))
    print(f"{private} (keep secret)\n{jwks} (publish to verifiers)")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m servicekit.auth")
    sub = parser.add_subparsers(dest="command", required=True)
    issue = sub.add_parser("issue", help="print a bearer token (development key by default)")
    issue.add_argument("--role", action="append", choices=ROLES, required=True)
    issue.add_argument("--subject", required=True)
    issue.add_argument("--team", default="")
    issue.add_argument("--ttl", type=int, default=86400)
    issue.add_argument("--key", help="private key PEM (default: the development key)")
    issue.add_argument("--issuer", default=DEVELOPMENT_ISSUER)
    issue.add_argument("--audience", default=API_AUDIENCE)
    pair = sub.add_parser("keygen", help="write an Ed25519 key pair: NAME.pem and NAME.jwks.json")
    pair.add_argument("--out", type=Path, required=True)
    pair.add_argument("--name", required=True)
    args = parser.parse_args()
    if args.command == "keygen":
        keygen(args.out, args.name)
        return
    key = SigningKey.load(args.key) if args.key else development_key("identity-provider")
    token = issue_token(
        key,
        issuer=args.issuer,
        audience=args.audience,
        subject=args.subject,
        roles=tuple(args.role),
        ttl_seconds=args.ttl,
        team=args.team,
    )
    print(token)  # noqa: T201


if __name__ == "__main__":
    main()
