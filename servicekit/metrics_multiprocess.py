"""gunicorn hooks for prometheus-client's multiprocess mode: one fresh metrics folder per web process tree.

Each gunicorn worker writes its metric values to files in PROMETHEUS_MULTIPROC_DIR; a scrape,
answered by whichever worker gets it, sums every file. So the folder must
- exist before any worker imports prometheus_client (the library picks its mode at import),
- belong to this master alone: two process trees sharing one would add each other's counts,
  and files left by an earlier run would be counted again. An inherited
  PROMETHEUS_MULTIPROC_DIR is therefore replaced, never reused,
- drop a dead worker's live gauges (child_exit), and disappear with the master (on_exit).

Nothing here imports prometheus_client at module level: the master loads this file with its
configuration, before the folder exists.
"""
from __future__ import annotations

import os
import shutil
import tempfile

ENV = "PROMETHEUS_MULTIPROC_DIR"
_OWNER = "ERDM_METRICS_DIR_OWNER"  # the pid of the master that made the folder

_state: dict[str, object] = {"server": None}


def prepare_directory() -> str:
    """Create this master's metrics folder (under TMPDIR) and export it to the workers it will fork.

    Called when the gunicorn configuration is loaded, which gunicorn does again on SIGHUP in the
    same master: the folder it already made is kept then.
    """
    if os.environ.get(_OWNER) == str(os.getpid()) and os.path.isdir(os.environ.get(ENV, "")):
        return os.environ[ENV]
    path = tempfile.mkdtemp(prefix="erdm-metrics-")
    os.environ[ENV] = path
    os.environ[_OWNER] = str(os.getpid())
    return path


def when_ready(server) -> None:
    """With ERDM_METRICS_PORT set, the master also serves the summed metrics on a port of its own.

    The gateway's way out: its public port answers no /metrics (API clients have no business
    reading the bureau's traffic figures), so Prometheus scrapes this port instead.
    """
    from servicekit.metrics import serve_process_metrics

    _state["server"] = serve_process_metrics(server.proc_name)


def post_fork(server, worker) -> None:
    # A forked worker inherits the master's metrics socket; it never serves it, so let it go.
    listener = _state.get("server")
    if listener is not None:
        listener.socket.close()


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    path = os.environ.get(ENV)
    if path and os.environ.get(_OWNER) == str(os.getpid()):
        shutil.rmtree(path, ignore_errors=True)
