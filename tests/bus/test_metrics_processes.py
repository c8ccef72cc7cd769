"""Metrics from the real processes: gunicorn's workers summed through the multiprocess folder; a relay's and a worker's own port."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx
import pytest

from erdm.proctree import free_port_block
from servicekit.testing import TEST_SECRET, database_factory, metric_samples, wait_until
from servicekit.testing import metric_value as value
from tests.bus.conftest import REPO
from tests.bus.helpers import drill_scheduled, enqueue, seed_stock

pytestmark = pytest.mark.slow


def scrape(url: str) -> dict[tuple[str, frozenset], float]:
    try:
        response = httpx.get(url, timeout=5)
    except httpx.TransportError:
        return {}
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return metric_samples(response.text)


def test_gunicorn_workers_are_summed_and_their_folder_goes_with_the_master(request, tmp_path, tmp_path_factory):
    port = free_port_block(2)
    metrics_port = port + 1
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "ERDM_RESOURCES_DATABASE_URL": database_factory("sqlite", request.config, tmp_path_factory)(
               "services.resources"),
           "ERDM_DATA_DIR": str(tmp_path), "ERDM_INTERNAL_SECRET": TEST_SECRET, "ERDM_WEB_WORKERS": "2",
           "ERDM_METRICS_PORT": str(metrics_port), "TMPDIR": str(scratch),
           # An inherited folder, shared with who knows what, is not the one gunicorn's workers use.
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    log = open(tmp_path / "web.log", "wb")
    web = subprocess.Popen([sys.executable, "-m", "erdm", "web", "resources", "--bind", f"127.0.0.1:{port}"],
                           cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    app = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: scrape(f"{app}/metrics"), timeout=30, interval=0.2)
        (folder,) = scratch.glob("erdm-metrics-*")
        healthz = {"service": "resources", "method": "GET", "route": "/healthz", "status": "200"}
        before = value(scrape(f"{app}/metrics"), "erdm_http_requests_total", **healthz)
        for _ in range(40):  # a new connection each: gunicorn spreads them over both workers
            assert httpx.get(f"{app}/healthz", timeout=5).status_code == 200
        samples = scrape(f"{app}/metrics")
        assert value(samples, "erdm_http_requests_total", **healthz) - before == 40
        assert ("erdm_outbox_pending_events", frozenset({"service": "resources"}.items())) in samples
        assert list(folder.glob("counter_*.db")), "each worker process writes its own file there"
        # The master's own port serves the same sum (the gateway's only way out).
        assert value(scrape(f"http://127.0.0.1:{metrics_port}/metrics"), "erdm_http_requests_total", **healthz) == \
            value(samples, "erdm_http_requests_total", **healthz)
        assert not list(tmp_path.glob("*.db")), "nothing written to the inherited PROMETHEUS_MULTIPROC_DIR"
    finally:
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=15)
        log.close()
    assert not list(scratch.glob("erdm-metrics-*")), (tmp_path / "web.log").read_text()


def test_a_relay_and_a_worker_serve_their_metrics_on_their_port(database, processes):
    relay_port = free_port_block(2)
    worker_port = relay_port + 1
    item_id = seed_stock(database, quantity=10)  # its stock.changed waits in the outbox
    processes.start("relay", ERDM_METRICS_PORT=str(relay_port))
    processes.start("worker", ERDM_METRICS_PORT=str(worker_port))
    resources = {"service": "resources"}

    relay = wait_until(lambda: (s := scrape(f"http://127.0.0.1:{relay_port}/metrics"))
                       and value(s, "erdm_relay_events_published_total", **resources) >= 1 and s,
                       timeout=20, interval=0.2)
    assert value(relay, "erdm_relay_batch_duration_seconds_count", **resources) >= 1
    assert ("erdm_outbox_pending_events", frozenset(resources.items())) in relay

    event = drill_scheduled(item_id, 2)
    enqueue(database, event)  # as the drills service's transaction would; this relay publishes it too
    handled = {"service": "resources", "event_type": "drill.scheduled"}
    worker = wait_until(lambda: (s := scrape(f"http://127.0.0.1:{worker_port}/metrics"))
                        and value(s, "erdm_consumer_events_handled_total", **handled) >= 1 and s,
                        timeout=20, interval=0.2)
    assert value(worker, "erdm_reservation_outcomes_total", outcome="reserved") == 1, processes.logs()
    assert value(worker, "erdm_consumer_events_dead_lettered_total", **handled) == 0
