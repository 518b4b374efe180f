"""No working secrets key outside development mode; secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicekit.auth import UnsafeKey
from woocommerce.adapters.secrets import DEVELOPMENT_KEY, SecretBox
from woocommerce.config import Settings

URL = "postgresql+asyncpg://nobody@127.0.0.1:1/none"
OWN_KEY = "q2ZJ3o4TFRi9nqW1ZyYl8yRkz3Vh2V6yXb2mJ0m1Ae8="


def test_the_key_is_required_and_never_the_published_one_outside_development() -> None:
    with pytest.raises(UnsafeKey, match="required outside development mode"):
        Settings(database_url=URL).sealing_key()
    with pytest.raises(UnsafeKey, match="published development key"):
        Settings(database_url=URL, secrets_key=DEVELOPMENT_KEY).sealing_key()
    assert Settings(database_url=URL, secrets_key=OWN_KEY).sealing_key() == OWN_KEY
    assert Settings(database_url=URL, development_mode=True).sealing_key() == DEVELOPMENT_KEY


def test_the_key_may_come_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "key").write_text(OWN_KEY + "\n")
    assert (
        Settings(database_url=URL, secrets_key_file=str(tmp_path / "key")).sealing_key() == OWN_KEY
    )


def test_sealed_secrets_open_only_with_their_key() -> None:
    token = SecretBox(OWN_KEY).seal("cs_secret")
    assert b"cs_secret" not in token
    assert SecretBox(OWN_KEY).open(token) == "cs_secret"
    assert "q2ZJ" not in repr(SecretBox(OWN_KEY))
