"""Suppliers on fakes: created once by name and announced, changed with a change-log entry of
what changed, read one or a page at a time."""

from __future__ import annotations

import pytest

from procurement.application.commands.create_supplier import CreateSupplier, create_supplier
from procurement.application.commands.update_supplier import UpdateSupplier, update_supplier
from procurement.application.queries.suppliers import get_supplier, list_suppliers
from procurement.domain.events import SupplierCreated
from procurement.domain.suppliers import SupplierChange
from servicekit.errors import AlreadyExists, InvalidArgument, NotFound
from services.procurement.tests.unit.builders import a_supplier, as_user
from services.procurement.tests.unit.fakes import FakeStore, fake_ports


async def test_a_supplier_is_created_announced_recorded_and_unique_by_name() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    with as_user("pat"):
        supplier = await a_supplier(ports)
    assert (supplier.name, supplier.created_by) == ("Acme", "pat")
    assert store.published == [SupplierCreated(supplier.id, "Acme", "EUR")]
    ((entry),) = store.entries("supplier", supplier.id)
    assert (entry.action, entry.actor, entry.after and entry.after["name"]) == (
        "created",
        "pat",
        "Acme",
    )
    with pytest.raises(AlreadyExists):
        await a_supplier(ports)
    with pytest.raises(InvalidArgument) as invalid:
        await create_supplier(ports, CreateSupplier("X", "nope", "EUR"))
    assert [v.field for v in invalid.value.violations] == ["email"]
    assert (len(store.suppliers), len(store.published)) == (1, 1)


async def test_a_change_records_only_what_changed() -> None:
    store = FakeStore()
    ports = fake_ports(store)
    acme = await a_supplier(ports)
    with as_user("pat"):
        change = SupplierChange(acme.email, acme.contacts, "prepaid", 4)
        await update_supplier(ports, UpdateSupplier(acme.id, change))
        # the same again changes nothing, so nothing is recorded
        await update_supplier(ports, UpdateSupplier(acme.id, change))
    entries = store.entries("supplier", acme.id)[1:]
    assert [(e.action, e.actor, e.before, e.after) for e in entries] == [
        ("changed", "pat", {"payment_terms": "30 days net"}, {"payment_terms": "prepaid"}),
    ]
    assert (await get_supplier(ports, acme.id)).payment_terms == "prepaid"
    with pytest.raises(InvalidArgument) as email:
        await update_supplier(ports, UpdateSupplier(acme.id, SupplierChange("a" * 321)))
    assert [v.field for v in email.value.violations] == ["email"]
    with pytest.raises(NotFound):
        await update_supplier(ports, UpdateSupplier("nobody", change))
    with pytest.raises(NotFound):
        await get_supplier(ports, "nobody")


async def test_suppliers_come_a_page_at_a_time_by_name() -> None:
    ports = fake_ports()
    for name in ("Bolt", "Acme", "Cog"):
        await a_supplier(ports, name)
    first, token = await list_suppliers(ports, 2, "")
    rest, last = await list_suppliers(ports, 0, token)
    assert [s.name for s in first + rest] == ["Acme", "Bolt", "Cog"]
    assert (len(first), last) == (2, "")
    for size, token, field in ((201, "", "page_size"), (0, "bm9wZQ", "page_token")):
        with pytest.raises(InvalidArgument) as refused:
            await list_suppliers(ports, size, token)
        assert [v.field for v in refused.value.violations] == [field]
