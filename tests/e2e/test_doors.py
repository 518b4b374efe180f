"""Every door checks who knocks: each RPC of each running service, found by asking the service
itself (server reflection), is tried the way an attacker on the same network would try it.

- no client certificate: the TLS handshake is refused, the call never reaches the server;
- a registered internal client sending `x-oms-subject`/`x-oms-roles: admin` metadata: plain
  metadata names no one, and the client lacks the scope: PERMISSION_DENIED;
- the gateway's own certificate passing a token signed by a key nobody trusts: UNAUTHENTICATED;
- the gateway passing a genuine token of a person who holds no role: PERMISSION_DENIED.
Probes still reach health on the plain health port.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import grpc
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

from devstack.supervisor import Stack
from devstack.topology import BUSINESS_SERVICES
from servicekit.auth import INTERNAL_AUDIENCE, INTERNAL_ISSUER, SigningKey, issue_token
from testkit.security import session_security


def served_methods(target: str) -> list[str]:
    """`/package.Service/Method` for every RPC the server says it serves (health and reflection
    aside), asked with the gateway's certificate."""
    credentials = session_security().pki.files("gateway").channel_credentials()
    with grpc.secure_channel(target, credentials) as channel:
        database = ProtoReflectionDescriptorDatabase(channel)
        methods = []
        for name in database.get_services():
            if name.startswith("grpc."):
                continue
            descriptor = database.FindFileContainingSymbol(name)
            service = next(
                s for s in descriptor.service if f"{descriptor.package}.{s.name}" == name
            )
            methods += [f"/{name}/{m.name}" for m in service.method]
        return methods


@pytest.fixture(scope="module")
def doors(e2e_stack: Stack) -> dict[str, list[str]]:
    return {
        service: served_methods(f"127.0.0.1:{e2e_stack.ports.grpc(service)}")
        for service in BUSINESS_SERVICES
    }


def calls(stack: Stack, doors: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    for service, methods in doors.items():
        for method in methods:
            yield f"127.0.0.1:{stack.ports.grpc(service)}", method


async def status_of(
    channel: grpc.aio.Channel, method: str, metadata: tuple[tuple[str, str], ...]
) -> grpc.StatusCode:
    """The status of calling `method` with an empty request (admission comes before parsing)."""
    call = channel.unary_unary(method, request_serializer=bytes, response_deserializer=bytes)
    try:
        await call(b"", metadata=metadata, timeout=10)
    except grpc.aio.AioRpcError as error:
        return error.code()
    return grpc.StatusCode.OK


def untrusted_token() -> str:
    stranger = SigningKey.from_pem(
        ed25519.Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return issue_token(
        stranger,
        issuer=INTERNAL_ISSUER,
        audience=INTERNAL_AUDIENCE,
        subject="mallory",
        roles=("admin",),
        ttl_seconds=300,
    )


async def test_every_service_serves_its_api_the_audit_log_and_its_dead_letters(
    doors: dict[str, list[str]],
) -> None:
    for service, methods in doors.items():
        assert len(methods) > 2, service
        assert "/oms.audit.v1.AuditService/ListAuditEntries" in methods
        assert "/oms.ops.v1.DeadLettersService/RedriveDeadLetter" in methods


async def test_without_a_certificate_no_call_reaches_any_service(
    e2e_stack: Stack, doors: dict[str, list[str]]
) -> None:
    ca_only = grpc.ssl_channel_credentials(
        root_certificates=session_security().pki.ca_file.read_bytes()
    )
    for target, method in calls(e2e_stack, doors):
        async with grpc.aio.secure_channel(target, ca_only) as channel:
            assert await status_of(channel, method, ()) == grpc.StatusCode.UNAVAILABLE, method
        async with grpc.aio.insecure_channel(target) as channel:
            assert await status_of(channel, method, ()) == grpc.StatusCode.UNAVAILABLE, method


async def test_forged_metadata_from_a_known_client_names_no_one(
    e2e_stack: Stack, doors: dict[str, list[str]]
) -> None:
    security = session_security()
    client = f"curious-{uuid.uuid4().hex[:6]}"
    security.pki.register_client(client, ["nothing:read"])
    forged = (("x-oms-subject", "admin"), ("x-oms-roles", "admin,finance"))
    for target, method in calls(e2e_stack, doors):
        async with security.channel(target, as_name=client, token="") as channel:
            assert await status_of(channel, method, forged) == grpc.StatusCode.PERMISSION_DENIED, (
                method
            )


async def test_a_token_no_one_trusts_is_unauthenticated_and_a_person_without_a_role_is_denied(
    e2e_stack: Stack, doors: dict[str, list[str]]
) -> None:
    security = session_security()
    forged = (("authorization", f"Bearer {untrusted_token()}"),)
    nobody = (("authorization", f"Bearer {security.token('nobody')}"),)
    for target, method in calls(e2e_stack, doors):
        async with security.channel(target, as_name="gateway", token="") as channel:
            assert await status_of(channel, method, forged) == grpc.StatusCode.UNAUTHENTICATED, (
                method
            )
            assert await status_of(channel, method, nobody) == grpc.StatusCode.PERMISSION_DENIED, (
                method
            )


async def test_probes_need_no_certificate_for_health(e2e_stack: Stack) -> None:
    for service in BUSINESS_SERVICES:
        async with grpc.aio.insecure_channel(
            f"127.0.0.1:{e2e_stack.ports.health(service)}"
        ) as channel:
            reply = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=5
            )
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
