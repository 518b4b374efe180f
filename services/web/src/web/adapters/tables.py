"""The web service's own tables: users, their sessions, their saved views."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, String, Table, Text, func
from sqlalchemy.dialects.postgresql import JSONB

from servicekit.db import new_metadata

metadata = new_metadata()

users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("team", String(64), nullable=False, server_default=""),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # the OpenID Connect provider's issuer for people who sign in there; empty for local users
    Column("provider", String(300), nullable=False, server_default=""),
)

sessions = Table(
    "sessions",
    metadata,
    # SHA-256 of the cookie's secret: the secret itself is never stored
    Column("id_digest", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    # the provider's access token of a person signed in through it (passed to the gateway)
    Column("access_token", Text, nullable=False, server_default=""),
    Index("ix_sessions_user_id", "user_id"),
)

saved_views = Table(
    "saved_views",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id"), nullable=False),
    Column("name", String(80), nullable=False),
    Column("filters", JSONB, nullable=False),
    Index("ix_saved_views_user_id", "user_id"),
)
