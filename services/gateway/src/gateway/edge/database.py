"""The gateway's own tables: API keys, idempotency records, and the audit log of its changes."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, LargeBinary, String, Table
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from servicehost.packaged import alembic_ini
from servicekit.audit import audit_table
from servicekit.db import new_metadata

ALEMBIC_INI = alembic_ini("gateway")

metadata = new_metadata()

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(63), nullable=False),
    Column("roles", ARRAY(String(40)), nullable=False),
    # SHA-256 (hex) of the whole key; the key itself is never stored.
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoked_by", String(200)),
)

idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("caller", String(200), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
    # The response, once there is one: status NULL while the first request runs; body NULL
    # (with a status) when the response showed a secret and is withheld.
    Column("status", Integer),
    Column("headers", JSONB),
    Column("body", LargeBinary),
)

audit_log = audit_table(metadata)
