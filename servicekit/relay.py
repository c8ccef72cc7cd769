"""The relay: publishes pending outbox rows with publisher confirms, marks them sent, backs off while the broker is down."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Iterable, Mapping

from kombu import Connection
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from servicekit import bus, heartbeat, metrics
from servicekit.db import Database, connection_name, outbox_table, utcnow
from servicekit.outbox import NOTIFY_CHANNEL

log = logging.getLogger("erdm.relay")

BROKER_ERRORS: tuple[type[BaseException], ...] = (OSError, ConnectionError)

# Built once: on SQLite the relay asks every 20 ms, and building the query and an ORM session for
# each ask was most of an idle relay's CPU.
PENDING = select(outbox_table).where(outbox_table.c.published_at.is_(None)).order_by(outbox_table.c.seq)


class _PollWaiter:
    """SQLite has no notifications; a pending-row check every few ms is cheap with the partial index."""

    def __init__(self, interval: float) -> None:
        self.interval = interval

    def wait(self, stop: threading.Event) -> None:
        stop.wait(self.interval)

    def close(self) -> None:
        pass


class _ListenWaiter:
    """PostgreSQL: sleep until an outbox NOTIFY (sent at commit), with a slow poll as a safety net."""

    def __init__(self, url: str, fallback: float = 1.0) -> None:
        import psycopg

        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.fallback = fallback
        self.connection = psycopg.connect(dsn, autocommit=True, application_name=connection_name())
        self.connection.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def wait(self, stop: threading.Event) -> None:
        for _ in self.connection.notifies(timeout=self.fallback, stop_after=1):
            break

    def close(self) -> None:
        self.connection.close()


class Relay:
    def __init__(self, *, database: Database, connection: Connection, topology: Mapping[str, Iterable[str]],
                 batch_size: int = 200, service: str = "unnamed") -> None:
        """`topology` is every consuming service's queue and the event types bound to it (the catalogue's
        subscriptions): declared before the first publish, so no event leaves for a queue not yet bound."""
        self.database = database
        self.topology = topology
        self.service = service  # the metrics' label
        self.connection = connection
        self.batch_size = batch_size
        self._batch = PENDING.limit(batch_size)
        self._declared = False

    def _producer(self):
        if not self._declared:
            bus.declare_topology(self.connection, self.topology)
            self._declared = True
        return self.connection.Producer()

    def _publish_one(self, producer, row: Any) -> None:
        producer.publish(
            row.envelope,
            exchange=bus.EVENTS_EXCHANGE,
            routing_key=row.event_type,
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=2,
            message_id=str(row.event_id),
            retry=False,
        )

    def publish_pending(self) -> int:
        """Publish one batch; returns how many rows were marked sent. A broker failure part-way
        still marks (and commits) what the broker confirmed, then raises."""
        started = time.perf_counter()
        if self.database.is_sqlite:
            # One relay per SQLite file: read, publish, then mark in a short write transaction.
            with self.database.read_engine.connect() as connection:
                rows = connection.execute(self._batch).all()
            sent, failure = self._publish(rows)
            if sent:
                with self.database.transaction() as session:
                    session.execute(self._mark(sent))
        else:
            # Several relays may share a PostgreSQL database: each takes rows the others have not locked.
            with self.database.transaction() as session:
                rows = session.execute(self._batch.with_for_update(skip_locked=True)).all()
                sent, failure = self._publish(rows)
                if sent:
                    session.execute(self._mark(sent))
        if rows:  # an empty poll every few milliseconds would drown the batches in the histogram
            metrics.RELAY_BATCH.labels(self.service).observe(time.perf_counter() - started)
            metrics.RELAY_PUBLISHED.labels(self.service).inc(len(sent))
        if failure is not None:
            metrics.RELAY_FAILURES.labels(self.service).inc()
            raise failure
        return len(sent)

    @staticmethod
    def _mark(seqs: list[int]):
        return update(outbox_table).where(outbox_table.c.seq.in_(seqs)).values(published_at=utcnow())

    def _publish(self, rows) -> tuple[list[int], BaseException | None]:
        """Publish rows in order until one fails; the seqs confirmed, and the failure if any."""
        if not rows:
            return [], None
        try:
            producer = self._producer()
        except Exception as exc:  # noqa: BLE001 - an unreachable broker is a failed publish like any other
            return [], exc
        sent: list[int] = []
        for row in rows:
            try:
                self._publish_one(producer, row)
            except Exception as exc:  # noqa: BLE001 - any broker failure ends the batch; the rest stay pending
                return sent, exc
            sent.append(row.seq)
        return sent, None

    def run(self, stop: threading.Event, *, poll_interval: float = 0.02) -> None:
        """Publish until `stop` is set; on any failure keep the rows and retry with capped backoff."""
        waiter = None
        backoff = 0.1
        started_at = utcnow()
        next_beat = 0.0
        while not stop.is_set():
            try:
                if time.monotonic() >= next_beat:
                    heartbeat.beat(self.database, kind="relay", started_at=started_at)
                    next_beat = time.monotonic() + 2
                if waiter is None:
                    waiter = _PollWaiter(poll_interval) if self.database.is_sqlite else _ListenWaiter(self.database.url)
                published = self.publish_pending()
                backoff = 0.1
                if published:
                    log.debug("published %d events", published)
                if published < self.batch_size:
                    waiter.wait(stop)
            except Exception as exc:  # noqa: BLE001 - the relay outlives broker and database outages
                log.warning("relay paused: %s; retrying in %.1fs", exc, backoff)
                self._reset_connection()
                if waiter is not None and not self.database.is_sqlite:
                    waiter.close()
                    waiter = None
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
        if waiter is not None:
            waiter.close()

    def _reset_connection(self) -> None:
        try:
            self.connection.release()
        except Exception:  # noqa: BLE001 - closing a dead connection may itself fail
            pass
        self.connection = self.connection.clone()
        self._declared = False
