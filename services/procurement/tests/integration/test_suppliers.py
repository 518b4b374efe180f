"""Procurement against the real broker and database."""

from collections.abc import Awaitable, Callable

import grpc
import pytest

from oms.events.v1 import procurement_pb2 as events
from oms.procurement.v1 import procurement_pb2 as pb
from oms.procurement.v1 import procurement_pb2_grpc
from procurement.bootstrap import SPEC
from procurement.config import Settings
from servicekit.grpc import violations_of
from testkit.services import EventLog, as_user, serving


async def test_a_supplier_is_created_announced_and_unique_by_name(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> None:
    database = await fresh_database("procurement")
    async with serving(SPEC, Settings, database, kafka_bootstrap) as (channel, ns):
        stub = procurement_pb2_grpc.ProcurementServiceStub(channel)
        request = pb.CreateSupplierRequest(name="Acme", email="buy@acme.test", currency="EUR")
        async with EventLog(kafka_bootstrap, [events.SupplierCreated], ns) as log:
            supplier = (
                await stub.CreateSupplier(request, metadata=as_user("pat", "purchasing"))
            ).supplier
            ((envelope, created),) = await log.wait_for(supplier.id)
        assert (created.name, envelope.actor.subject, supplier.created_by) == ("Acme", "pat", "pat")
        assert [s.id for s in (await stub.ListSuppliers(pb.ListSuppliersRequest())).suppliers] == [
            supplier.id
        ]

        with pytest.raises(grpc.aio.AioRpcError) as duplicate:
            await stub.CreateSupplier(request)
        assert duplicate.value.code() == grpc.StatusCode.ALREADY_EXISTS
        with pytest.raises(grpc.aio.AioRpcError) as invalid:
            await stub.CreateSupplier(
                pb.CreateSupplierRequest(name="X", email="nope", currency="EUR")
            )
        assert [v.field for v in violations_of(invalid.value)] == ["email"]
        assert len((await stub.ListSuppliers(pb.ListSuppliersRequest())).suppliers) == 1
