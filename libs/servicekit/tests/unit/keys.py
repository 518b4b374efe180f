"""Keys for tests."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from servicekit.auth import SigningKey


def signing_key() -> SigningKey:
    private = ed25519.Ed25519PrivateKey.generate()
    return SigningKey.from_pem(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
