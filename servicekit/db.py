"""Engines and sessions per app, portable column types (UTC timestamps, exact quantities), the kit's own tables."""
from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import sqlite3
import time
from decimal import Decimal
from typing import Any, Iterator
from contextlib import contextmanager

from sqlalchemy import (
    BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table, Text, TypeDecorator, Uuid,
    create_engine, event, text,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from servicekit.logs import process_name
from servicekit.private_files import FILE_MODE, private_file

log = logging.getLogger("erdm.db")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

QUANTITY_SCALE = 1000  # quantities carry up to 3 decimals; stored as exact integers of thousandths


def json_number(value: Decimal) -> int | float:
    """A quantity as JSON writes it: a whole number without a fraction, else the (3-decimal) float."""
    return int(value) if value == value.to_integral_value() else float(value)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UtcDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; ERDM stores only aware timestamps")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


class Quantity(TypeDecorator):
    """An exact decimal quantity with 3 places, stored as an integer count of thousandths.

    Integers keep stock arithmetic exact on SQLite (whose NUMERIC is a float) and let the
    database compare `on_hand - reserved >= :q` without rounding.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value) * QUANTITY_SCALE
        if scaled != scaled.to_integral_value():
            raise ValueError(f"quantity {value} has more than 3 decimal places")
        return int(scaled)

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / QUANTITY_SCALE).quantize(Decimal("0.001")).normalize() + Decimal(0)

    @property
    def python_type(self) -> type:
        return Decimal


# The kit's tables live in one MetaData that every service's migrations include beside its own.
kit_metadata = MetaData(naming_convention=NAMING_CONVENTION)

outbox_table = Table(
    "outbox",
    kit_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("event_type", String(80), nullable=False),
    Column("envelope", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime, nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
    Index("ix_outbox_pending", "seq", sqlite_where=text("published_at IS NULL"),
          postgresql_where=text("published_at IS NULL")),
)

inbox_table = Table(
    "inbox",
    kit_metadata,
    Column("consumer", String(80), primary_key=True),
    Column("event_id", Uuid, primary_key=True),
    Column("event_type", String(80), nullable=False),
    Column("processed_at", UtcDateTime, nullable=False),
)

idempotency_table = Table(
    "idempotency_keys",
    kit_metadata,
    Column("principal", String(80), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("method", String(10), nullable=False),
    Column("path", String(500), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("location", String(500), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

heartbeat_table = Table(
    "process_heartbeats",
    kit_metadata,
    Column("name", String(200), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("seen_at", UtcDateTime, nullable=False),
)

# One row per signed write the service accepted, kept until its signature's window ends, so a
# captured request cannot be run twice by any process of the service (servicekit/replay.py).
signature_nonces_table = Table(
    "signature_nonces",
    kit_metadata,
    Column("nonce", String(64), primary_key=True),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
)


class _WriterTurnstile:
    """Writers of one SQLite file wait their turn on a file lock, not in SQLite's busy handler.

    SQLite's busy handler sleeps in growing steps (up to 100 ms) while another writer holds the
    lock, so waiting writers oversleep and throughput collapses under concurrency. A blocking
    `flock` on a companion file wakes the next writer the moment the last one finishes. Each
    pooled connection holds its own descriptor, so threads of one process queue like processes do.
    """

    def __init__(self, database_path: str) -> None:
        self.path = database_path + ".writer-lock"

    def acquire(self, record) -> None:
        descriptor = record.info.get("turnstile")
        if descriptor is None:
            descriptor = record.info["turnstile"] = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        record.info["turnstile_held"] = True

    @property
    def wal_path(self) -> str:
        return self.path.removesuffix(".writer-lock") + "-wal"

    @staticmethod
    def release(record) -> bool:
        """Open the turnstile; True if this connection held it (it has just ended a write transaction)."""
        if record.info.pop("turnstile_held", False):
            fcntl.flock(record.info["turnstile"], fcntl.LOCK_UN)
            return True
        return False

    @staticmethod
    def close(record) -> None:
        _WriterTurnstile.release(record)
        descriptor = record.info.pop("turnstile", None)
        if descriptor is not None:
            os.close(descriptor)


def _sqlite_path(engine: Engine) -> str | None:
    database = engine.url.database
    return None if not database or database == ":memory:" else os.path.abspath(database)


# SQLite makes the -wal and -shm files with the database file's mode; the writers' lock lives beside them.
_SQLITE_COMPANIONS = ("-wal", "-shm", ".writer-lock")


def make_sqlite_file_private(url: str) -> None:
    """A SQLite database (stock, plans, people's names) is its owner's alone: the file and its companions
    0600, whatever the umask of the process that opens it. (The data folder is made 0700 by `make run`.)"""
    if not url.startswith("sqlite"):
        return
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    path = os.path.abspath(database)
    if not os.path.isdir(os.path.dirname(path)):
        return  # SQLite will refuse to open it, as it should: no folder is made for a mistyped path
    private_file(path)  # before SQLite makes it 0644
    for suffix in _SQLITE_COMPANIONS:
        if os.path.exists(path + suffix):
            os.chmod(path + suffix, FILE_MODE)


def _switch_to_wal(cursor, attempts: int = 100) -> None:
    """The first connection to a new file switches it to WAL (it stays so). SQLite refuses a second
    process switching at the same moment at once, without its busy handler ("database is locked"),
    as when a stack's processes first open a freshly migrated file: wait for the first to finish."""
    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.02)


# Copy the write-ahead log back into the database once it holds this much (SQLite's own default is ~4 MB).
WAL_CHECKPOINT_BYTES = 4 * 1024 * 1024
WAL_KEPT_BYTES = 1024 * 1024  # what a copied-back log is cut to: well under the size that asks for a checkpoint


def _checkpoint_after(dbapi_connection, wal_path: str) -> None:
    """Copy the log back once it has grown, outside any writer's turn. PASSIVE waits for nobody: a writer
    that starts meanwhile goes on, and what is left is copied after a later write."""
    try:
        if os.stat(wal_path).st_size < WAL_CHECKPOINT_BYTES:
            return
        dbapi_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    except (OSError, sqlite3.Error):
        log.warning("WAL checkpoint after a write failed; a later write tries again", exc_info=True)


def _configure_sqlite(engine: Engine, *, immediate: bool) -> None:
    turnstile = _WriterTurnstile(path) if immediate and (path := _sqlite_path(engine)) else None

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Take transaction control from pysqlite so BEGIN is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if turnstile is not None:
            # A writer never checkpoints inside its COMMIT (SQLite's default, every 1,000 pages, would copy the
            # log back while every other writer waits its turn): it does so after its turn (_checkpoint_after).
            cursor.execute("PRAGMA wal_autocheckpoint=0")
            # A log that has been copied back is cut short when the next writer starts it again, so its size
            # tells how much awaits copying.
            cursor.execute(f"PRAGMA journal_size_limit={WAL_KEPT_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # Writers take the write lock up front: one writer at a time, and no stale-snapshot
        # upgrade failures. Readers begin deferred and never block anyone in WAL mode.
        if turnstile is not None:
            turnstile.acquire(connection.connection._connection_record)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    if turnstile is None:
        return

    # The turnstile opens when the connection goes back to the pool, i.e. after COMMIT or ROLLBACK
    # has completed (the engine's own commit/rollback events fire before them).
    @event.listens_for(engine, "reset")
    def _on_reset(dbapi_connection, record, _reset_state) -> None:
        if _WriterTurnstile.release(record):
            _checkpoint_after(dbapi_connection, turnstile.wal_path)

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record) -> None:
        _WriterTurnstile.release(record)

    @event.listens_for(engine, "invalidate")
    def _on_invalidate(_dbapi_connection, record, _exception) -> None:
        _WriterTurnstile.close(record)

    @event.listens_for(engine, "close")
    def _on_close(_dbapi_connection, record) -> None:
        _WriterTurnstile.close(record)


def connection_name() -> str:
    """How this process names its PostgreSQL connections ("resources-worker-2 pid 4711"): what
    pg_stat_activity shows an operator looking at a lock wait, and how the fault tests find a process."""
    return f"{process_name()} pid {os.getpid()}"[:63]


def _name_connections(engine: Engine) -> None:
    @event.listens_for(engine, "do_connect")
    def _on_connect(_dialect, _record, _cargs, cparams) -> None:
        cparams.setdefault("application_name", connection_name())


class Database:
    """One service's database: a writer and a reader engine (the same engine except on SQLite)."""

    def __init__(self, url: str, *, pool_size: int = 5, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        options: dict[str, Any] = {"echo": echo, "future": True}
        if self.is_sqlite:
            make_sqlite_file_private(url)
            options["connect_args"] = {"timeout": 30, "check_same_thread": False}
            self.engine = create_engine(url, **options)
            _configure_sqlite(self.engine, immediate=True)
            self.read_engine = create_engine(url, **options)
            _configure_sqlite(self.read_engine, immediate=False)
        else:
            options.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
            self.engine = create_engine(url, **options)
            _name_connections(self.engine)
            self.read_engine = self.engine
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False)

    def session(self, *, readonly: bool = False) -> Session:
        return (self._reader if readonly else self._writer)()

    def listen(self, name: str, handler) -> None:
        """Attach a session event (e.g. servicekit/scope.py's filter) to every session this database makes."""
        for maker in {id(self._writer): self._writer, id(self._reader): self._reader}.values():
            event.listen(maker, name, handler)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        with self.session() as session, session.begin():
            yield session

    def ping(self) -> None:
        with self.read_engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()
