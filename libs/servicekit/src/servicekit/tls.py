"""Mutual TLS: every process holds a certificate from the project's CA naming who it is.

A certificate names its holder with a SPIFFE id, `spiffe://oms.local/service/orders` for one of
the suite's services (the gateway included) or `spiffe://oms.local/client/reporting` for an
internal client another team registered. The same files secure gRPC (both ways) and Kafka, whose
broker maps the certificate's common name to the principal its ACLs name.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path

import grpc

TRUST_DOMAIN = "oms.local"


class PeerKind(StrEnum):
    SERVICE = "service"
    CLIENT = "client"


@dataclass(frozen=True)
class Peer:
    """Who is on the other end of a connection, as its verified certificate says."""

    kind: PeerKind
    name: str

    @property
    def spiffe_id(self) -> str:
        return f"spiffe://{TRUST_DOMAIN}/{self.kind}/{self.name}"

    @classmethod
    def from_spiffe_id(cls, value: str) -> Peer | None:
        prefix = f"spiffe://{TRUST_DOMAIN}/"
        if not value.startswith(prefix):
            return None
        kind, _, name = value.removeprefix(prefix).partition("/")
        if kind not in PeerKind.__members__.values() or not name or "/" in name:
            return None
        return cls(PeerKind(kind), name)


def peer_of(auth_context: Mapping[str, Sequence[bytes]]) -> Peer | None:
    """The verified peer of a gRPC call; None when the connection carries no verified id."""
    found = auth_context.get("peer_spiffe_id") or ()
    return Peer.from_spiffe_id(found[0].decode()) if len(found) == 1 else None


@dataclass(frozen=True)
class TlsFiles:
    """The CA that vouches for peers, and this process's certificate and private key."""

    ca: Path
    cert: Path
    key: Path

    @classmethod
    def of(cls, ca: str | Path, cert: str | Path, key: str | Path) -> TlsFiles:
        return cls(Path(ca), Path(cert), Path(key))

    @cached_property
    def _pem(self) -> tuple[bytes, bytes, bytes]:
        return self.ca.read_bytes(), self.cert.read_bytes(), self.key.read_bytes()

    def server_credentials(self) -> grpc.ServerCredentials:
        """Only peers with a certificate from our CA complete the handshake."""
        ca, cert, key = self._pem
        return grpc.ssl_server_credentials(
            [(key, cert)], root_certificates=ca, require_client_auth=True
        )

    def channel_credentials(self) -> grpc.ChannelCredentials:
        ca, cert, key = self._pem
        return grpc.ssl_channel_credentials(
            root_certificates=ca, private_key=key, certificate_chain=cert
        )

    def ssl_context(self) -> ssl.SSLContext:
        """For Kafka clients: verify the broker against our CA and present our certificate."""
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(self.ca))
        context.load_cert_chain(str(self.cert), str(self.key))
        return context
