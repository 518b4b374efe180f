"""Who may call what, decided by inventory itself: every RPC for each role, for an internal client
with and without `inventory:read`, for a suite service on its own account, for a caller that
only claims roles in plain metadata and for a token that does not verify."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import grpc

from oms.inventory.v1 import inventory_pb2 as pb
from oms.inventory.v1 import inventory_pb2_grpc
from services.inventory.tests.integration.conftest import Inventory
from testkit.security import session_security
from testkit.services import as_user

SERVICE = pb.DESCRIPTOR.services_by_name["InventoryService"]
# RPC name -> its request message
REQUESTS = {m.name: getattr(pb, m.input_type.name) for m in SERVICE.methods}
EVERY_RPC = set(REQUESTS)
READS = {"ListWarehouses", "GetStock", "ListShipments", "ListReservations", "GetAvailability"}
PLANNING = {"SetReorderPoint", "ExpectGoods"}
# role -> the RPCs a person with only that role may call
ADMITTED = {
    "warehouse": EVERY_RPC,
    "admin": EVERY_RPC,
    "purchasing": READS | PLANNING,
    "sales": READS,
    "sales-manager": READS,
    "order-desk": READS,
    "finance": READS,
}
REFUSALS = (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED)


async def outcomes(
    stub: inventory_pb2_grpc.InventoryServiceStub,
    metadata: Sequence[tuple[str, str]] | None = None,
) -> dict[str, grpc.StatusCode]:
    """Each RPC called with an empty request: OK, or the code it failed with. Empty requests
    change nothing: an admitted call fails on its arguments at worst."""
    found = {}
    for name in sorted(EVERY_RPC):
        request = REQUESTS[name]()
        try:
            await getattr(stub, name)(request, metadata=metadata, timeout=10)
            found[name] = grpc.StatusCode.OK
        except grpc.aio.AioRpcError as error:
            found[name] = error.code()
    return found


async def test_each_role_calls_only_its_part(inventory: Inventory) -> None:
    for role, expected in ADMITTED.items():
        seen = await outcomes(inventory.stub, as_user("pat", role))
        admitted = {name for name, code in seen.items() if code not in REFUSALS}
        assert admitted == expected, role
        refused = {seen[name] for name in EVERY_RPC - admitted}
        assert refused <= {grpc.StatusCode.PERMISSION_DENIED}, role


async def test_internal_clients_read_with_the_scope_and_change_nothing(
    inventory: Inventory,
) -> None:
    reader, other = f"reporting-{uuid.uuid4().hex[:6]}", f"crm-{uuid.uuid4().hex[:6]}"
    session_security().pki.register_client(reader, ["inventory:read"])
    session_security().pki.register_client(other, ["orders:read"])
    for name, admitted in ((reader, READS), (other, set())):
        async with session_security().channel(inventory.target, as_name=name, token="") as ch:
            seen = await outcomes(inventory_pb2_grpc.InventoryServiceStub(ch))
        assert {rpc for rpc, code in seen.items() if code not in REFUSALS} == admitted
        assert {seen[rpc] for rpc in EVERY_RPC - admitted} == {grpc.StatusCode.PERMISSION_DENIED}


async def test_roles_in_plain_metadata_or_a_service_on_its_own_account_get_nothing(
    inventory: Inventory,
) -> None:
    """The certificate names a known caller, and no token names a person: every call is
    PERMISSION_DENIED, whatever roles plain metadata claims. A token that does not verify is
    UNAUTHENTICATED."""
    forged = (("x-oms-roles", "admin"), ("x-oms-subject", "mallory"))
    for name, metadata in (("orders", None), ("gateway", forged)):
        async with session_security().channel(inventory.target, as_name=name, token="") as ch:
            seen = await outcomes(inventory_pb2_grpc.InventoryServiceStub(ch), metadata)
        assert set(seen.values()) == {grpc.StatusCode.PERMISSION_DENIED}, name
    bad_token = (("authorization", "Bearer not-a-token"),)
    seen = await outcomes(inventory.stub, bad_token)
    assert set(seen.values()) == {grpc.StatusCode.UNAUTHENTICATED}
