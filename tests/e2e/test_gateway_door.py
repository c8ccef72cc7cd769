"""The real gateway process with two workers: one rate-limit budget per key, guessing throttled, no weak admin key."""
from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from erdm.proctree import free_port_block
from servicekit.testing import database_factory
from tests.e2e.gatewayrun import ADMIN_KEY, REPO, gateway_env, gateway_process

pytestmark = pytest.mark.slow


def _get(url: str, key: str) -> httpx.Response:
    # A connection of its own each time, so the kernel hands the calls to both gunicorn workers.
    return httpx.get(url, headers={"Authorization": f"Bearer {key}"}, timeout=10)


def _burst(url: str, keys: list[str]) -> list[httpx.Response]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda key: _get(url, key), keys))


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_gateway_workers_share_one_budget_per_key(request, tmp_path, tmp_path_factory, backend):
    # The default store, the gateway's own database: SQLite here, PostgreSQL (through psycopg under gevent) in deploy/.
    database = {} if backend == "sqlite" else {
        "ERDM_GATEWAY_DATABASE_URL": database_factory("postgres", request.config, tmp_path_factory)("gateway")}
    with gateway_process(tmp_path, ERDM_WEB_WORKERS="2", ERDM_RATE_LIMIT="20/minute", **database) as base:
        answers = _burst(f"{base}/api/v1/keys", [ADMIN_KEY] * 40)
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [200] * 20 + [429] * 20, statuses
        later = _get(f"{base}/api/v1/keys", ADMIN_KEY)
        assert later.status_code == 429 and 1 <= int(later.headers["Retry-After"]) <= 60


def test_guessing_keys_is_throttled_per_address_across_both_workers(tmp_path):
    with gateway_process(tmp_path, ERDM_WEB_WORKERS="2", ERDM_AUTH_FAILURE_LIMIT="10/minute") as base:
        guesses = [f"erdm_guess{n:04d}" for n in range(200)]
        answers = _burst(f"{base}/api/v1/items", guesses)
        statuses = [answer.status_code for answer in answers]
        assert statuses.count(401) == 10 and statuses.count(429) == 190, statuses
        refused = next(answer for answer in answers if answer.status_code == 429)
        assert refused.headers["content-type"] == "application/problem+json"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        # While throttled the address learns nothing about any key, a right one included.
        assert _get(f"{base}/api/v1/keys", ADMIN_KEY).status_code == 429
        assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200


@pytest.mark.parametrize("command", [["web", "gateway"], ["run"]])
def test_the_gateway_refuses_to_start_with_a_short_admin_key(tmp_path, command):
    env = gateway_env(tmp_path, free_port_block(1), ERDM_ADMIN_KEY="short-admin-key")
    started = subprocess.run([sys.executable, "-m", "erdm", *command], cwd=REPO, env=env, capture_output=True,
                             text=True, timeout=60)
    assert started.returncode != 0
    assert "ERDM_ADMIN_KEY" in started.stderr and "32 characters" in started.stderr, started.stderr
