"""Who may call each RPC (entrypoints/access.py), as a table every role is checked against, and
who sees supplier prices: purchasing and finance do, the warehouse sees quantities and dates."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from oms.procurement.v1 import procurement_pb2
from pricing.document import DocumentGroup, DocumentLine, PricedDocument, price_document
from procurement.application.rights import sees_prices
from procurement.domain.purchase_orders import PurchaseOrder, ReceiptLine, Source, Status
from procurement.domain.reorder import ReorderRule
from procurement.entrypoints.access import ACCESS
from procurement.entrypoints.messages import order_to_proto, rule_to_proto
from servicekit.access import Access, ClientRegistry
from servicekit.auth import (
    INTERNAL_AUDIENCE,
    INTERNAL_ISSUER,
    ROLES,
    SigningKey,
    TokenVerifier,
    issue_token,
)
from servicekit.context import Principal
from servicekit.errors import PermissionDenied, ServiceError
from servicekit.tls import Peer, PeerKind

BUY, READ, PRICES = "buy", "read", "prices"
# What each RPC is: a purchasing command, a read the warehouse shares, or prices only.
KINDS = {
    "CreateSupplier": BUY,
    "UpdateSupplier": BUY,
    "GetSupplier": READ,
    "ListSuppliers": READ,
    "CreateRfq": BUY,
    "GetRfq": PRICES,
    "ListRfqs": PRICES,
    "RecordProposal": BUY,
    "CompareProposals": PRICES,
    "AwardProposal": BUY,
    "CreateContract": BUY,
    "ListContracts": PRICES,
    "CreatePurchaseOrder": BUY,
    "GetPurchaseOrder": READ,
    "ListPurchaseOrders": READ,
    "UpdatePurchaseOrder": BUY,
    "SendPurchaseOrder": BUY,
    "CancelPurchaseOrder": BUY,
    "ReducePurchaseOrderLine": BUY,
    "SetReorderRule": BUY,
    "ListReorderRules": READ,
}
ADMITTED = {
    BUY: {"purchasing", "admin"},
    READ: {"purchasing", "finance", "warehouse", "admin"},
    PRICES: {"purchasing", "finance", "admin"},
}
SERVICE = procurement_pb2.DESCRIPTOR.services_by_name["ProcurementService"]
GATEWAY = Peer(PeerKind.SERVICE, "gateway")


@pytest.fixture(scope="module")
def key() -> SigningKey:
    private = ed25519.Ed25519PrivateKey.generate()
    return SigningKey.from_pem(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


@pytest.fixture
def access(key: SigningKey, tmp_path: Path) -> Access:
    clients = tmp_path / "clients.json"
    registry = {
        "reporting": {"scopes": ["procurement:read"]},
        "stranger": {"scopes": ["orders:read"]},
    }
    clients.write_text(json.dumps({"clients": registry}))
    verifier = TokenVerifier(key.key_set(), INTERNAL_ISSUER, INTERNAL_AUDIENCE)
    return Access([ACCESS], verifier, ClientRegistry(clients, recheck_seconds=0))


def token(key: SigningKey, role: str) -> str:
    return issue_token(
        key,
        issuer=INTERNAL_ISSUER,
        audience=INTERNAL_AUDIENCE,
        subject="pat",
        roles=(role,),
        ttl_seconds=60,
    )


def test_the_table_names_every_rpc_as_this_test_does() -> None:
    assert set(KINDS) == {method.name for method in SERVICE.methods}


@pytest.mark.parametrize("rpc", sorted(KINDS))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_admitted_to_its_part_only(
    access: Access, key: SigningKey, rpc: str, role: str
) -> None:
    method = f"/{SERVICE.full_name}/{rpc}"
    if role in ADMITTED[KINDS[rpc]]:
        assert access.admit(method, GATEWAY, token(key, role)).roles == (role,)
    else:
        with pytest.raises(PermissionDenied):
            access.admit(method, GATEWAY, token(key, role))


@pytest.mark.parametrize("rpc", sorted(KINDS))
def test_internal_clients_read_with_the_scope_and_services_need_a_person(
    access: Access, rpc: str
) -> None:
    method = f"/{SERVICE.full_name}/{rpc}"
    reporting, stranger = Peer(PeerKind.CLIENT, "reporting"), Peer(PeerKind.CLIENT, "stranger")
    if KINDS[rpc] == BUY:
        with pytest.raises(PermissionDenied):
            access.admit(method, reporting, None)
    else:
        assert access.admit(method, reporting, None).roles == ("client",)
    with pytest.raises(PermissionDenied):
        access.admit(method, stranger, None)
    with pytest.raises(PermissionDenied):  # no suite service calls procurement on its own
        access.admit(method, Peer(PeerKind.SERVICE, "orders"), None)
    with pytest.raises(ServiceError):
        access.admit(method, None, None)


@pytest.mark.parametrize(
    ("roles", "sees"),
    [
        (("purchasing",), True),
        (("finance",), True),
        (("admin",), True),
        (("client",), True),
        (("warehouse",), False),
        (("warehouse", "sales"), False),
        (("warehouse", "finance"), True),
    ],
)
def test_purchasing_finance_and_read_clients_see_prices(roles: tuple[str, ...], sees: bool) -> None:
    assert sees_prices(Principal("someone", roles)) is sees


NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_without_prices_an_order_shows_quantities_and_dates_only() -> None:
    line = DocumentLine(
        line_id="l-1",
        product_id="p-1",
        sku="BOLT",
        description="",
        quantity="40",
        unit_price="0.12",
    )
    order = PurchaseOrder(
        id="po-1",
        number="PO-2026-000001",
        supplier_id="s-1",
        warehouse_id="w-1",
        currency="EUR",
        status=Status.SENT,
        document=price_document(
            PricedDocument(currency="EUR", groups=(DocumentGroup(name="Parts", lines=(line,)),))
        ),
        expected_on=date(2026, 3, 9),
        payment_terms="30 days net",
        notes="",
        source=Source.MANUAL,
        created_at=NOW,
        created_by="pat",
        updated_at=NOW,
        receipts=[ReceiptLine("r-1", "p-1", 10, "", NOW)],
    )
    full, bare = order_to_proto(order, prices=True), order_to_proto(order, prices=False)
    assert (full.total.amount, full.lines[0].unit_price.amount) == ("4.80", "0.12")
    assert not full.prices_hidden
    assert bare.prices_hidden
    assert not (bare.HasField("total"))
    assert not (bare.HasField("document"))
    assert not bare.lines[0].HasField("unit_price")
    assert bare.lines[0].price_rule == ""
    assert (bare.lines[0].quantity, bare.lines[0].received) == (40, 10)
    assert (bare.expected_on, bare.receipts[0].quantity) == ("2026-03-09", 10)

    rule = ReorderRule("p-1", "w-1", "BOLT", 5, 40, "s-1", Decimal("0.12"), "EUR", 14, NOW, "pat")
    assert rule_to_proto(rule, prices=True).unit_price.amount == "0.12"
    hidden = rule_to_proto(rule, prices=False)
    assert hidden.prices_hidden
    assert not hidden.HasField("unit_price")
    assert (hidden.minimum, hidden.maximum) == (5, 40)
