"""A worker stops when asked, even while its broker is unreachable (so `make run` never leaves one behind)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from servicekit.testing import TEST_SECRET, database_factory
from tests.bus.conftest import REPO

pytestmark = pytest.mark.slow


def test_a_worker_stops_on_sigterm_while_the_broker_is_down(request, tmp_path, tmp_path_factory):
    database_url = database_factory("sqlite", request.config, tmp_path_factory)("services.resources")
    env = {**os.environ, "ERDM_BROKER_URL": "amqp://guest:guest@127.0.0.1:1//",
           "ERDM_RESOURCES_DATABASE_URL": database_url, "ERDM_DATA_DIR": str(tmp_path),
           "ERDM_INTERNAL_SECRET": TEST_SECRET}
    worker = subprocess.Popen([sys.executable, "-m", "erdm", "worker", "resources"], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)  # long enough to be inside kombu's reconnect loop
        assert worker.poll() is None, "the worker keeps trying while the broker is down"
        started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=15)
        assert time.monotonic() - started < 15
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
