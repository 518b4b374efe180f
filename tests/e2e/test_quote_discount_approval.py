"""A quote with a large discount through the REST API: it waits for a sales manager of the
salesperson's team, who finds it in the list of what waits for approval; until then it cannot
be sent, and the salesperson cannot approve it themselves."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.e2e.helpers import Api, new_customer


@pytest.fixture
async def sam(gateway_url: str) -> AsyncIterator[Api]:
    api = Api(gateway_url, "e2e-sam", "sales", team="e2e-north")
    yield api
    await api.aclose()


@pytest.fixture
async def nina(gateway_url: str) -> AsyncIterator[Api]:
    api = Api(gateway_url, "e2e-nina", "sales-manager", team="e2e-north")
    yield api
    await api.aclose()


async def test_a_big_discount_is_sent_only_once_a_team_manager_approved_it(
    admin: Api, sam: Api, nina: Api
) -> None:
    line = {
        "description": "Consulting day",
        "quantity": 2,
        "unit_price": {"amount": "800.00", "currency": "EUR"},
        "discount": {"percent": "35"},
    }
    body = {
        "customer_id": await new_customer(admin, "Discount buyer"),
        "currency": "EUR",
        "groups": [{"name": "Services", "lines": [line]}],
    }
    quote = await sam.created("/quotes", body)
    assert quote["approval"] == {
        "status": "pending",
        "reason": "line 1: 35% off is above the 20% that needs approval",
        "decided_by": None,
        "decided_at": None,
        "note": None,
    }
    path = f"/quotes/{quote['id']}"

    refused = await sam.post(f"{path}/send", {})
    assert refused.status_code == 409, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["approval"]
    own = await sam.post(f"{path}/approval", {"decision": "approve"})
    assert own.status_code == 403

    waiting = (await nina.get("/quotes", approval="pending")).json()["items"]
    assert quote["id"] in {q["id"] for q in waiting}
    approved = await nina.post(f"{path}/approval", {"decision": "approve", "note": "key account"})
    assert approved.status_code == 200, approved.text
    approval = approved.json()["approval"]
    assert (approval["status"], approval["decided_by"], approval["note"]) == (
        "approved",
        "e2e-nina",
        "key account",
    )
    assert approval["decided_at"] is not None

    sent = await sam.post(f"{path}/send", {})
    assert sent.status_code == 200, sent.text
    accepted = await sam.post(f"{path}/accept", {"convert_to": "sales_order"})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
