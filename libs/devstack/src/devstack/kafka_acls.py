"""Provisioning Kafka for the suite: its topics, and ACLs that give each service's principal
exactly what it needs — write its own topics, read what it consumes, write and read the dead
letters of what it consumes (its DeadLettersService lists and re-drives them), join its consumer
groups (`oms.<service>`, and `oms.<service>.<name>` for a read model's own) — and nothing else;
and the same for other teams' registered clients: a client holding the scope `events:<topic>`
may read that topic and join consumer groups whose names start with `<client>.` (its own),
nothing more.

    python -m devstack.kafka_acls --bootstrap-server host:9093 --pki .run/pki [--namespace t1.]

The operator (a super user) runs it: `make run` and the tests after the broker starts, a
cluster as a job before the services and again after registering a client. What each service
publishes follows from the topic names (`oms.<owner>.<aggregate>.v<n>`); what it consumes is
`topology.CONSUMES`, which a contract test keeps equal to the services' subscriptions; what a
client reads is its scopes in the registry (`<pki>/clients.json`, devstack.pki).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.admin import CreateAclsRequest_v1, DeleteAclsRequest_v1, DescribeAclsRequest
from aiokafka.protocol.api import Request

from devstack.pki import EVENTS_SCOPE, OPERATOR, Pki
from devstack.topology import BUSINESS_SERVICES, CONNECTORS, CONSUMES
from messaging.events import dead_letter_topic, registry, topic_of, topic_owner
from messaging.kafka import KafkaAccess, ensure_topics, make_admin


class Resource(IntEnum):
    TOPIC = 2
    GROUP = 3


class Operation(IntEnum):
    READ = 3
    WRITE = 4
    CREATE = 5
    DESCRIBE = 8


_RESOURCES = {int(r) for r in Resource}
_OPERATIONS = {int(o) for o in Operation}
_ANY = 1
_LITERAL = 3
_PREFIXED = 4
_ALLOW = 3


@dataclass(frozen=True)
class Acl:
    principal: str
    resource: Resource
    name: str
    operation: Operation
    pattern: int = _LITERAL  # _PREFIXED: every resource whose name starts with `name`

    def key(self) -> tuple[str, int, str, int, int]:
        return self.principal, int(self.resource), self.name, int(self.pattern), self.operation


def published_topics(service: str) -> set[str]:
    return {topic_of(m) for m in registry().values() if topic_owner(topic_of(m)) == service}


def grants(service: str, namespace: str = "") -> list[Acl]:
    """What `service` may do, and only that."""
    user = f"User:{service}"
    acls: list[Acl] = []
    for topic in sorted(published_topics(service)):
        for op in (Operation.WRITE, Operation.DESCRIBE, Operation.CREATE):
            acls.append(Acl(user, Resource.TOPIC, namespace + topic, op))
    for topic in CONSUMES[service]:
        for op in (Operation.READ, Operation.DESCRIBE):
            acls.append(Acl(user, Resource.TOPIC, namespace + topic, op))
        # written by its consumer, read by its DeadLettersService (messaging.dead_letters_api)
        for op in (Operation.WRITE, Operation.READ, Operation.DESCRIBE, Operation.CREATE):
            acls.append(Acl(user, Resource.TOPIC, dead_letter_topic(namespace + topic), op))
    if CONSUMES[service]:
        for op in (Operation.READ, Operation.DESCRIBE):
            acls.append(Acl(user, Resource.GROUP, f"oms.{service}", op))
            # its other groups (read models fed by events, messaging.runtime.ConsumerGroup)
            acls.append(Acl(user, Resource.GROUP, f"oms.{service}.", op, _PREFIXED))
    return acls


def all_topics() -> set[str]:
    """Every topic an event of the contracts is published to."""
    return {topic_of(m) for m in registry().values()}


def client_topics(scopes: Iterable[str]) -> list[str]:
    """The topics a client's `events:<topic>` scopes name; ValueError for one no event uses."""
    topics = sorted({s.removeprefix(EVENTS_SCOPE) for s in scopes if s.startswith(EVENTS_SCOPE)})
    unknown = [t for t in topics if t not in all_topics()]
    if unknown:
        raise ValueError(f"no event is published to {', '.join(unknown)}")
    return topics


def client_grants(client: str, scopes: Iterable[str], namespace: str = "") -> list[Acl]:
    """What a registered client may do on Kafka: read (and describe) the topics its
    `events:<topic>` scopes name, and use consumer groups named `<client>.<anything>`, which no
    other principal may. Nothing without such a scope; never a write, never a dead letter."""
    user = f"User:{client}"
    acls = [
        Acl(user, Resource.TOPIC, namespace + topic, op)
        for topic in client_topics(scopes)
        for op in (Operation.READ, Operation.DESCRIBE)
    ]
    if acls:
        acls.append(Acl(user, Resource.GROUP, f"{client}.", Operation.READ, _PREFIXED))
    return acls


def topics_of(services: Iterable[str], namespace: str = "") -> set[str]:
    """Every topic the services write or read, with the dead letters of what they read."""
    found: set[str] = set()
    for service in services:
        found |= {namespace + t for t in published_topics(service)}
        found |= {namespace + t for t in CONSUMES[service]}
        found |= {dead_letter_topic(namespace + t) for t in CONSUMES[service]}
    return found


class _CreateAcls(Request[CreateAclsRequest_v1]):  # type: ignore[misc]
    API_KEY = 30

    def __init__(self, acls: list[Acl]) -> None:
        self.acls = acls

    def build(self, request_struct_class: type[CreateAclsRequest_v1]) -> CreateAclsRequest_v1:
        return request_struct_class(
            [
                (acl.resource, acl.name, acl.pattern, acl.principal, "*", acl.operation, _ALLOW)
                for acl in self.acls
            ]
        )


class _DeleteAcls(Request[DeleteAclsRequest_v1]):  # type: ignore[misc]
    API_KEY = 31

    def __init__(self, acls: list[Acl]) -> None:
        self.acls = acls

    def build(self, request_struct_class: type[DeleteAclsRequest_v1]) -> DeleteAclsRequest_v1:
        return request_struct_class(
            [
                (acl.resource, acl.name, acl.pattern, acl.principal, "*", acl.operation, _ALLOW)
                for acl in self.acls
            ]
        )


async def _described(admin: AIOKafkaAdminClient, node: Any, principals: set[str]) -> set[Acl]:
    """The ACLs the broker holds for `principals`."""
    seen: set[Acl] = set()
    for principal in principals:
        described = await admin._client.send(
            node, DescribeAclsRequest(_ANY, None, _ANY, principal, None, _ANY, _ANY)
        )
        for kind, name, pattern, entries in described.resources:
            seen |= {
                Acl(p, Resource(kind), name, Operation(op), pattern)
                for p, _host, op, _perm in entries
                if kind in _RESOURCES and op in _OPERATIONS
            }
    return seen


async def _change_acls(
    operator: KafkaAccess, create: list[Acl], delete: list[Acl], wait_seconds: float
) -> None:
    """Creates and deletes ACLs, and returns once the broker enforces the change: the controller
    commits it first, and the broker applies it a moment later."""
    admin = make_admin(operator)
    await admin.start()
    try:
        node = admin._client.get_random_node()
        if create:
            response = await admin._client.send(node, _CreateAcls(create))
            failed = [r for r in response.creation_responses if r[0] != 0]
            if failed:
                raise RuntimeError(f"the broker refused {len(failed)} ACL(s): {failed[0]}")
        if delete:
            response = await admin._client.send(node, _DeleteAcls(delete))
            failed = [r for r in response.filter_responses if r[0] != 0]
            if failed:
                raise RuntimeError(f"the broker refused to delete {len(failed)} ACL(s)")
        wanted, gone = {a.key() for a in create}, {a.key() for a in delete}
        principals = {a.principal for a in (*create, *delete)}
        deadline = asyncio.get_running_loop().time() + wait_seconds
        while True:
            seen = {a.key() for a in await _described(admin, node, principals)}
            if wanted <= seen and not gone & seen:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"ACL change not in force after {wait_seconds}s")
            await asyncio.sleep(0.1)
    finally:
        await admin.close()


async def create_acls(operator: KafkaAccess, acls: list[Acl], wait_seconds: float = 15) -> None:
    """Creates the ACLs and returns once the broker enforces them."""
    await _change_acls(operator, acls, [], wait_seconds)


async def grant_clients(
    operator: KafkaAccess,
    clients: Mapping[str, Iterable[str]],
    namespace: str = "",
    wait_seconds: float = 15,
) -> None:
    """Makes each named client's ACLs what its scopes give it (no scopes, as for a revoked
    client: none at all): the missing ones are created, the ones its scopes no longer give are
    deleted. Other principals' ACLs are left alone."""
    wanted = {
        acl for name, scopes in clients.items() for acl in client_grants(name, scopes, namespace)
    }
    admin = make_admin(operator)
    await admin.start()
    try:
        node = admin._client.get_random_node()
        held = await _described(admin, node, {f"User:{name}" for name in clients})
    finally:
        await admin.close()
    await _change_acls(
        operator,
        sorted(wanted - held, key=Acl.key),
        sorted(held - wanted, key=Acl.key),
        wait_seconds,
    )


def registered_clients(clients_file: Path) -> dict[str, list[str]]:
    """Client name -> scopes, from devstack.pki's registry; a revoked client has none, so
    granting what the registry says takes its ACLs away."""
    if not clients_file.exists():
        return {}
    document = json.loads(clients_file.read_text())
    found: dict[str, list[str]] = {name: [] for name in document.get("revoked", [])}
    for name, entry in document.get("clients", {}).items():
        found[name] = list(entry.get("scopes", []))
    return found


async def provision(
    operator: KafkaAccess,
    services: Iterable[str] = (*BUSINESS_SERVICES, *CONNECTORS),
    namespace: str = "",
    partitions: int = 3,
    clients: Mapping[str, Iterable[str]] | None = None,
) -> None:
    """Creates the services' topics (when missing), grants each service its ACLs and each of
    `clients` (name -> scopes) what its scopes give it."""
    chosen = list(services)
    await ensure_topics(operator, topics_of(chosen, namespace), partitions)
    await create_acls(operator, [acl for s in chosen for acl in grants(s, namespace)])
    if clients:
        await grant_clients(operator, clients, namespace)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.kafka_acls")
    parser.add_argument("--bootstrap-server", required=True)
    parser.add_argument("--pki", type=Path, required=True, help="holds the operator's certificate")
    parser.add_argument("--namespace", default="")
    parser.add_argument("--partitions", type=int, default=3)
    args = parser.parse_args()
    pki = Pki(args.pki)
    operator = KafkaAccess.of(args.bootstrap_server, pki.files(OPERATOR))
    clients = registered_clients(pki.clients_file)
    asyncio.run(
        provision(operator, namespace=args.namespace, partitions=args.partitions, clients=clients)
    )
    print(f"provisioned topics and ACLs for {', '.join((*BUSINESS_SERVICES, *CONNECTORS))}")
    if clients:
        print(f"and for the registered clients {', '.join(sorted(clients))} ({pki.clients_file})")


if __name__ == "__main__":
    main()
