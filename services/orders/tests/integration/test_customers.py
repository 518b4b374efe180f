"""The customer master against the real broker and database: accounts in, events out, billing's
balances in, the credit position the order use cases read, finance's hold on credit terms and the
change log of every account."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from google.protobuf.message import Message
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from oms.audit.v1 import audit_pb2, audit_pb2_grpc
from oms.events.v1 import billing_pb2
from oms.events.v1 import orders_pb2 as events
from oms.orders.v1 import customers_pb2 as pb
from oms.orders.v1 import customers_pb2_grpc
from oms.types.v1.types_pb2 import Money as MoneyMessage
from orders.adapters.customers import SqlCustomers
from orders.bootstrap import SPEC
from orders.config import Settings
from orders.domain.customers import CreditPosition
from pricing.money import Money
from servicekit.db import Database
from servicekit.grpc import violations_of
from testkit.services import EventLog, as_user, free_port, namespace, publish, running

SALES = as_user("sam", "sales")
FINANCE = as_user("fiona", "finance")
Env = tuple[customers_pb2_grpc.CustomersServiceStub, str, str, grpc.aio.Channel]


@pytest.fixture
async def customers(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[Env]:
    """The orders service (as `env` runs it), reached through its CustomersService."""
    ns = namespace()
    url = await fresh_database("orders")
    settings = Settings(
        database_url=url,
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=free_port(),
        topic_namespace=ns,
        catalog_target=f"127.0.0.1:{free_port()}",  # customers never ask the catalog
    )
    async with running(SPEC, settings) as channel:
        yield customers_pb2_grpc.CustomersServiceStub(channel), ns, url, channel


def an_account(
    name: str = "Acme GmbH", group: str = "wholesale", **changes: object
) -> pb.CustomerInput:
    account = pb.CustomerInput(
        name=name,
        kind="company",
        tax_id="DE123456789",
        email="billing@acme.example",
        customer_group=group,
        currency="EUR",
        payment_terms="30 days net",
        credit_limit=MoneyMessage(amount="5000.00", currency="EUR"),
        contacts=[
            pb.CustomerContact(
                name="Ada Buyer", email="ada@acme.example", phone="+49 30 123456", role="purchasing"
            )
        ],
        billing_address=pb.CustomerAddress(
            line1="Hauptstr. 1", city="Berlin", postal_code="10115", country="DE"
        ),
    )
    for field, value in changes.items():
        account.ClearField(field)  # type: ignore[arg-type]
        if isinstance(value, list):
            getattr(account, field).extend(value)
        elif isinstance(value, Message):
            getattr(account, field).CopyFrom(value)
        elif value is not None:
            setattr(account, field, value)
    return account


async def _position(url: str, customer_id: str) -> CreditPosition | None:
    database = Database(url)
    try:
        async with database.transaction() as session:
            return await SqlCustomers(session).credit_position(customer_id)
    finally:
        await database.dispose()


async def test_an_account_is_opened_and_announced_with_its_terms(
    customers: Env, kafka_bootstrap: str
) -> None:
    stub, ns, url, _ = customers
    async with EventLog(kafka_bootstrap, [events.CustomerRegistered], ns) as log:
        created = (
            await stub.CreateCustomer(
                pb.CreateCustomerRequest(customer=an_account()), metadata=FINANCE
            )
        ).customer
        ((envelope, registered),) = await log.wait_for(created.id)
    assert (created.name, created.version, created.created_by) == ("Acme GmbH", 1, "fiona")
    assert (created.credit_limit.amount, created.billing_address.country) == ("5000.00", "DE")
    assert not created.HasField("shipping_address")
    assert envelope.type == "oms.orders.CustomerRegistered.v1"
    assert (envelope.key, envelope.actor.subject) == (created.id, "fiona")
    assert isinstance(registered, events.CustomerRegistered)
    assert registered.customer == events.CustomerAccount(
        customer_id=created.id,
        name="Acme GmbH",
        kind="company",
        customer_group="wholesale",
        currency="EUR",
        payment_terms="30 days net",
        credit_limit=MoneyMessage(amount="5000.00", currency="EUR"),
        tax_id="DE123456789",
        email="billing@acme.example",
        billing_address=events.BillingAddress(
            line1="Hauptstr. 1", city="Berlin", postal_code="10115", country="DE"
        ),
    )
    found = (await stub.GetCustomer(pb.GetCustomerRequest(customer_id=created.id))).customer
    assert found == created

    database = Database(url)
    try:
        async with database.transaction() as session:
            assert await SqlCustomers(session).exists(created.id)
            assert not await SqlCustomers(session).exists("C-unknown")
            assert await SqlCustomers(session).credit_position("C-unknown") is None
    finally:
        await database.dispose()


async def test_an_update_replaces_what_it_names_keeps_the_rest_and_is_announced(
    customers: Env, kafka_bootstrap: str
) -> None:
    stub, ns, _, _ = customers
    created = (
        await stub.CreateCustomer(pb.CreateCustomerRequest(customer=an_account()), metadata=FINANCE)
    ).customer
    renamed = pb.UpdateCustomerRequest(
        customer_id=created.id, customer=pb.CustomerInput(name="Acme AG"), version=1
    )
    async with EventLog(kafka_bootstrap, [events.CustomerChanged], ns) as log:
        updated = (await stub.UpdateCustomer(renamed, metadata=SALES)).customer
        ((envelope, changed),) = await log.wait_for(created.id)
    # what the update left out stays: the limit, the terms, the contacts, the address
    assert (updated.name, updated.version, updated.updated_by) == ("Acme AG", 2, "sam")
    assert (updated.credit_limit, updated.payment_terms) == (
        created.credit_limit,
        created.payment_terms,
    )
    assert (updated.contacts, updated.billing_address) == (
        created.contacts,
        created.billing_address,
    )
    assert envelope.type == "oms.orders.CustomerChanged.v1"
    assert isinstance(changed, events.CustomerChanged)
    assert (changed.customer.name, changed.customer.credit_limit.amount) == ("Acme AG", "5000.00")

    # a mask names what to replace, so a field it names and leaves out is cleared
    cleared = pb.UpdateCustomerRequest(
        customer_id=created.id,
        customer=pb.CustomerInput(currency="CHF"),
        update_mask=FieldMask(paths=["currency", "credit_limit", "contacts", "billing_address"]),
    )
    updated = (await stub.UpdateCustomer(cleared, metadata=FINANCE)).customer
    assert (updated.currency, updated.name, updated.HasField("credit_limit")) == (
        "CHF",
        "Acme AG",
        False,
    )
    assert (list(updated.contacts), updated.HasField("billing_address")) == ([], False)

    unknown = pb.UpdateCustomerRequest(
        customer_id=created.id, update_mask=FieldMask(paths=["credit_limit.amount"])
    )
    stale = pb.UpdateCustomerRequest(customer_id=created.id, customer=renamed.customer, version=1)
    for request, code, field in (
        (unknown, grpc.StatusCode.INVALID_ARGUMENT, ["update_mask"]),
        (stale, grpc.StatusCode.FAILED_PRECONDITION, []),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.UpdateCustomer(request, metadata=FINANCE)
        assert refused.value.code() == code
        assert [v.field for v in violations_of(refused.value)] == field
    for missing in (
        stub.GetCustomer(pb.GetCustomerRequest(customer_id="nobody")),
        stub.UpdateCustomer(
            pb.UpdateCustomerRequest(customer_id="nobody", customer=renamed.customer),
            metadata=SALES,
        ),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as not_found:
            await missing
        assert not_found.value.code() == grpc.StatusCode.NOT_FOUND


async def test_only_finance_sets_credit_limits_and_terms_and_the_log_keeps_each_change(
    customers: Env,
) -> None:
    stub, _, _, channel = customers
    with_limit = pb.CreateCustomerRequest(customer=an_account())
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.CreateCustomer(with_limit, metadata=SALES)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert [v.field for v in violations_of(refused.value)] == ["credit_limit"]
    opened = (
        await stub.CreateCustomer(
            pb.CreateCustomerRequest(customer=an_account(credit_limit=None)), metadata=SALES
        )
    ).customer
    assert (opened.HasField("credit_limit"), opened.payment_terms) == (False, "30 days net")

    def change(**fields: object) -> pb.UpdateCustomerRequest:
        return pb.UpdateCustomerRequest(
            customer_id=opened.id,
            customer=pb.CustomerInput(**fields),  # type: ignore[arg-type]
        )

    raise_limit = change(credit_limit=MoneyMessage(amount="900.00", currency="EUR"))
    for request, field in (
        (raise_limit, "credit_limit"),
        (change(payment_terms="365 days net"), "payment_terms"),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as denied:
            await stub.UpdateCustomer(request, metadata=SALES)
        assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
        assert [v.field for v in violations_of(denied.value)] == [field]
    raised = (await stub.UpdateCustomer(raise_limit, metadata=FINANCE)).customer
    assert (raised.credit_limit.amount, raised.version) == ("900.00", 2)

    audit = audit_pb2_grpc.AuditServiceStub(channel)
    log = await audit.ListAuditEntries(
        audit_pb2.ListAuditEntriesRequest(entity_type="customer", entity_id=opened.id),
        metadata=FINANCE,
    )
    newest, first = log.entries
    assert (first.action, first.actor, newest.action, newest.actor) == (
        "created",
        "sam",
        "changed",
        "fiona",
    )
    assert json.loads(newest.before_json) == {"credit_limit": None}
    assert json.loads(newest.after_json) == {"credit_limit": "900.00 EUR"}


async def test_a_channel_registers_a_guest_buyer(customers: Env) -> None:
    stub, _, _, _ = customers
    guest = pb.CustomerInput(name="Jo Shopper", kind="guest", currency="EUR", email="jo@x.example")
    created = (
        await stub.CreateCustomer(pb.CreateCustomerRequest(customer=guest), metadata=SALES)
    ).customer
    assert (created.kind, created.HasField("credit_limit")) == ("guest", False)


async def test_customers_are_listed_by_name_filtered_and_paged_with_a_cursor(
    customers: Env,
) -> None:
    stub, _, _, _ = customers
    names = ["Beta & Co", "alpha tools", "Alpha Works", "Gamma 100% Ltd", "Alphabet", "Delta"]
    for i, name in enumerate(names):
        group = "retail" if i % 2 else "wholesale"
        request = pb.CreateCustomerRequest(customer=an_account(name, group))
        await stub.CreateCustomer(request, metadata=FINANCE)

    async def everything(**filters: object) -> list[list[str]]:
        pages, token = [], ""
        while True:
            reply = await stub.ListCustomers(
                pb.ListCustomersRequest(page_size=2, page_token=token, **filters)  # type: ignore[arg-type]
            )
            pages.append([c.name for c in reply.customers])
            token = reply.next_page_token
            if not token:
                return pages

    # PostgreSQL sorts by the database's collation; the pages follow it without gaps or repeats.
    pages = await everything()
    assert [len(p) for p in pages] == [2, 2, 2]
    assert sorted(n for p in pages for n in p) == sorted(names)
    assert [n for p in await everything(name_prefix="ALPHA") for n in p] == [
        n for p in pages for n in p if n.lower().startswith("alpha")
    ]
    assert await everything(name_contains="100%") == [["Gamma 100% Ltd"]]
    assert await everything(name_contains="0_") == [[]]  # a wildcard is taken literally
    retail = [n for p in await everything(customer_group="retail") for n in p]
    assert sorted(retail) == sorted(["alpha tools", "Gamma 100% Ltd", "Delta"])

    for listing, field in (
        (pb.ListCustomersRequest(page_token="garbage"), "page_token"),
        (pb.ListCustomersRequest(page_size=201), "page_size"),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.ListCustomers(listing)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert [v.field for v in violations_of(refused.value)] == [field]


async def test_billings_balances_in_every_currency_feed_the_credit_position(
    customers: Env, kafka_bootstrap: str
) -> None:
    stub, ns, url, _ = customers
    created = (
        await stub.CreateCustomer(pb.CreateCustomerRequest(customer=an_account()), metadata=FINANCE)
    ).customer
    assert await _position(url, created.id) == CreditPosition(Money(Decimal("5000.00"), "EUR"))

    def balance(amount: str, currency: str) -> billing_pb2.CustomerBalanceChanged:
        return billing_pb2.CustomerBalanceChanged(
            customer_id=created.id, open_balance=MoneyMessage(amount=amount, currency=currency)
        )

    for event in (balance("120.00", "EUR"), balance("999.00", "USD"), balance("1250.50", "EUR")):
        await publish(kafka_bootstrap, event, key=created.id, namespace=ns)
    expected = CreditPosition(
        Money(Decimal("5000.00"), "EUR"),
        (Money(Decimal("1250.50"), "EUR"), Money(Decimal("999.00"), "USD")),
    )
    for _ in range(150):
        if await _position(url, created.id) == expected:
            break
        await asyncio.sleep(0.1)
    assert await _position(url, created.id) == expected

    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT currency, open_balance FROM customer_balances"
                    " WHERE customer_id = :id ORDER BY currency"
                ),
                {"id": created.id},
            )
            assert [tuple(r) for r in rows] == [
                ("EUR", Decimal("1250.500000")),
                ("USD", Decimal("999.000000")),
            ]
    finally:
        await engine.dispose()


async def test_bad_accounts_are_refused_field_by_field_and_nothing_is_stored(
    customers: Env,
) -> None:
    stub, _, url, _ = customers
    cases = [
        (an_account(name=" ", kind="robot"), ["name", "kind"]),
        (
            an_account(
                currency="USD",
                email="nope",
                credit_limit=MoneyMessage(amount="-1", currency="EUR"),
            ),
            ["email", "credit_limit.amount", "credit_limit.currency"],
        ),
        (
            an_account(
                contacts=[pb.CustomerContact(name="", email="x@", phone="call me")],
                shipping_address=pb.CustomerAddress(line1="Street 1", city="", country="Germany"),
            ),
            [
                "contacts[0].name",
                "contacts[0].email",
                "contacts[0].phone",
                "shipping_address.city",
                "shipping_address.country",
            ],
        ),
    ]
    for account, fields in cases:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.CreateCustomer(pb.CreateCustomerRequest(customer=account), metadata=SALES)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert [v.field for v in violations_of(refused.value)] == fields

    created = (
        await stub.CreateCustomer(pb.CreateCustomerRequest(customer=an_account()), metadata=FINANCE)
    ).customer
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.UpdateCustomer(
            pb.UpdateCustomerRequest(customer_id=created.id, customer=an_account(currency="XYZ")),
            metadata=SALES,
        )
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in violations_of(refused.value)] == [
        "currency",
        "credit_limit.currency",
    ]

    listed = (await stub.ListCustomers(pb.ListCustomersRequest())).customers
    assert [(c.id, c.version) for c in listed] == [(created.id, 1)]
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            written = await connection.scalar(
                text("SELECT count(*) FROM outbox WHERE event_type LIKE 'oms.orders.Customer%'")
            )
    finally:
        await engine.dispose()
    assert written == 1  # the one good account's CustomerRegistered
