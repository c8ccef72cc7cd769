"""The event worker: applies each event once (inbox), acks after commit, retries boundedly, then dead-letters."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable, Mapping

from kombu import Connection, Producer
from kombu.message import Message
from kombu.mixins import ConsumerMixin
from sqlalchemy import exc as sa_exc

from servicekit import bus, heartbeat, inbox, metrics
from servicekit.db import Database, utcnow
from servicekit.events import EnvelopeError, Event
from servicekit.logs import current_causation_id, current_request_id

log = logging.getLogger("erdm.consumer")

Handler = Callable[..., None]  # handler(event, *, session) -> None

INVALID = "invalid"  # the event-type label of a message that is not an ERDM event

# What became of an event, in the one log line each gets (a retry is a failure that comes again).
APPLIED, DUPLICATE, FAILED, DEAD_LETTERED = "applied", "duplicate", "failed", "dead-lettered"


def _log_outcome(event: Event, outcome: str, started: float) -> None:
    milliseconds = round((time.perf_counter() - started) * 1000, 1)
    log.info("%s %s %s in %.1f ms", event.type, event.id, outcome, milliseconds, extra={"fields": {
        "event_type": event.type, "outcome": outcome, "duration_ms": milliseconds}})


@dataclass(frozen=True)
class PeriodicJob:
    """Work a worker does on a clock rather than on a message (expiry sweeps)."""

    name: str
    every_seconds: float
    run: Callable[[], None]


def _is_infrastructure_failure(exc: BaseException) -> bool:
    """A database that is unreachable is not the message's fault: retry without counting.

    Deadlocks, timeouts and constraint errors do count, so a message that always causes one still
    ends in the dead-letter queue.
    """
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection could be had
        return True
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    if exc.connection_invalidated or isinstance(exc, sa_exc.InterfaceError):
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate:
        return sqlstate[:2] in ("08", "57")  # connection exception; operator intervention (shutdown)
    # psycopg reports a refused connection without a SQLSTATE; SQLite errors are never about reachability.
    return type(exc.orig).__module__.startswith("psycopg")


class _AlreadySettled(Exception):
    """The message was requeued because a copy could not be published; do not ack it."""


def _attempts(message: Message) -> int:
    try:
        return max(0, int((message.headers or {}).get(bus.ATTEMPTS_HEADER, 0)))
    except (TypeError, ValueError):
        return 0


class EventWorker(ConsumerMixin):
    # Give up a connection attempt after a few tries so `run()` can notice a stop request;
    # ConsumerMixin then loops and tries again for as long as the worker is not stopping.
    connect_max_retries = 3
    def __init__(
        self,
        connection: Connection,
        *,
        service: str,
        database: Database,
        handlers: Mapping[str, Handler],
        jobs: tuple[PeriodicJob, ...] = (),
        max_attempts: int = 5,
        prefetch_count: int = 10,
    ) -> None:
        self.connection = connection
        self.service = service
        self.database = database
        self.handlers = dict(handlers)
        self.jobs = jobs
        self.max_attempts = max_attempts
        self.prefetch_count = prefetch_count
        self.queue = bus.service_queue(service, self.handlers)
        self._next_run = {job.name: 0.0 for job in jobs}
        self._started_at = utcnow()
        self._next_beat = 0.0
        self._publisher: Connection | None = None

    # --- kombu wiring -------------------------------------------------------------------
    def run(self, _tokens: int = 1, **kwargs) -> None:
        """Consume until stopped, surviving any broker failure (ConsumerMixin only catches some)."""
        while not self.should_stop:
            try:
                super().run(_tokens, **kwargs)
            except Exception as exc:  # noqa: BLE001 - reconnect on anything; only a stop request ends the loop
                if self.should_stop:
                    break
                log.warning("consumer loop failed (%s); reconnecting in 1s", exc)
                time.sleep(1.0)

    def get_consumers(self, Consumer, channel):
        bus.declare_topology(channel.connection.client, {self.service: tuple(self.handlers)})
        return [
            Consumer(
                queues=[self.queue],
                callbacks=[self.on_message],
                accept=["json"],
                prefetch_count=self.prefetch_count,
            )
        ]

    def on_connection_error(self, exc: Exception, interval: float) -> None:
        log.warning("broker unreachable (%s); retrying in %.1fs", exc, interval)
        if self.should_stop:
            raise exc

    def on_decode_error(self, message: Message, exc: Exception) -> None:
        # kombu's default acks and forgets; an undecodable message is kept for a human instead.
        self._dead_letter(message, f"undecodable message: {exc}", event_type=INVALID)

    def on_iteration(self) -> None:
        now = time.monotonic()
        if now >= self._next_beat:
            self._run_safely("heartbeat", lambda: heartbeat.beat(self.database, kind="worker", started_at=self._started_at))
            self._next_beat = now + 2
        for job in self.jobs:
            if now >= self._next_run[job.name]:
                self._run_safely(job.name, job.run)
                self._next_run[job.name] = now + job.every_seconds

    @staticmethod
    def _run_safely(name: str, run: Callable[[], None]) -> None:
        try:
            run()
        except Exception:  # noqa: BLE001 - a failing job must not stop message handling
            log.exception("periodic job %s failed", name)

    # --- one message --------------------------------------------------------------------
    def on_message(self, body, message: Message) -> None:
        try:
            event = Event.from_envelope(body)
        except EnvelopeError as exc:
            self._dead_letter(message, f"not an ERDM event: {exc}", event_type=INVALID)
            return
        handler = self.handlers.get(event.type)
        if handler is None:
            log.warning("no handler for %s; acking", event.type)
            message.ack()
            return
        # Log lines and the events the handler emits carry the correlation id; an event without one
        # (emitted by a sweep, not a request) starts its own chain.
        request_token = current_request_id.set(event.correlation_id or event.id)
        cause_token = current_causation_id.set(event.id)
        started = time.perf_counter()
        outcome = FAILED  # until known better: whatever escapes below failed
        try:
            applied = self._apply_once(event, handler)
        except Exception as exc:  # noqa: BLE001 - every failure is routed, none is swallowed
            outcome = self._on_failure(message, event, exc)
        else:
            if applied:
                metrics.EVENT_DURATION.labels(self.service, event.type).observe(time.perf_counter() - started)
            (metrics.EVENTS_HANDLED if applied else metrics.EVENTS_DUPLICATE).labels(self.service, event.type).inc()
            message.ack()
            outcome = APPLIED if applied else DUPLICATE
        finally:
            _log_outcome(event, outcome, started)
            current_causation_id.reset(cause_token)
            current_request_id.reset(request_token)

    def _apply_once(self, event: Event, handler: Handler) -> bool:
        """Apply `event` and record it in the inbox, in one transaction; False if it was applied before."""
        consumer = f"{self.service}-worker"
        try:
            with self.database.transaction() as session:
                if inbox.already_applied(session, event, consumer=consumer):
                    return False
                handler(event, session=session)
                inbox.record(session, event, consumer=consumer)
            return True
        except sa_exc.IntegrityError:
            # A competing worker applied the same event first: its inbox row won the race.
            if self._applied_elsewhere(event, consumer):
                return False  # a competing worker applied it first
            raise

    def _applied_elsewhere(self, event: Event, consumer: str) -> bool:
        with self.database.session(readonly=True) as session:
            return inbox.already_applied(session, event, consumer=consumer)

    def _on_failure(self, message: Message, event: Event, exc: Exception) -> str:
        """Route a failed event (requeue, retry or dead-letter) and say which outcome that is."""
        metrics.EVENTS_FAILED.labels(self.service, event.type).inc()
        if _is_infrastructure_failure(exc):
            log.warning("database unavailable while handling %s %s: %s; requeueing", event.type, event.id, exc)
            time.sleep(1.0)  # hold this consumer back instead of spinning on redelivery
            message.requeue()
            return FAILED
        attempts = _attempts(message) + 1
        log.exception("handling %s %s failed (attempt %d of %d)", event.type, event.id, attempts, self.max_attempts)
        if attempts >= self.max_attempts:
            dead = self._dead_letter(message, f"{type(exc).__name__}: {exc}", attempts=attempts, event_type=event.type)
            return DEAD_LETTERED if dead else FAILED
        time.sleep(min(0.05 * 2**attempts, 2.0))
        try:
            self._republish(message, bus.RETRY_EXCHANGE,
                            {bus.ATTEMPTS_HEADER: attempts, bus.ERROR_HEADER: str(exc)[:500]})
        except _AlreadySettled:
            return FAILED
        message.ack()
        return FAILED

    def _dead_letter(self, message: Message, reason: str, *, event_type: str, attempts: int | None = None) -> bool:
        """True once the message sits in the dead-letter queue; False if it went back to its own queue."""
        log.error("dead-lettering a message: %s", reason)
        headers = {bus.ERROR_HEADER: reason[:1000]}
        if attempts is not None:
            headers[bus.ATTEMPTS_HEADER] = attempts
        try:
            self._republish(message, bus.DEAD_LETTER_EXCHANGE, headers)
        except _AlreadySettled:
            return False
        metrics.EVENTS_DEAD_LETTERED.labels(self.service, event_type).inc()
        message.ack()
        return True

    def _republish(self, message: Message, exchange, extra_headers: dict) -> None:
        # Published before the original is acked: a crash in between yields a duplicate, which
        # the inbox absorbs, never a loss. If the broker refuses, the message goes back to the queue.
        try:
            self._publish_copy(message, exchange, extra_headers)
        except Exception:  # noqa: BLE001 - the worker must survive a broker hiccup here
            log.exception("could not republish to %s; requeueing the message", exchange.name)
            self._publisher = None  # start from a fresh connection next time
            message.requeue()
            raise _AlreadySettled() from None

    def _publish_copy(self, message: Message, exchange, extra_headers: dict) -> None:
        # A connection of its own: waiting for a publisher confirm on the consuming connection would
        # read (and re-enter on) deliveries meant for the consumer.
        if self._publisher is None:
            self._publisher = self.connection.clone()
        Producer(self._publisher).publish(
            message.body,
            exchange=exchange,
            routing_key=self.queue.name,
            headers={**(message.headers or {}), **extra_headers},
            content_type=message.content_type or "application/octet-stream",
            content_encoding=message.content_encoding or "binary",
            delivery_mode=2,
            declare=[exchange],
            retry=True,
            # The copy keeps the id it was published with: a dead letter can be traced to its outbox row.
            message_id=message.properties.get("message_id"),
        )
