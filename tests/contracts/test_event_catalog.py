"""The event catalog is the broker's ACLs: each service may read exactly the topics it consumes
(devstack.topology.CONSUMES) and write exactly the topics it owns, so both must be true."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from devstack.kafka_acls import published_topics
from devstack.topology import BUSINESS_SERVICES, CONSUMES
from messaging.events import topic_of, topic_owner
from messaging.outbox import Outbox
from servicekit.db import Database
from testkit.security import session_security


def wiring(service: str) -> tuple[Any, Any]:
    spec = importlib.import_module(f"{service}.bootstrap").SPEC
    settings_type = importlib.import_module(f"{service}.config").Settings
    files = session_security().pki.files(service)
    settings = settings_type(
        database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none",
        grpc_port=1,
        tls_ca_file=str(files.ca),
        tls_cert_file=str(files.cert),
        tls_key_file=str(files.key),
    )
    database = Database(settings.database_url)
    return spec, spec.wire(database, Outbox(spec.tables.outbox, spec.name), settings)


@pytest.mark.parametrize("service", BUSINESS_SERVICES)
def test_a_service_consumes_exactly_the_topics_its_acls_let_it_read(service: str) -> None:
    _, wired = wiring(service)
    groups = [s for group in wired.groups for s in group.subscriptions]  # read models
    consumed = {topic_of(s.message) for s in [*wired.subscriptions, *groups]}
    assert consumed == set(CONSUMES[service])


@pytest.mark.parametrize("service", BUSINESS_SERVICES)
def test_a_service_publishes_only_to_topics_it_owns(service: str) -> None:
    spec, _ = wiring(service)
    published = {topic_of(m) for m in spec.publishes}
    assert {topic_owner(t) for t in published} == {service}
    assert published <= published_topics(service)


def test_the_connector_consumes_exactly_the_topics_its_acls_let_it_read() -> None:
    from woocommerce.adapters.secrets import DEVELOPMENT_KEY, SecretBox
    from woocommerce.adapters.woo_writes import WooWriteApi
    from woocommerce.entrypoints.subscriptions import Reactions

    reactions = Reactions(SecretBox(DEVELOPMENT_KEY), WooWriteApi(), 2.0)
    consumed = {topic_of(s.message) for s in reactions.subscriptions()}
    assert consumed == set(CONSUMES["woocommerce"])
