"""Store secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) with the connector's key from its
settings. Outside development mode there is no working default key (config.py refuses)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

# Published in this repository: accepted only in development mode (make run, tests).
DEVELOPMENT_KEY = "ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZHVjdGk="


class UndecryptableSecret(Exception):
    """A stored secret the configured key cannot open (the key changed?)."""


class SecretBox:
    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def seal(self, secret: str) -> bytes:
        return self._fernet.encrypt(secret.encode())

    def open(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken as error:
            raise UndecryptableSecret("a store secret cannot be decrypted with this key") from error

    def __repr__(self) -> str:
        return "SecretBox(<key hidden>)"
