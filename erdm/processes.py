"""Entry points of the long-running processes: a web app under gunicorn, a service's worker, an outbox relay, the
webhook notifier."""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from servicekit import bus
from servicekit.config import Settings
from servicekit.db import Database
from servicekit.logs import configure_logging
from servicekit.metrics import serve_process_metrics
from servicekit.relay import Relay
from contracts.catalogue import CONSOLE, CONSOLE_PORT_OFFSET, NOTIFIER, subscriptions
from erdm.registry import CONSOLE_WSGI_APP, GATEWAY_WSGI_APP, SERVICES, create_worker

log = logging.getLogger("erdm.process")

# Inside the package, so an installed ERDM finds them too. The services keep threads; the gateway, the
# public door, reads slow clients on an event loop (erdm/gunicorn_gateway_conf.py says why).
GUNICORN_CONFIG = "python:erdm.gunicorn_conf"
GATEWAY_GUNICORN_CONFIG = "python:erdm.gunicorn_gateway_conf"


def run_web(app: str, *, bind: str | None, instance: int | None) -> int:
    """Replace this process with gunicorn serving `app` (the gateway or a service); 2 if its settings are refused."""
    settings = Settings.from_env()
    if app == "gateway":
        from gateway.auth import check_admin_key

        try:
            check_admin_key(settings.admin_key)
        except ValueError as exc:
            print(f"erdm: the gateway will not start: {exc}", file=sys.stderr)
            return 2
        port, target, config = settings.port, GATEWAY_WSGI_APP, GATEWAY_GUNICORN_CONFIG
    elif app == CONSOLE:
        port, target, config = settings.instance_port(CONSOLE_PORT_OFFSET), CONSOLE_WSGI_APP, GUNICORN_CONFIG
    else:
        port = settings.instance_port(SERVICES[app].port_offset, (instance or 1) - 1)
        target, config = SERVICES[app].wsgi_app, GUNICORN_CONFIG
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "-c", config,
                              "--bind", bind or f"127.0.0.1:{port}", "--name", f"erdm-{app}", target])


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
    worker = create_worker(service, settings)

    def stop() -> None:
        worker.should_stop = True

    _on_termination(stop)
    serve_process_metrics(service)
    log.info("worker consuming %s", worker.queue.name)
    worker.run()
    log.info("worker stopped")


def run_relay(service: str) -> None:
    """Publish `service`'s outbox: a service's, or the gateway's (`contracts.catalogue.GATEWAY`, whose database
    holds the organisation directory's `org.changed`); either is bound to every service's subscriptions."""
    configure_logging(f"{service}-relay")
    settings = Settings.from_env()
    stop = threading.Event()
    _on_termination(stop.set)
    relay = Relay(database=Database(settings.database_url(service), pool_size=2),
                  connection=bus.connect(settings.broker_url, folder=settings.broker_folder), service=service,
                  topology=subscriptions())
    serve_process_metrics(service, database=relay.database)
    log.info("relay publishing the %s outbox", service)
    relay.run(stop)
    log.info("relay stopped")


def run_notifier() -> None:
    """The webhook notifier: consumes every event on its own queue into deliveries in the gateway's database, and
    sends them (gateway/webhooks/)."""
    from gateway.webhooks.notifier import create_notifier

    configure_logging(f"{NOTIFIER}-notifier")
    settings = Settings.from_env()
    notifier = create_notifier(settings)
    _on_termination(notifier.stop)
    serve_process_metrics(NOTIFIER)
    log.info("notifier consuming %s", notifier.worker.queue.name)
    notifier.run()
    log.info("notifier stopped")
