"""Prometheus metrics every ERDM process shares: HTTP requests per route, events handled, the relay, the outbox backlog.

The metric objects live here, once, at module level, as prometheus-client's multiprocess mode
requires; `/metrics` and the port of a worker or relay (ERDM_METRICS_PORT) serve them.
Under gunicorn the values of every worker process are summed from PROMETHEUS_MULTIPROC_DIR
(see servicekit/metrics_multiprocess.py).
"""
from __future__ import annotations

import logging
import os
import time
from typing import Callable, Iterable

from flask import Flask, Response, g, request
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from servicekit.db import Database, outbox_table, utcnow

log = logging.getLogger("erdm.metrics")

# Most ERDM answers take a few milliseconds: finer buckets at the low end than the library's.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# Anything else a client sends as a method is one label value, so a fuzzer cannot grow the series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "unmatched"  # no URL rule: a 404 or 405 from routing

# `service` names the app even though a scrape target is one process: tests, the flows harness
# and `make bench` run several apps in one process and must tell them apart.
HTTP_REQUESTS = Counter(
    "erdm_http_requests", "HTTP requests answered, by route (the URL rule, not the raw path) and status.",
    ["service", "method", "route", "status"])
HTTP_DURATION = Histogram(
    "erdm_http_request_duration_seconds", "Time from the first to the last request hook (the commit included).",
    ["service", "method", "route", "status"], buckets=LATENCY_BUCKETS)

EVENTS_HANDLED = Counter(
    "erdm_consumer_events_handled", "Events a worker applied and committed.", ["service", "event_type"])
EVENTS_DUPLICATE = Counter(
    "erdm_consumer_events_duplicate", "Redelivered events skipped because the inbox shows them applied.",
    ["service", "event_type"])
EVENTS_FAILED = Counter(
    "erdm_consumer_events_failed", "Failed attempts at handling an event (each retry counts once).",
    ["service", "event_type"])
EVENTS_DEAD_LETTERED = Counter(
    "erdm_consumer_events_dead_lettered", "Messages moved to the dead-letter queue (`invalid`: not an ERDM event).",
    ["service", "event_type"])
EVENT_DURATION = Histogram(
    "erdm_consumer_handle_duration_seconds", "Time to apply and commit one event (applied ones only).",
    ["service", "event_type"], buckets=LATENCY_BUCKETS)

RELAY_PUBLISHED = Counter(
    "erdm_relay_events_published", "Outbox events the broker confirmed and the relay marked sent.", ["service"])
RELAY_FAILURES = Counter(
    "erdm_relay_publish_failures", "Batches cut short by a broker failure (the rest stay pending).", ["service"])
RELAY_BATCH = Histogram(
    "erdm_relay_batch_duration_seconds", "Time to publish and mark one non-empty batch of outbox rows.",
    ["service"], buckets=LATENCY_BUCKETS)

WEBHOOK_ATTEMPTS = Counter(
    "erdm_webhook_attempts", "Webhook delivery attempts, by outcome: delivered, retry (failed, tried again later) "
    "or failed (failed, no more tries).", ["outcome"])
WEBHOOK_ATTEMPT_DURATION = Histogram(
    "erdm_webhook_attempt_duration_seconds", "Time of one webhook delivery attempt, until the receiver's answer "
    "or the failure.", ["outcome"], buckets=LATENCY_BUCKETS)


class OutboxBacklog:
    """Pending outbox rows and the age of the oldest, read from the service's database at scrape time.

    Both queries walk the partial index of pending rows, so they cost little while the relay
    keeps up. Nothing is yielded while the database is unreachable (`/readyz` says so): a
    stale or zero backlog would be a lie.
    """

    def __init__(self, database: Database, service: str) -> None:
        self.database = database
        self.service = service

    def collect(self) -> Iterable[Metric]:
        pending = outbox_table.c.published_at.is_(None)
        try:
            with self.database.session(readonly=True) as session:
                count = session.scalar(select(func.count()).select_from(outbox_table).where(pending))
                oldest = session.scalar(select(outbox_table.c.created_at).where(pending)
                                        .order_by(outbox_table.c.seq).limit(1))
        except SQLAlchemyError as exc:
            log.warning("outbox backlog not measured: %s", type(exc).__name__)
            return
        backlog = GaugeMetricFamily("erdm_outbox_pending_events", "Outbox rows not yet published.",
                                    labels=["service"])
        backlog.add_metric([self.service], count or 0)
        age = GaugeMetricFamily("erdm_outbox_oldest_pending_age_seconds",
                                "Age of the oldest unpublished outbox row (0 when none is pending).",
                                labels=["service"])
        age.add_metric([self.service], max(0.0, (utcnow() - oldest).total_seconds()) if oldest else 0.0)
        yield backlog
        yield age


class _ProcessMetrics:
    """This process's own metrics (the default registry), when there is only one process to ask."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def multiprocess_enabled() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def scrape_registry(*extra: object) -> CollectorRegistry:
    """What one scrape answers: the process tree's metrics (summed over gunicorn workers), plus `extra` collectors."""
    registry = CollectorRegistry()
    if multiprocess_enabled():
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    for collector in extra:
        registry.register(collector)
    return registry


def exposition(registry: CollectorRegistry) -> Response:
    """The registry in the text format the scraper asked for (Prometheus' text format unless it asks for OpenMetrics)."""
    encoder, content_type = choose_encoder(request.headers.get("Accept"))
    return Response(encoder(registry), content_type=content_type)


def _url_rule() -> str:
    return request.url_rule.rule if request.url_rule is not None else UNMATCHED_ROUTE


def install_http_metrics(app: Flask, *, service: str, route_label: Callable[[], str | None] | None = None) -> None:
    """Count and time every request by route and status.

    Install before any other hook: Flask runs after_request hooks last-registered-first, so
    this one runs last and times the unit of work's commit too. `route_label` lets an app name
    a route more usefully than its URL rule (the gateway's one catch-all rule).
    """

    @app.before_request
    def _start_timer() -> None:
        g.erdm_metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.pop("erdm_metrics_started", None)
        if started is None:
            return response
        route = (route_label() if route_label else None) or _url_rule()
        method = request.method if request.method in METHODS else "other"
        labels = (service, method, route, str(response.status_code))
        HTTP_REQUESTS.labels(*labels).inc()
        HTTP_DURATION.labels(*labels).observe(time.perf_counter() - started)
        return response


def install_metrics_endpoint(app: Flask, *, service: str, database: Database | None = None) -> None:
    """`GET /metrics`: like /healthz, outside /api/v1, so neither the gateway's signature nor a key is asked."""
    registry = scrape_registry(*([OutboxBacklog(database, service)] if database is not None else []))

    @app.get("/metrics", endpoint="erdm_metrics")
    def metrics() -> Response:
        return exposition(registry)


def serve_process_metrics(service: str, *, database: Database | None = None, environ=None):
    """A worker's or relay's metrics on ERDM_METRICS_HOST (default 127.0.0.1):ERDM_METRICS_PORT, if set.

    Returns the server, or None when the port is unset or cannot be had: metrics are worth a
    loud log line, not a worker that refuses to handle events.
    """
    env = os.environ if environ is None else environ
    port = env.get("ERDM_METRICS_PORT")
    if not port:
        return None
    host = env.get("ERDM_METRICS_HOST") or "127.0.0.1"
    registry = scrape_registry(*([OutboxBacklog(database, service)] if database is not None else []))
    try:
        server, _thread = start_http_server(int(port), addr=host, registry=registry)
    except (OSError, ValueError) as exc:
        log.error("metrics not served: cannot listen on %s:%s (%s)", host, port, exc)
        return None
    log.info("metrics at http://%s:%s/metrics", host, server.server_port)
    return server
