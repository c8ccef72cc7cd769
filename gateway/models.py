"""The gateway's one table: API keys, stored as a SHA-256 of the token, never the token itself."""
from __future__ import annotations

from sqlalchemy import Column, Index, MetaData, String, Table, Uuid, text

from servicekit.db import NAMING_CONVENTION, UtcDateTime

metadata = MetaData(naming_convention=NAMING_CONVENTION)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("role", String(20), nullable=False),
    # The first characters of the token: enough for an operator to tell keys apart, useless to an attacker.
    Column("prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("created_by_name", String(200), nullable=True),  # null on keys made before names were kept
    # Revoked keys are kept (who had access, and until when, is audit history), never deleted.
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("revoked_by", String(80), nullable=True),
    Column("revoked_by_name", String(200), nullable=True),
    # Two live keys with one name would make the access log ambiguous; a revoked name may be reused.
    Index("uq_api_keys_live_name", "name", unique=True,
          sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
)
