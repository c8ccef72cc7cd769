"""A `limits` storage in the gateway's own database: one exact count for every gateway process and instance.

The `limits` library ships memory (per process), Redis, Memcached and MongoDB storages; the embedded
default needs no server, so this one keeps the counts in the gateway's database (SQLite under make
run, PostgreSQL when deployed without Redis). Flask-Limiter finds it by the scheme `database://`.

- Moving window (what the gateway uses): one row per counted call, `expires_at` = its time + the window,
  and one row per key holding how many of them are live. A call drops the key's expired calls, lets
  itself in only if fewer than `limit` remain, and records itself: one transaction that holds the key
  (SQLite's write lock, taken at BEGIN; a transaction-scoped advisory lock on PostgreSQL). Keeping the
  number beside the calls makes a call cost the same whatever the limit, instead of counting them all.
- Fixed window (`incr`/`get`): one counter row per key, for the rest of the Storage contract.
- Keys gone quiet are swept at most once a minute per process, under the same locks.
Times are the gateway hosts' clocks (time.time()); instances sharing a database must keep them in sync.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterable, Iterator

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
SWEEP_KEYS = 500  # keys gone quiet dropped per sweep; the next sweep takes the rest

rate_limit_hits = Table(
    "rate_limit_hits",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("key", String(500), nullable=False),
    Column("expires_at", Float, nullable=False),
    Index("ix_rate_limit_hits_key_expires_at", "key", "expires_at"),
)

# How many rows of rate_limit_hits a key has; `expires_at` is its newest call's, so the key is quiet after it.
rate_limit_windows = Table(
    "rate_limit_windows",
    metadata,
    Column("key", String(500), primary_key=True),
    Column("taken", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),
    Index("ix_rate_limit_windows_expires_at", "expires_at"),
)

rate_limit_counters = Table(
    "rate_limit_counters",
    metadata,
    Column("key", String(500), primary_key=True),
    Column("value", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),
    Index("ix_rate_limit_counters_expires_at", "expires_at"),
)

# Built once: a call counts on every request, and building statements costs more than running them here.
_key, _now = bindparam("key"), bindparam("now")
_drop_expired_hits = delete(rate_limit_hits).where(rate_limit_hits.c.key == _key, rate_limit_hits.c.expires_at <= _now)
_window_of = select(rate_limit_windows.c.taken, rate_limit_windows.c.expires_at).where(rate_limit_windows.c.key == _key)
_add_hit = insert(rate_limit_hits)
_new_window = insert(rate_limit_windows)
_set_window = update(rate_limit_windows).where(rate_limit_windows.c.key == bindparam("window_key"))


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
        with self._counting([key]) as connection:
            now = time.time()
            expired = connection.execute(_drop_expired_hits, {"key": key, "now": now}).rowcount
            window = connection.execute(_window_of, {"key": key}).one_or_none()
            taken = 0 if window is None else window.taken - expired
            if taken + amount > limit:
                if expired:
                    connection.execute(_set_window, {"window_key": key, "taken": taken})
                return False
            connection.execute(_add_hit, [{"key": key, "expires_at": now + expiry}] * amount)
            if window is None:
                connection.execute(_new_window, {"key": key, "taken": amount, "expires_at": now + expiry})
            else:
                connection.execute(_set_window, {"window_key": key, "taken": taken + amount, "expires_at": now + expiry})
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
        with self._counting([key]) as connection:
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
            keys = connection.execute(delete(rate_limit_windows)).rowcount
            connection.execute(delete(rate_limit_hits))
            return keys + connection.execute(delete(rate_limit_counters)).rowcount

    def clear(self, key: str) -> None:
        with self._counting([key]) as connection:
            for table in (rate_limit_hits, rate_limit_windows, rate_limit_counters):
                connection.execute(delete(table).where(table.c.key == key))

    @contextmanager
    def _counting(self, keys: Iterable[str]) -> Iterator[Connection]:
        """A transaction that alone counts `keys` until it ends.

        SQLite's writers take the write lock at BEGIN (servicekit/db.py), one at a time. PostgreSQL counts
        keys in parallel, each behind an advisory lock released at commit, taken in sorted order so two
        sweeps never wait on each other in a circle. A count need not survive a crash, so its commit does
        not wait for the disk (synchronous_commit off, this transaction only).
        """
        with self.database.engine.begin() as connection:
            if not self.database.is_sqlite:
                connection.execute(text("SET LOCAL synchronous_commit TO OFF"))
                for key in sorted(set(keys)):
                    connection.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})
            yield connection

    def _sweep_now_and_then(self) -> None:
        """Drop the keys whose every call has expired, at most once a minute per process (a key still in use
        drops its own expired calls as it counts)."""
        now = time.time()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_EVERY_SECONDS
        with self.database.read_engine.connect() as connection:
            quiet = {table: connection.scalars(select(table.c.key).where(table.c.expires_at <= now)
                                               .limit(SWEEP_KEYS)).all()
                     for table in (rate_limit_windows, rate_limit_counters)}
        if not any(quiet.values()):
            return
        with self._counting([key for keys in quiet.values() for key in keys]) as connection:
            # Checked again under the locks: a key counted meanwhile is in use again and stays.
            still_quiet = (select(rate_limit_windows.c.key)
                           .where(rate_limit_windows.c.key.in_(quiet[rate_limit_windows]),
                                  rate_limit_windows.c.expires_at <= now))
            connection.execute(delete(rate_limit_hits).where(rate_limit_hits.c.key.in_(still_quiet)))
            for table in (rate_limit_windows, rate_limit_counters):
                connection.execute(delete(table).where(table.c.key.in_(quiet[table]), table.c.expires_at <= now))
