"""Running `python -m erdm run` (what `make run` starts) from a test: free ports, its process tree, always stopped."""
from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from servicekit.testing import wait_until

REPO = Path(__file__).resolve().parents[2]
# Settings a developer's shell may carry that would point the stack away from its own embedded default.
FOREIGN_SETTINGS = ("ERDM_BROKER_URL", "ERDM_RESOURCES_DATABASE_URL", "ERDM_PLANS_DATABASE_URL",
                    "ERDM_DRILLS_DATABASE_URL", "ERDM_GATEWAY_DATABASE_URL", "ERDM_INTERNAL_SECRET",
                    "ERDM_RATE_LIMIT_STORAGE_URL")


def free_port_block(size: int = 4) -> int:
    """A base port with `size` consecutive free ports (the gateway and each service)."""
    for _ in range(50):
        base, sockets = random.randint(20000, 60000), []
        try:
            for offset in range(size):
                sockets.append(socket.socket())
                sockets[-1].bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free block of ports")


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def descendants(pid: int) -> set[int]:
    found, stack = set(), [pid]
    while stack:
        for child in children(stack.pop()):
            found.add(child)
            stack.append(child)
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except FileNotFoundError:
        return ""


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def erdm_stack(workdir: Path, admin_key: str, **settings: str) -> Iterator[tuple[str, subprocess.Popen, dict]]:
    """The whole stack on the embedded default under `workdir`; yields (gateway URL, supervisor, env).

    Whatever a test does, every process of the stack is gone afterwards.
    """
    port = free_port_block()
    env = {**os.environ, "ERDM_PORT": str(port), "ERDM_DATA_DIR": str(workdir / "var"), "ERDM_ADMIN_KEY": admin_key,
           "ERDM_WEB_WORKERS": "1", "PYTHONUNBUFFERED": "1", **settings}
    for name in FOREIGN_SETTINGS:
        if name not in settings:
            env.pop(name, None)
    log_path = workdir / "stack.log"
    log = open(log_path, "wb")
    process = subprocess.Popen([sys.executable, "-m", "erdm", "run"], cwd=REPO, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: ready(base) or process.poll() is not None, timeout=90, interval=0.2)
        assert process.poll() is None, log_path.read_text()
        yield base, process, env
    finally:
        tree = descendants(process.pid)
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)  # in case a test left the supervisor stopped
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pid in tree:
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        log.close()
