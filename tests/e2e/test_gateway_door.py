"""The real gateway process with two workers: one rate-limit budget per key, guessing throttled, no weak admin key."""
from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Iterator

import httpx
import pytest

from erdm.proctree import free_port_block
from servicekit.testing import database_factory
from tests.e2e.gatewayrun import ADMIN_KEY, REPO, gateway_env, gateway_process, redis_server

pytestmark = pytest.mark.slow


def _get(url: str, key: str) -> httpx.Response:
    # A connection of its own each time, so the kernel hands the calls to both gunicorn workers.
    return httpx.get(url, headers={"Authorization": f"Bearer {key}"}, timeout=10)


def _burst(url: str, keys: list[str]) -> list[httpx.Response]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda key: _get(url, key), keys))


STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres), pytest.param("redis", marks=pytest.mark.redis)]


@contextmanager
def counting_in(store: str, request, tmp_path, tmp_path_factory) -> Iterator[dict[str, str]]:
    """The settings that make the gateway count in `store`: its own database (SQLite as under make run, or
    PostgreSQL through psycopg under gevent), or Redis as in deploy/."""
    if store == "sqlite":
        yield {}
    elif store == "postgres":
        yield {"ERDM_GATEWAY_DATABASE_URL": database_factory("postgres", request.config, tmp_path_factory)("gateway")}
    else:
        with redis_server(tmp_path) as url:
            yield {"ERDM_RATE_LIMIT_STORAGE_URL": url}


@pytest.mark.parametrize("store", STORES)
def test_two_gateway_workers_share_one_budget_per_key(request, tmp_path, tmp_path_factory, store):
    with counting_in(store, request, tmp_path, tmp_path_factory) as settings, \
            gateway_process(tmp_path, ERDM_WEB_WORKERS="2", ERDM_RATE_LIMIT="20/minute", **settings) as base:
        answers = _burst(f"{base}/api/v1/keys", [ADMIN_KEY] * 40)
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [200] * 20 + [429] * 20, statuses
        later = _get(f"{base}/api/v1/keys", ADMIN_KEY)
        assert later.status_code == 429 and 1 <= int(later.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("store", STORES)
def test_guessing_keys_is_throttled_per_address_across_both_workers(request, tmp_path, tmp_path_factory, store):
    with counting_in(store, request, tmp_path, tmp_path_factory) as settings, \
            gateway_process(tmp_path, ERDM_WEB_WORKERS="2", ERDM_AUTH_FAILURE_LIMIT="10/minute", **settings) as base:
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
