"""Starting and always stopping what the bench runs: the real stack (`python -m erdm run`) and the bare app."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from bench import bare_app as bare_app_module
from erdm.proctree import SHELL_SETTINGS, free_port_block, stop_tree

REPO = Path(__file__).resolve().parents[1]
GUNICORN_CONFIG = "python:erdm.gunicorn_conf"  # the stack's own gunicorn settings
ADMIN_KEY = "bench-admin-key-0123456789abcdef"
ADMIN_PASSWORD = "bench-admin-password-0123"  # the user `admin` that `erdm run` makes: the console signs in as it
INTERNAL_SECRET = "bench-internal-secret-0123456789abcdef"


def stack_env(data_dir: Path, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SHELL_SETTINGS}
    env.update({"ERDM_PORT": str(port), "ERDM_DATA_DIR": str(data_dir), "ERDM_ADMIN_KEY": ADMIN_KEY,
                "ERDM_ADMIN_PASSWORD": ADMIN_PASSWORD,
                "ERDM_INTERNAL_SECRET": INTERNAL_SECRET, "ERDM_WEB_WORKERS": "2",
                "ERDM_RATE_LIMIT": "10000000/minute", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "erdm", "migrate"], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def _wait_ok(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready within {timeout} s")


@contextmanager
def stack(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """The whole stack (`python -m erdm run`); yields the gateway base URL; every process is gone afterwards."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "erdm", "run"], cwd=REPO, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{env['ERDM_PORT']}"
        try:
            _wait_ok(f"{base}/readyz", process, timeout=90)
            yield base
        finally:
            stop_tree(process, timeout=12)


@contextmanager
def bare_app(database: Path, log_path: Path, env: dict[str, str]) -> Iterator[str]:
    """bench/bare_app.py under gunicorn with the stack's config; yields its base URL."""
    bare_app_module.prepare(str(database))
    port = free_port_block(1)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, "--bind", f"127.0.0.1:{port}",
             "--name", "bench-bare", "bench.bare_app:create_app()"],
            cwd=REPO, env={**env, "BENCH_BARE_DB": str(database)}, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ok(f"{base}/ping", process, timeout=30)
            yield base
        finally:
            stop_tree(process, timeout=12)
