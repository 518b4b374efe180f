"""Who may call which RPC: each service's table of rules, and the decision for one call.

A call comes over mutual TLS from a verified peer (servicekit.tls). It is admitted as:
- a person, when a suite service (in practice the gateway) passes that person's signed token:
  the person needs one of the rule's roles (admin passes everywhere);
- a suite service acting on its own account, when the rule names that service;
- a registered internal client, when the registry grants it the rule's scope.
Anything else is refused: UNAUTHENTICATED for a token that does not verify (a caller without a
certificate never gets this far: the TLS handshake refuses it), PERMISSION_DENIED for a known
caller without the right. Plain metadata never names a
caller. Finer rights (a salesperson's own quotes) stay with the use cases, which read
`current_principal()`.

    ACCESS = AccessTable(billing_pb2.DESCRIPTOR.services_by_name["BillingService"], {
        "RecordPayment": allow("finance"),
        "ListInvoices": allow("finance", "order-desk", scope="billing:read"),
        ...
    })
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from google.protobuf.descriptor import ServiceDescriptor

from servicekit.auth import ROLES, InvalidToken, TokenVerifier
from servicekit.context import Principal
from servicekit.errors import PermissionDenied, Unauthenticated
from servicekit.tls import Peer, PeerKind

# Every role a person can hold: for what any signed-in person may do.
EVERY_ROLE = ROLES


@dataclass(frozen=True)
class Rule:
    """Who may call one RPC: people with one of `roles`, the named suite `services` on their own
    account, and registered clients holding `scope`."""

    roles: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    scope: str = ""

    def admits_person(self, person: Principal) -> bool:
        return person.has_any(*self.roles)


def allow(*roles: str, services: Iterable[str] = (), scope: str = "") -> Rule:
    return Rule(frozenset(roles), frozenset(services), scope)


class AccessTable:
    """The rules for every RPC of one gRPC service; refuses to exist with an RPC left out."""

    def __init__(self, service: ServiceDescriptor, rules: Mapping[str, Rule]) -> None:
        methods = {method.name for method in service.methods}
        missing, unknown = methods - set(rules), set(rules) - methods
        if missing or unknown:
            raise ValueError(
                f"{service.full_name} access table: no rule for {sorted(missing)}, "
                f"rules for unknown RPCs {sorted(unknown)}"
            )
        self.service = service.full_name
        self.rules = {f"/{service.full_name}/{name}": rule for name, rule in rules.items()}


class ClientRegistry:
    """Internal clients registered by name with their scopes, from a JSON file
    (`{"clients": {"reporting": {"scopes": ["orders:read"]}}}`), read again when it changes so a
    revocation needs no restart."""

    def __init__(self, path: str | Path | None, recheck_seconds: float = 5.0) -> None:
        self.path = Path(path) if path else None
        self.recheck_seconds = recheck_seconds
        self._scopes: dict[str, frozenset[str]] = {}
        self._stamp: float | None = None
        self._checked = 0.0

    def scopes(self, client: str) -> frozenset[str]:
        self._refresh()
        return self._scopes.get(client, frozenset())

    def _refresh(self) -> None:
        if self.path is None or time.monotonic() - self._checked < self.recheck_seconds:
            return
        self._checked = time.monotonic()
        try:
            stamp = self.path.stat().st_mtime
        except FileNotFoundError:
            self._scopes, self._stamp = {}, None
            return
        if stamp != self._stamp:
            document = json.loads(self.path.read_text())
            self._scopes = {
                name: frozenset(entry.get("scopes", []))
                for name, entry in document.get("clients", {}).items()
            }
            self._stamp = stamp


class Access:
    """The decision for each call, from the tables of every gRPC service a process serves."""

    def __init__(
        self, tables: Sequence[AccessTable], verifier: TokenVerifier, clients: ClientRegistry
    ) -> None:
        self.rules = {method: rule for table in tables for method, rule in table.rules.items()}
        self.verifier = verifier
        self.clients = clients

    def admit(self, method: str, peer: Peer | None, token: str | None) -> Principal:
        """The principal the call runs as; Unauthenticated or PermissionDenied otherwise."""
        if peer is None:
            raise Unauthenticated("a client certificate from the project's CA is required")
        rule = self.rules.get(method)
        if rule is None:
            raise PermissionDenied(f"{method} is open to no one")
        if token is not None:
            if peer.kind is not PeerKind.SERVICE:
                raise PermissionDenied(
                    f"client {peer.name} acts under its own scopes, not a person's token"
                )
            try:
                person = self.verifier.verify(token)
            except InvalidToken as error:
                raise Unauthenticated(f"invalid token: {error}") from error
            if not rule.admits_person(person):
                needed = ", ".join(sorted(rule.roles)) or "a role no person holds"
                raise PermissionDenied(f"this needs one of the roles: {needed}")
            return person
        if peer.kind is PeerKind.SERVICE:
            if peer.name in rule.services:
                return Principal(peer.name, ("service",))
            raise PermissionDenied(
                f"service {peer.name} may not call {method} on its own account"
                + (" (a person's token is needed)" if rule.roles else "")
            )
        if rule.scope and rule.scope in self.clients.scopes(peer.name):
            return Principal(f"client:{peer.name}", ("client",))
        raise PermissionDenied(
            f"client {peer.name} lacks the scope {rule.scope}"
            if rule.scope
            else f"no internal client may call {method}"
        )


def bearer(metadata: Mapping[str, str]) -> str | None:
    """The token of an `authorization: Bearer <token>` metadata entry, if any."""
    value = metadata.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None
