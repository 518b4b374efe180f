"""The project's certificate authority for local stacks and tests: one certificate per service,
per registered internal client, for the Kafka broker and for the operator.

    python -m devstack.pki init --dir /trust          # CA, every certificate, token keys
    python -m devstack.pki register-client reporting --scope orders:read --scope billing:read
    python -m devstack.pki register-client shipping-sync --scope events:oms.orders.sales-order.v1

A deployment uses its own CA (cert-manager, Vault, its platform's) and issues the same shapes:
ECDSA P-256 keys, the common name is the Kafka principal, the SPIFFE id in the subject
alternative names (`spiffe://oms.local/service/orders`, `.../client/reporting`) is the gRPC
identity. `clients.json` is the registry of internal clients and their scopes that every
service reads (`<PREFIX>CLIENTS_FILE`). A scope `events:<topic>` lets the client read that
topic from Kafka with consumer groups named `<client>.*` (devstack.kafka_acls): registering or
revoking one changes the broker's ACLs at once when the broker is reachable (`make run`'s, or
`--kafka-bootstrap`), and otherwise prints the provisioning command to run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import ipaddress
import json
import re
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from devstack.paths import RUN
from devstack.topology import BUSINESS_SERVICES, CONNECTORS, secrets_key_file
from servicekit.auth import keygen
from servicekit.tls import Peer, PeerKind, TlsFiles

# The broker's own identity and the operator's (provisioning, dead-letter tools): Kafka super users.
BROKER = "kafka"
OPERATOR = "oms-operator"
GATEWAY = "gateway"
SUITE = (*BUSINESS_SERVICES, *CONNECTORS, GATEWAY)
_NAME = re.compile(r"^[a-z][a-z0-9-]{1,40}$")
# A registered client's scope to read one topic's events: `events:oms.orders.sales-order.v1`.
EVENTS_SCOPE = "events:"
_VALIDITY = datetime.timedelta(days=365)


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass(frozen=True)
class Pki:
    """A folder holding a CA and the certificates it issued (`<name>.pem`, `<name>.key`)."""

    folder: Path

    @property
    def ca_file(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def clients_file(self) -> Path:
        return self.folder / "clients.json"

    def files(self, name: str) -> TlsFiles:
        return TlsFiles(self.ca_file, self.folder / f"{name}.pem", self.folder / f"{name}.key")

    def keystore(self, name: str) -> Path:
        """Key and certificate in one PEM file, as Kafka's PEM keystore reads them."""
        return self.folder / f"{name}.keystore.pem"

    def ensure(self) -> Pki:
        """The CA and the certificates of the suite, the broker and the operator; what exists
        is kept, so a second run reuses it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self.ca_file.exists():
            self._new_ca()
        for name in SUITE:
            if not self.files(name).cert.exists():
                self.issue(name, PeerKind.SERVICE)
        for name in (BROKER, OPERATOR):
            if not self.files(name).cert.exists():
                self.issue(name, None)
        if not self.clients_file.exists():
            self.clients_file.write_text(json.dumps({"clients": {}}, indent=2))
        for connector in CONNECTORS:
            sealing = secrets_key_file(self.folder, connector)
            if not sealing.exists():
                sealing.write_bytes(Fernet.generate_key())
                sealing.chmod(0o600)
        return self

    def _new_ca(self) -> None:
        key = _key()
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "oms local CA")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + 10 * _VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, key_cert_sign=True, crl_sign=True,
                    content_commitment=False, key_encipherment=False, data_encipherment=False,
                    key_agreement=False, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )  # fmt: skip
        key_file = self.folder / "ca.key"
        key_file.write_bytes(_pem(key))
        key_file.chmod(0o600)
        self.ca_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))

    def issue(self, name: str, kind: PeerKind | None) -> TlsFiles:
        """A certificate for `name`: CN=name, reachable as name, localhost and 127.0.0.1, with
        the SPIFFE id of its kind (none for the broker and the operator, who call no gRPC)."""
        if not _NAME.match(name):
            raise ValueError(f"{name!r}: lower-case letters, digits and '-', 2 to 41 long")
        ca_key = serialization.load_pem_private_key((self.folder / "ca.key").read_bytes(), None)
        assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
        ca = x509.load_pem_x509_certificate(self.ca_file.read_bytes())
        key = _key()
        names: list[x509.GeneralName] = [
            x509.DNSName(name),
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]
        if kind is not None:
            names.append(x509.UniformResourceIdentifier(Peer(kind, name).spiffe_id))
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + _VALIDITY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(
                x509.ExtendedKeyUsage(
                    [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
                ),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        files = self.files(name)
        files.key.write_bytes(_pem(key))
        files.key.chmod(0o600)
        files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        self.keystore(name).write_bytes(_pem(key) + files.cert.read_bytes())
        self.keystore(name).chmod(0o600)
        return files

    def register_client(self, name: str, scopes: list[str]) -> TlsFiles:
        """Issues `name` a client certificate and records its scopes in the registry."""
        if name in (*SUITE, BROKER, OPERATOR):
            raise ValueError(f"{name!r} is the name of one of the suite's own processes")
        registry = json.loads(self.clients_file.read_text())
        registry["clients"][name] = {"scopes": sorted(set(scopes))}
        registry["revoked"] = [n for n in registry.get("revoked", []) if n != name]
        files = self.issue(name, PeerKind.CLIENT)
        self.clients_file.write_text(json.dumps(registry, indent=2))
        return files

    def client_scopes(self, name: str) -> list[str]:
        """The scopes the registry gives `name`; none when it is not registered."""
        entry = json.loads(self.clients_file.read_text())["clients"].get(name, {})
        return list(entry.get("scopes", []))

    def revoke_client(self, name: str) -> None:
        """Takes the client out of the registry: services refuse it from their next check. Its
        name stays listed as revoked, so provisioning Kafka takes its ACLs away too."""
        registry = json.loads(self.clients_file.read_text())
        registry["clients"].pop(name, None)
        registry["revoked"] = sorted({*registry.get("revoked", []), name})
        self.clients_file.write_text(json.dumps(registry, indent=2))


def _running_broker(pki: Pki, given: str | None) -> str | None:
    """The broker to change a client's ACLs on: `given`, or that of `make run` when this is its
    folder and the broker answers; None when there is none to reach."""
    bootstrap = given
    state = pki.folder.parent / "stack.json"
    if bootstrap is None and pki.folder.resolve() == (RUN / "pki").resolve() and state.exists():
        bootstrap = json.loads(state.read_text()).get("kafka_bootstrap")
    if not bootstrap:
        return None
    host, _, port = bootstrap.split(",")[0].rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
    except OSError:
        return None
    return bootstrap


def _apply_on_kafka(pki: Pki, name: str, scopes: list[str], bootstrap: str | None) -> None:
    """Gives `name` exactly the Kafka ACLs its events scopes call for (none once revoked)."""
    # imported here: devstack.kafka_acls reads this module's registry and operator identity
    from devstack.kafka_acls import grant_clients
    from messaging.kafka import KafkaAccess

    broker = _running_broker(pki, bootstrap)
    if broker is None:
        print(
            "  Kafka ACLs: no broker reachable; once it is, run\n"
            f"    python -m devstack.kafka_acls --bootstrap-server <host:port> --pki {pki.folder}"
        )
        return
    operator = KafkaAccess.of(broker, pki.files(OPERATOR))
    asyncio.run(grant_clients(operator, {name: scopes}))
    print(f"  Kafka ACLs for {name} in force on {broker}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.pki")
    parser.add_argument("--dir", type=Path, default=RUN / "pki", help="default: .run/pki")
    parser.add_argument(
        "--kafka-bootstrap",
        help="broker whose ACLs to change for a client's events scopes (default: make run's)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "init",
        help="the CA and certificates, and token key pairs for the gateway and an identity "
        "provider (for a stack without one of its own, such as docker compose)",
    )
    register = sub.add_parser("register-client", help="certificate and scopes for a client")
    register.add_argument("name")
    register.add_argument("--scope", action="append", default=[], required=True)
    revoke = sub.add_parser("revoke-client", help="take a client out of the registry")
    revoke.add_argument("name")
    args = parser.parse_args()
    pki = Pki(args.dir).ensure()
    if args.command == "init":
        for name in ("gateway-signing", "identity-provider"):
            if not (pki.folder / f"{name}.pem").exists():
                keygen(pki.folder, name)
        print(f"trust material in {pki.folder}")
        return
    if args.command == "revoke-client":
        reads_events = any(s.startswith(EVENTS_SCOPE) for s in pki.client_scopes(args.name))
        pki.revoke_client(args.name)
        print(f"{args.name} revoked")
        if reads_events:
            _apply_on_kafka(pki, args.name, [], args.kafka_bootstrap)
        return
    from devstack.kafka_acls import client_topics  # as in _apply_on_kafka

    try:
        topics = client_topics(args.scope)
    except ValueError as error:  # a topic no event is published to
        parser.error(str(error))
    files = pki.register_client(args.name, args.scope)
    print(f"registered {args.name} with scopes {', '.join(sorted(set(args.scope)))}")
    print(f"  CA          {files.ca}\n  certificate {files.cert}\n  key         {files.key}")
    if topics:
        print(f"  reads {', '.join(topics)} with consumer groups named {args.name}.*")
        _apply_on_kafka(pki, args.name, args.scope, args.kafka_bootstrap)


if __name__ == "__main__":
    main()
