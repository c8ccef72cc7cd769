"""The kombu topology, declared in one place: the events exchange, per-service queues, retries, dead letters."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from kombu import Connection, Exchange, Queue, binding

EVENTS_EXCHANGE = Exchange("erdm.events", type="topic", durable=True)
# A failed message goes back to its own queue only (not to every subscriber) through this one.
RETRY_EXCHANGE = Exchange("erdm.retry", type="direct", durable=True)
DEAD_LETTER_EXCHANGE = Exchange("erdm.dead", type="direct", durable=True)

ATTEMPTS_HEADER = "x-erdm-attempts"
ERROR_HEADER = "x-erdm-error"


def queue_name(service: str) -> str:
    return f"erdm.{service}"


def service_queue(service: str, event_types: Iterable[str]) -> Queue:
    """The durable queue a service's workers compete on, bound to each event type it handles."""
    name = queue_name(service)
    bindings = [binding(EVENTS_EXCHANGE, routing_key=event_type) for event_type in sorted(event_types)]
    bindings.append(binding(RETRY_EXCHANGE, routing_key=name))
    return Queue(name, bindings=bindings, durable=True)


def dead_letter_queue(service: str) -> Queue:
    name = queue_name(service)
    return Queue(f"{name}.dead", exchange=DEAD_LETTER_EXCHANGE, routing_key=name, durable=True)


def connect(broker_url: str, *, folder: Path | None = None) -> Connection:
    """A (lazy) connection; `filesystem://` means the embedded transport rooted at `folder`."""
    if broker_url.startswith("filesystem://"):
        from servicekit import fstransport

        root = Path(broker_url.removeprefix("filesystem://") or folder or "var/broker")
        return Connection(
            "filesystem://", transport=fstransport.Transport, transport_options=fstransport.connection_options(root)
        )
    options = {"confirm_publish": True} if broker_url.startswith(("amqp", "pyamqp")) else {}
    return Connection(broker_url, heartbeat=20, transport_options=options, connect_timeout=5)


def declare_topology(connection: Connection, services: dict[str, Iterable[str]]) -> None:
    """Declare the exchanges and, for each consuming service, its queue and dead-letter queue."""
    channel = connection.default_channel
    for exchange in (EVENTS_EXCHANGE, RETRY_EXCHANGE, DEAD_LETTER_EXCHANGE):
        exchange.bind(channel).declare()
    for service, event_types in services.items():
        service_queue(service, event_types).bind(channel).declare()
        dead_letter_queue(service).bind(channel).declare()


def broker_check(settings):
    """A callable that raises when the broker cannot be reached (for readiness probes)."""

    def check() -> None:
        if settings.broker_url.startswith("filesystem://"):
            folder = settings.broker_folder
            if not folder.is_dir():
                raise OSError(f"broker folder {folder} missing")
            return
        with connect(settings.broker_url) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)

    return check
