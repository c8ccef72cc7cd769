"""Running `python -m erdm run` (what `make run` starts) from a test: free ports, its process tree, always stopped."""
from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from erdm.proctree import SHELL_SETTINGS, free_port_block, stop_tree
from erdm.stack import port_span
from servicekit.testing import wait_until

REPO = Path(__file__).resolve().parents[2]


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
    port = free_port_block(port_span(int(settings.get("ERDM_INSTANCES", "1"))))
    env = {**os.environ, "ERDM_PORT": str(port), "ERDM_DATA_DIR": str(workdir / "var"), "ERDM_ADMIN_KEY": admin_key,
           "ERDM_WEB_WORKERS": "1", "PYTHONUNBUFFERED": "1", **settings}
    for name in SHELL_SETTINGS:
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
        stop_tree(process)
        log.close()
