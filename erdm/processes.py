"""Entry points of the long-running processes: a service's worker and its outbox relay."""
from __future__ import annotations

import logging
import os
import signal
import threading

from servicekit import bus
from servicekit.config import Settings
from servicekit.db import Database
from servicekit.logs import configure_logging
from servicekit.metrics import serve_process_metrics
from servicekit.relay import Relay
from erdm.registry import SERVICES

log = logging.getLogger("erdm.process")


def _on_termination(stop) -> None:
    """The first SIGTERM/SIGINT asks for a clean stop; a second one ends the process at once."""
    asked = {"count": 0}

    def handle(*_args) -> None:
        asked["count"] += 1
        if asked["count"] > 1:
            os._exit(1)
        stop()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, handle)


def run_worker(service: str) -> None:
    configure_logging(f"{service}-worker")
    settings = Settings.from_env()
    worker = SERVICES[service].create_worker(settings)

    def stop() -> None:
        worker.should_stop = True

    _on_termination(stop)
    serve_process_metrics(service)
    log.info("worker consuming %s", worker.queue.name)
    worker.run()
    log.info("worker stopped")


def run_relay(service: str) -> None:
    configure_logging(f"{service}-relay")
    settings = Settings.from_env()
    stop = threading.Event()
    _on_termination(stop.set)
    relay = Relay(database=Database(settings.database_url(service), pool_size=2),
                  connection=bus.connect(settings.broker_url, folder=settings.broker_folder), service=service)
    serve_process_metrics(service, database=relay.database)
    log.info("relay publishing the %s outbox", service)
    relay.run(stop)
    log.info("relay stopped")
