"""Signed tokens: key ids, issuer and audience checked, people's roles only, unsafe keys refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from libs.servicekit.tests.unit.keys import signing_key
from servicekit.auth import (
    InvalidToken,
    KeySet,
    SigningKey,
    TokenVerifier,
    UnsafeKey,
    development_key,
    issue_token,
    trusted_keys,
)
from servicekit.auth import (
    signing_key as configured_signing_key,
)


def pem(private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def test_a_token_names_its_key_and_verifies_against_a_set_holding_old_and_new_keys() -> None:
    old, new = signing_key(), signing_key()
    both = KeySet({**old.key_set().keys, **new.key_set().keys})
    verifier = TokenVerifier(both, "iss", "aud")
    for key in (old, new):  # rotation: tokens of either key pass while both are published
        token = issue_token(
            key, issuer="iss", audience="aud", subject="s", roles=(), ttl_seconds=60
        )
        assert verifier.verify(token).subject == "s"
    only_new = TokenVerifier(new.key_set(), "iss", "aud")
    stale = issue_token(old, issuer="iss", audience="aud", subject="s", roles=(), ttl_seconds=60)
    with pytest.raises(InvalidToken):
        only_new.verify(stale)


def test_issuer_audience_and_expiry_are_checked() -> None:
    key = signing_key()
    verifier = TokenVerifier(key.key_set(), "iss", "aud", leeway_seconds=0)
    for token in (
        issue_token(key, issuer="other", audience="aud", subject="s", roles=(), ttl_seconds=60),
        issue_token(key, issuer="iss", audience="other", subject="s", roles=(), ttl_seconds=60),
        issue_token(key, issuer="iss", audience="aud", subject="s", roles=(), ttl_seconds=-5),
        "not.a.token",
    ):
        with pytest.raises(InvalidToken):
            verifier.verify(token)


def test_a_person_holds_only_peoples_roles_whatever_the_token_claims() -> None:
    key = signing_key()
    token = issue_token(
        key, issuer="i", audience="a", subject="s", roles=("sales", "system", "service"),
        ttl_seconds=60, team="north",
    )  # fmt: skip
    person = TokenVerifier(key.key_set(), "i", "a").verify(token)
    assert person.roles == ("sales",)
    assert person.team == "north"


def test_weak_keys_are_refused() -> None:
    with pytest.raises(UnsafeKey, match="1024 bits"):
        SigningKey.from_pem(pem(rsa.generate_private_key(65537, 1024)))
    with pytest.raises(UnsafeKey, match="curve"):
        SigningKey.from_pem(pem(ec.generate_private_key(ec.SECP256K1())))
    assert SigningKey.from_pem(pem(rsa.generate_private_key(65537, 2048))).algorithm == "RS256"


def test_the_development_keys_only_in_development_mode(tmp_path: Path) -> None:
    with pytest.raises(UnsafeKey, match="required outside development"):
        configured_signing_key(None, False, "X_SIGNING_KEY_FILE", "internal")
    assert configured_signing_key(None, True, "X", "internal") == development_key("internal")
    published = tmp_path / "dev.pem"
    published.write_bytes(
        (Path(__file__).parents[2] / "src/servicekit/devkeys/internal.pem").read_bytes()
    )
    with pytest.raises(UnsafeKey, match="development key"):
        configured_signing_key(str(published), False, "X_SIGNING_KEY_FILE", "internal")
    jwks = tmp_path / "dev.jwks.json"
    jwks.write_text(json.dumps(development_key("internal").key_set().to_jwks()))
    with pytest.raises(UnsafeKey, match="development key"):
        trusted_keys(str(jwks), False, "X_TOKEN_JWKS_FILE", "internal")
    with pytest.raises(UnsafeKey, match="required outside development"):
        trusted_keys(None, False, "X_TOKEN_JWKS_FILE", "internal")
    own = tmp_path / "own.jwks.json"
    own.write_text(json.dumps(signing_key().key_set().to_jwks()))
    assert trusted_keys(str(own), False, "X", "internal").keys
