"""A `limits` storage in the gateway's own database: one exact count for every gateway process and instance.

The `limits` library ships memory (per process), Redis, Memcached and MongoDB storages; the embedded
default needs no server, so this one keeps the counts in the gateway's database (SQLite under make
run, PostgreSQL in deploy/). Flask-Limiter finds it by the scheme `database://` (see gateway/limits.py).

- Moving window (what the gateway uses): one row per counted call, `expires_at` = its time + the window.
  A call is let in only if fewer than `limit` unexpired rows exist for its key, and the count and the
  insert happen in one transaction that holds the key: SQLite's write lock (BEGIN IMMEDIATE), or a
  transaction-scoped advisory lock on PostgreSQL. Rows of the key that expired go in that transaction;
  rows of keys gone quiet are swept at most once a minute per process.
- Fixed window (`incr`/`get`): one counter row per key, kept for completeness of the Storage contract.
Times are the gateway hosts' clocks (time.time()); instances sharing a database must keep them in sync.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator

from limits.storage import MovingWindowSupport, Storage
from sqlalchemy import (
    BigInteger, Column, Float, Index, Integer, String, Table, bindparam, delete, func, insert, select, text,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from gateway.models import metadata
from servicekit.db import Database

SCHEME = "database"
SWEEP_EVERY_SECONDS = 60.0

rate_limit_hits = Table(
    "rate_limit_hits",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("key", String(500), nullable=False),
    Column("expires_at", Float, nullable=False),
    Index("ix_rate_limit_hits_key_expires_at", "key", "expires_at"),
    Index("ix_rate_limit_hits_expires_at", "expires_at"),
)

rate_limit_counters = Table(
    "rate_limit_counters",
    metadata,
    Column("key", String(500), primary_key=True),
    Column("value", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),
)

# Built once: a call counts on every request, and building statements costs more than running them here.
_key, _now = bindparam("key"), bindparam("now")
_drop_expired_hits = delete(rate_limit_hits).where(rate_limit_hits.c.key == _key, rate_limit_hits.c.expires_at <= _now)
_count_hits = select(func.count()).select_from(rate_limit_hits).where(rate_limit_hits.c.key == _key)
_add_hit = insert(rate_limit_hits)


class DatabaseStorage(Storage, MovingWindowSupport):
    """`database://` with `database=<servicekit.db.Database>` among the storage options."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, *, database: Database,
                 **options) -> None:
        self.database = database
        self._next_sweep = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sa_exc.SQLAlchemyError

    # --- moving window ----------------------------------------------------------------------------------------

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        self._sweep_now_and_then()
        with self._counting(key) as connection:
            now = time.time()
            connection.execute(_drop_expired_hits, {"key": key, "now": now})
            if connection.scalar(_count_hits, {"key": key}) + amount > limit:
                return False
            connection.execute(_add_hit, [{"key": key, "expires_at": now + expiry}] * amount)
            return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        with self.database.read_engine.connect() as connection:
            oldest, taken = connection.execute(
                select(func.min(rate_limit_hits.c.expires_at), func.count())
                .where(rate_limit_hits.c.key == key, rate_limit_hits.c.expires_at > now)).one()
        return (oldest - expiry, taken) if taken else (now, 0)

    # --- fixed window -----------------------------------------------------------------------------------------

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        with self._counting(key) as connection:
            now = time.time()
            row = connection.execute(select(rate_limit_counters.c.value, rate_limit_counters.c.expires_at)
                                  .where(rate_limit_counters.c.key == key)).one_or_none()
            if row is None:
                connection.execute(insert(rate_limit_counters).values(key=key, value=amount, expires_at=now + expiry))
                return amount
            value, expires_at = (row.value + amount, row.expires_at) if row.expires_at > now else (amount, now + expiry)
            connection.execute(update(rate_limit_counters).where(rate_limit_counters.c.key == key)
                            .values(value=value, expires_at=expires_at))
            return value

    def get(self, key: str) -> int:
        with self.database.read_engine.connect() as connection:
            value = connection.scalar(select(rate_limit_counters.c.value).where(
                rate_limit_counters.c.key == key, rate_limit_counters.c.expires_at > time.time()))
        return value or 0

    def get_expiry(self, key: str) -> float:
        with self.database.read_engine.connect() as connection:
            expires_at = connection.scalar(select(rate_limit_counters.c.expires_at).where(
                rate_limit_counters.c.key == key, rate_limit_counters.c.expires_at > time.time()))
        return expires_at or time.time()

    # --- housekeeping -----------------------------------------------------------------------------------------

    def check(self) -> bool:
        try:
            self.database.ping()
        except sa_exc.SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self.database.engine.begin() as connection:
            removed = connection.execute(delete(rate_limit_hits)).rowcount
            return removed + connection.execute(delete(rate_limit_counters)).rowcount

    def clear(self, key: str) -> None:
        with self._counting(key) as connection:
            connection.execute(delete(rate_limit_hits).where(rate_limit_hits.c.key == key))
            connection.execute(delete(rate_limit_counters).where(rate_limit_counters.c.key == key))

    @contextmanager
    def _counting(self, key: str) -> Iterator[Connection]:
        """A transaction that alone counts `key` until it ends.

        SQLite's writers take the write lock at BEGIN (servicekit/db.py), one at a time. PostgreSQL counts
        keys in parallel, each behind an advisory lock released at commit; a count need not survive a
        crash, so its commit does not wait for the disk (synchronous_commit off, this transaction only).
        """
        with self.database.engine.begin() as connection:
            if not self.database.is_sqlite:
                connection.execute(text("SET LOCAL synchronous_commit TO OFF"))
                connection.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})
            yield connection

    def _sweep_now_and_then(self) -> None:
        """Drop the expired rows of every key, at most once a minute per process (a key's own go as it counts)."""
        now = time.time()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_EVERY_SECONDS
        with self.database.engine.begin() as connection:
            connection.execute(delete(rate_limit_hits).where(rate_limit_hits.c.expires_at <= now))
            connection.execute(delete(rate_limit_counters).where(rate_limit_counters.c.expires_at <= now))
