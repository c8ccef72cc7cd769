"""The webhook notifier process: an event worker on its own queue (every event type) that makes deliveries in the
gateway's database, and a sender beside it that sends them; `python -m erdm notifier` runs one."""
from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Callable

import httpx

from contracts.catalogue import NOTIFIER, notifier_consumes
from gateway.webhooks.config import WebhookSettings
from gateway.webhooks.fanout import fan_out
from gateway.webhooks.sender import Sender
from servicekit import bus, clock as clocks
from servicekit.config import Settings
from servicekit.consumer import EventWorker
from servicekit.db import Database

log = logging.getLogger("erdm.webhooks")


class Notifier:
    """The worker (consuming) and the sender (sending) of one process; `run()` until `stop()`."""

    def __init__(self, worker: EventWorker, sender: Sender) -> None:
        self.worker = worker
        self.sender = sender
        self._stop = threading.Event()

    def run(self) -> None:
        thread = threading.Thread(target=self.sender.run, args=(self._stop,), name="webhook-sender-loop", daemon=True)
        thread.start()
        try:
            self.worker.run()
        finally:
            self._stop.set()
            self.sender.wake.set()
            thread.join()
            self.sender.close()

    def stop(self) -> None:
        self.worker.should_stop = True
        self._stop.set()
        self.sender.wake.set()


def handlers(clock: Callable[[], dt.datetime], settings: WebhookSettings, wake: Callable[[], None] | None, *,
             bootstrap_admin: bool = False) -> dict[str, Callable[..., None]]:
    """The worker's handler table: every event type the contract declares, each fanned out alike; `wake` is
    called once a handler's deliveries are committed (the sender then sends them at once). `bootstrap_admin`:
    whether ERDM_ADMIN_KEY is configured, so that subscriptions made with it stand."""
    window = dt.timedelta(seconds=settings.retry_window_seconds)

    def handle(event, *, session) -> None:
        fan_out(event, session=session, now=clock(), window=window, wake=wake, bootstrap_admin=bootstrap_admin)

    handle.__name__ = handle.__qualname__ = "fan_out"
    return {event_type: handle for event_type in notifier_consumes()}


def create_notifier(settings: Settings, webhook_settings: WebhookSettings | None = None, *,
                    database: Database | None = None, connection=None,
                    clock: Callable[[], dt.datetime] = clocks.now,
                    transport: httpx.BaseTransport | None = None) -> Notifier:
    """The notifier over the gateway's database and the configured broker (or what a test gives)."""
    webhook_settings = webhook_settings or WebhookSettings.from_env()
    database = database or Database(settings.database_url("gateway"), pool_size=webhook_settings.senders + 2)
    bootstrap_admin = bool(settings.admin_key)
    sender = Sender(database, webhook_settings, clock=clock, transport=transport, bootstrap_admin=bootstrap_admin)
    worker = EventWorker(
        connection or bus.connect(settings.broker_url, folder=settings.broker_folder),
        service=NOTIFIER, database=database,
        handlers=handlers(clock, webhook_settings, sender.wake.set, bootstrap_admin=bootstrap_admin),
    )
    return Notifier(worker, sender)
