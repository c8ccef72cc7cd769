"""The real gateway process alone (`python -m erdm web gateway`, as make run and deploy/ start it), always stopped."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from erdm.proctree import SHELL_SETTINGS, free_port_block, stop_tree
from servicekit.testing import require_tool, wait_until

REPO = Path(__file__).resolve().parents[2]
ADMIN_KEY = "e2e-gateway-door-admin-key-0123456789"  # the gateway refuses one shorter than 32 characters


def gateway_env(workdir: Path, port: int, **settings: str) -> dict[str, str]:
    """The environment of a gateway on its own: SQLite key store under `workdir`, no service behind it."""
    env = {name: value for name, value in os.environ.items() if name not in SHELL_SETTINGS}
    env.update({"ERDM_PORT": str(port), "ERDM_DATA_DIR": str(workdir / "var"), "ERDM_ADMIN_KEY": ADMIN_KEY,
                "ERDM_INTERNAL_SECRET": "e2e-gateway-door-internal-secret", "PYTHONUNBUFFERED": "1", **settings})
    return env


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def gateway_process(workdir: Path, **settings: str) -> Iterator[str]:
    """The gateway under gunicorn with its own migrated key store; yields its base URL."""
    port = free_port_block(1)
    env = gateway_env(workdir, port, **settings)
    subprocess.run([sys.executable, "-m", "erdm", "migrate", "gateway"], cwd=REPO, env=env, check=True,
                   capture_output=True, timeout=120)
    log_path = workdir / "gateway.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "erdm", "web", "gateway"], cwd=REPO, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until(lambda: _healthy(base) or process.poll() is not None, timeout=60, interval=0.1)
            assert process.poll() is None, log_path.read_text(errors="replace")
            yield base
        finally:
            stop_tree(process)


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """A Redis of this test's own (deploy/ counts the gateway's limits in one), on 127.0.0.1; yields its URL."""
    binary = require_tool("redis-server", "Debian: apt-get install redis-server")
    port, password = free_port_block(1), "e2e-redis-password"
    with open(workdir / "redis.log", "wb") as log:
        process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--requirepass", password,
                                    "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                                   stdout=log, stderr=subprocess.STDOUT)
        url = f"redis://:{password}@127.0.0.1:{port}/0"
        try:
            wait_until(lambda: _answers(port) or process.poll() is not None, timeout=10, interval=0.05)
            assert process.poll() is None, (workdir / "redis.log").read_text(errors="replace")
            yield url
        finally:
            stop_tree(process)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
