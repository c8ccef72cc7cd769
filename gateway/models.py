"""The gateway's tables: the organisation directory, API keys and people's sessions (a SHA-256 of each token, never
the token), people with an argon2id hash of their password, failed sign-ins, calendar feeds (a SHA-256 of each
feed's secret token), and webhook subscriptions with their deliveries."""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)

from servicekit.db import NAMING_CONVENTION, UtcDateTime

metadata = MetaData(naming_convention=NAMING_CONVENTION)

ROOT_CODE = "ROOT"
KINDS = ("bureau", "enterprise", "custodian")
SCOPES = ("own", "subtree")
INDUSTRIES = ("mining", "hazardous_chemicals", "fireworks", "metallurgy", "rail_transit", "construction",
              "crowded_venue", "other")

orgs = Table(
    "orgs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    # Null only for the root; a parent never changes, so neither does the path below.
    Column("parent_id", Uuid, ForeignKey("orgs.id"), nullable=True, index=True),
    # The codes from the root, "/ROOT/PD/ENT-001/": a scope's reach is one prefix search on it.
    Column("path", String(1000), nullable=False, unique=True),
    Column("district", String(100), nullable=True),
    Column("industries", JSON, nullable=False, default=list),
    Column("principal", JSON, nullable=True),  # {name, title}: the head (一把手)
    Column("deputies", JSON, nullable=False, default=list),  # [{name, title}]: the deputies in charge (分管领导)
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("created_by_name", String(200), nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(80), nullable=False),
    Column("updated_by_name", String(200), nullable=True),
    # PostgreSQL answers `path LIKE '/ROOT/PD/%'` from an index only with the pattern operator class.
    Index("ix_orgs_path_prefix", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("role", String(20), nullable=False),
    # The first characters of the token: enough for an operator to tell keys apart, useless to an attacker.
    Column("prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    # The organisation the key acts for, and how far it reaches: "own" (just it) or "subtree" (it and below).
    Column("org_id", Uuid, ForeignKey("orgs.id"), nullable=False),
    Column("scope", String(10), nullable=False),
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

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("username", String(64), nullable=False),  # as typed at creation; matched without regard to case
    Column("display_name", String(100), nullable=False),
    # argon2id's encoded string (parameters, salt and hash together); never answered, never logged.
    Column("password_hash", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("org_id", Uuid, ForeignKey("orgs.id"), nullable=False, index=True),
    Column("scope", String(10), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("created_by_name", String(200), nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(80), nullable=False),
    Column("updated_by_name", String(200), nullable=True),
    Column("last_sign_in_at", UtcDateTime, nullable=True),
)
# One username whatever its case. Usernames are ASCII (user_schemas.py), so lower() folds alike everywhere.
Index("uq_users_username_lower", func.lower(users.c.username), unique=True)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime, nullable=False),  # moved at most once a minute (sessions.py)
    Column("expires_at", UtcDateTime, nullable=False),
    # Ended sessions are kept (who was signed in, until when) like revoked keys.
    Column("ended_at", UtcDateTime, nullable=True),
    Column("ended_reason", String(30), nullable=True),
)

sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    # The username as typed, folded: an unknown name counts like a known one, so a lock-out reveals nothing.
    Column("username", String(200), nullable=False),
    Column("failed_at", UtcDateTime, nullable=False),
    Index("ix_sign_in_failures_username_failed_at", "username", "failed_at"),
    Index("ix_sign_in_failures_failed_at", "failed_at"),
)

calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("plan_id", Uuid, nullable=True),  # a plan in the drills service: only its drills; null for all
    # The secret in the feed's URL is kept as its SHA-256 only, like a key's: the URL is shown once, at creation.
    Column("token_hash", String(64), nullable=False, unique=True),
    # Who made it: the feed shows what this key or person may see as of each fetch (gateway/feeds.py).
    Column("creator_kind", String(10), nullable=False),  # "key" or "user", as GET /api/v1/me answers it
    Column("creator_id", String(80), nullable=False),  # a key's or person's id; "admin" for the bootstrap key
    Column("creator_name", String(200), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # Revoked feeds are kept (which URLs existed, and until when) like revoked keys.
    Column("revoked_at", UtcDateTime, nullable=True),
    Index("ix_calendar_feeds_creator", "creator_kind", "creator_id"),
)

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("url", String(2000), nullable=False),
    Column("events", JSON, nullable=False),  # the event types it receives, as the contract names them
    # Kept as given: the notifier signs every delivery with it. Never answered, never logged.
    Column("secret", String(200), nullable=False),
    # The organisation and scope whose events it receives: its creator's, as of its creation (gateway/webhooks).
    Column("org_id", Uuid, ForeignKey("orgs.id"), nullable=False, index=True),
    Column("scope", String(10), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("created_by_name", String(200), nullable=True),
    # "key" or "user": the creator is found again as of now (gateway/creators.py) before each event is fanned out
    # and each delivery sent; one no longer live, or no longer an admin, leaves the subscription inactive.
    Column("created_by_kind", String(10), nullable=False, server_default="key"),
    # Deleted subscriptions are kept (what was sent where is history), inactive: nothing more is sent.
    Column("active", Boolean, nullable=False, default=True),
    Column("deleted_at", UtcDateTime, nullable=True),
    Column("deleted_by", String(80), nullable=True),
    Column("deleted_by_name", String(200), nullable=True),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("subscription_id", Uuid, ForeignKey("webhook_subscriptions.id"), nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("event_type", String(80), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("envelope", Text, nullable=False),  # the exact bytes (UTF-8) POSTed and signed
    Column("status", String(10), nullable=False),  # pending, delivered, failed
    # [{at, status_code, duration_ms, error}], oldest first: every attempt, one whose claim was overtaken too.
    Column("attempts", JSON, nullable=False, default=list),
    # When a sender may take it next: its retry time, or the end of a sender's claim (while it is, the claim holds:
    # deliveries.record_attempt); null once settled.
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("give_up_at", UtcDateTime, nullable=False),  # the event's time + the retry window (24 hours)
    Column("created_at", UtcDateTime, nullable=False),
    Column("settled_at", UtcDateTime, nullable=True),
    # Why it was failed without a further attempt (its creator no longer active, its subscription deleted, its
    # 24 hours over); an attempt's own error is in `attempts`.
    Column("error", String(500), nullable=True),
    # One delivery per subscription and event, however often the bus brings the event.
    UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_subscription_id_event_id"),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    Index("ix_webhook_deliveries_listing", "subscription_id", "created_at"),
)
