"""The customer master's use cases on the fakes: accounts opened and updated (credit terms are
finance's), announced and logged; read and listed as the caller may see them."""

from __future__ import annotations

import pytest

from orders.application.commands.create_customer import CreateCustomer, create_customer
from orders.application.commands.update_customer import UpdateCustomer, update_customer
from orders.application.queries.customers import get_customer, list_customers
from orders.application.retry import Retry
from orders.domain.customer_input import Address, CustomerInput, MoneyInput
from orders.domain.customers import CustomerFilter
from orders.domain.events import CustomerChanged, CustomerRegistered
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from services.orders.tests.unit.builders import DESK, FINANCE, SAM, WAREHOUSE, as_user
from services.orders.tests.unit.fakes import fake_deps

ACME = CustomerInput(
    name="Acme GmbH",
    kind="company",
    currency="EUR",
    payment_terms="30 days net",
    credit_limit=MoneyInput("5000.00", "EUR"),
    billing_address=Address("Hauptstr. 1", "Berlin", "DE"),
)


async def test_only_finance_opens_an_account_with_a_limit_and_it_is_announced() -> None:
    deps, database, _ = fake_deps()
    with as_user(SAM), pytest.raises(PermissionDenied) as refused:
        await create_customer(deps, CreateCustomer(ACME))
    assert [v.field for v in refused.value.violations] == ["credit_limit"]
    assert database.store.customers == {}
    with as_user(FINANCE):
        view = await create_customer(deps, CreateCustomer(ACME))
    customer = view.customer
    assert (customer.details.name, customer.version, customer.created_by) == ("Acme GmbH", 1, "fin")
    assert database.published() == [CustomerRegistered(customer)]
    (logged,) = database.store.audit
    assert (logged.entity_type, logged.action, logged.after["credit_limit"]) == (
        "customer",
        "created",
        "5000.00 EUR",
    )


async def test_a_retried_request_opens_one_account_and_answers_it_again() -> None:
    deps, database, _ = fake_deps()
    retry = Retry("gateway-request-1", "fingerprint-of-acme")
    with as_user(FINANCE):
        first = (await create_customer(deps, CreateCustomer(ACME, retry))).customer
        again = (await create_customer(deps, CreateCustomer(ACME, retry))).customer
        other = (await create_customer(deps, CreateCustomer(ACME))).customer
    assert again == first
    assert other.id != first.id  # without a request id each call opens an account
    assert sorted(database.store.customers) == sorted([first.id, other.id])
    assert len(database.published()) == 2


async def test_an_update_replaces_what_it_names_and_finance_keeps_the_terms() -> None:
    deps, database, _ = fake_deps()
    with as_user(FINANCE):
        created = (await create_customer(deps, CreateCustomer(ACME))).customer
    renamed = UpdateCustomer(created.id, CustomerInput("Acme AG", "", ""), ["name"], version=1)
    with as_user(SAM):
        updated = (await update_customer(deps, renamed)).customer
    assert (updated.details.name, updated.details.credit_limit, updated.version) == (
        "Acme AG",
        created.details.credit_limit,
        2,
    )
    assert database.published()[-1] == CustomerChanged(updated, before=created.details)
    last = database.store.audit[-1]
    assert (last.action, last.before, last.after) == (
        "changed",
        {"name": "Acme GmbH"},
        {"name": "Acme AG"},
    )
    refusals = [
        (renamed, SAM, FailedPrecondition),  # version 1 is gone
        (UpdateCustomer(created.id, ACME, ["payment_terms"]), DESK, None),  # the same terms
        (
            UpdateCustomer(
                created.id, CustomerInput("", "", "", payment_terms="90"), ["payment_terms"]
            ),
            SAM,
            PermissionDenied,
        ),
        (UpdateCustomer("nobody", ACME, ["name"]), SAM, NotFound),
        (
            UpdateCustomer(created.id, CustomerInput("", "", "XYZ"), ["currency"]),
            FINANCE,
            InvalidArgument,
        ),
    ]
    for command, who, error in refusals:
        with as_user(who):
            if error is None:
                await update_customer(deps, command)
                continue
            with pytest.raises(error):
                await update_customer(deps, command)


async def test_accounts_are_read_and_listed_as_the_caller_may_see_them() -> None:
    deps, _, _ = fake_deps()
    with as_user(FINANCE):
        for name in ("Beta", "Alpha", "Gamma"):
            await create_customer(
                deps,
                CreateCustomer(
                    CustomerInput(name, "company", "EUR", credit_limit=MoneyInput("1", "EUR"))
                ),
            )
    pages, token = [], ""
    with as_user(WAREHOUSE):
        while True:
            found, token = await list_customers(deps, CustomerFilter(), 2, token)
            pages.append([view.customer.details.name for view in found])
            if not token:
                break
        seen = await get_customer(deps, found[0].customer.id)
        with pytest.raises(NotFound):
            await get_customer(deps, "nobody")
        with pytest.raises(InvalidArgument) as refused:
            await list_customers(deps, CustomerFilter(name_prefix="x" * 201), 0, "")
    assert pages == [["Alpha", "Beta"], ["Gamma"]]
    assert seen.credit_hidden
    assert [v.field for v in refused.value.violations] == ["name_prefix"]
    with as_user(DESK):
        assert not (await get_customer(deps, seen.customer.id)).credit_hidden
