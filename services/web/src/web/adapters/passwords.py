"""Argon2id password hashes (argon2-cffi, RFC 9106's second recommended parameters by default:
64 MiB, 3 passes, 4 lanes); a hash made with weaker parameters is redone at the next sign-in."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2Passwords:
    def __init__(self, time_cost: int = 3, memory_kib: int = 65536, parallelism: int = 4) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
        )
        self._nobody = self._hasher.hash("no such user: spend the time a check takes")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)

    def burn(self, password: str) -> None:
        self.verify(self._nobody, password)
