"""Provisioning Kafka for the suite: its topics, and ACLs that give each service's principal
exactly what it needs — write its own topics, read what it consumes, write the dead letters of
what it consumes, join its consumer group — and nothing else.

    python -m devstack.kafka_acls --bootstrap-server host:9093 --pki .run/pki [--namespace t1.]

The operator (a super user) runs it: `make run` and the tests after the broker starts, a
cluster as a job before the services. What each service publishes follows from the topic names
(`oms.<owner>.<aggregate>.v<n>`); what it consumes is `topology.CONSUMES`, which a contract test
keeps equal to the services' subscriptions.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from aiokafka.protocol.admin import CreateAclsRequest_v1, DescribeAclsRequest
from aiokafka.protocol.api import Request

from devstack.pki import OPERATOR, Pki
from devstack.topology import BUSINESS_SERVICES, CONSUMES
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


_ANY = 1
_LITERAL = 3
_ALLOW = 3


@dataclass(frozen=True)
class Acl:
    principal: str
    resource: Resource
    name: str
    operation: Operation


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
        for op in (Operation.WRITE, Operation.DESCRIBE, Operation.CREATE):
            acls.append(Acl(user, Resource.TOPIC, dead_letter_topic(namespace + topic), op))
    if CONSUMES[service]:
        for op in (Operation.READ, Operation.DESCRIBE):
            acls.append(Acl(user, Resource.GROUP, f"oms.{service}", op))
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
                (acl.resource, acl.name, _LITERAL, acl.principal, "*", acl.operation, _ALLOW)
                for acl in self.acls
            ]
        )


async def create_acls(operator: KafkaAccess, acls: list[Acl], wait_seconds: float = 15) -> None:
    """Creates the ACLs and returns once the broker enforces them: the controller commits them
    first, and the broker applies them a moment later."""
    admin = make_admin(operator)
    await admin.start()
    try:
        node = admin._client.get_random_node()
        response = await admin._client.send(node, _CreateAcls(acls))
        failed = [r for r in response.creation_responses if r[0] != 0]
        if failed:
            raise RuntimeError(f"the broker refused {len(failed)} ACL(s): {failed[0]}")
        wanted = {(a.principal, int(a.resource), a.name, int(a.operation)) for a in acls}
        deadline = asyncio.get_running_loop().time() + wait_seconds
        while True:
            seen: set[tuple[str, int, str, int]] = set()
            for principal in {a.principal for a in acls}:
                described = await admin._client.send(
                    node, DescribeAclsRequest(_ANY, None, _ANY, principal, None, _ANY, _ANY)
                )
                for kind, name, _pattern, entries in described.resources:
                    seen |= {(p, kind, name, op) for p, _host, op, _perm in entries}
            if wanted <= seen:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(
                    f"{len(wanted - seen)} ACL(s) not in force after {wait_seconds}s"
                )
            await asyncio.sleep(0.1)
    finally:
        await admin.close()


async def provision(
    operator: KafkaAccess,
    services: Iterable[str] = BUSINESS_SERVICES,
    namespace: str = "",
    partitions: int = 3,
) -> None:
    """Creates the services' topics (when missing) and grants each service its ACLs."""
    chosen = list(services)
    await ensure_topics(operator, topics_of(chosen, namespace), partitions)
    await create_acls(operator, [acl for s in chosen for acl in grants(s, namespace)])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.kafka_acls")
    parser.add_argument("--bootstrap-server", required=True)
    parser.add_argument("--pki", type=Path, required=True, help="holds the operator's certificate")
    parser.add_argument("--namespace", default="")
    parser.add_argument("--partitions", type=int, default=3)
    args = parser.parse_args()
    operator = KafkaAccess.of(args.bootstrap_server, Pki(args.pki).files(OPERATOR))
    asyncio.run(provision(operator, namespace=args.namespace, partitions=args.partitions))
    print(f"provisioned topics and ACLs for {', '.join(BUSINESS_SERVICES)}")


if __name__ == "__main__":
    main()
