"""gunicorn settings for every ERDM web process (gateway and services); the bind comes from the command line.

Shipped inside the package so an installed ERDM (a wheel, the image) finds it: `gunicorn -c python:erdm.gunicorn_conf`.
"""
import os

worker_class = "gthread"
workers = int(os.environ.get("ERDM_WEB_WORKERS", "2"))
threads = int(os.environ.get("ERDM_WEB_THREADS", "4"))
# Stop within the stack's 10-second budget: finish in-flight requests for at most 5 s.
graceful_timeout = 5
timeout = 60
keepalive = 5
accesslog = None  # the gateway writes one JSON access line per request itself
errorlog = "-"
loglevel = os.environ.get("ERDM_GUNICORN_LOGLEVEL", "warning")

# prometheus-client's multiprocess mode: a fresh metrics folder per web process tree, made before
# any worker starts; the hooks keep it honest (servicekit/metrics_multiprocess.py says how).
from servicekit import metrics_multiprocess as _metrics  # noqa: E402

_metrics.prepare_directory()
when_ready = _metrics.when_ready
post_fork = _metrics.post_fork
child_exit = _metrics.child_exit
on_exit = _metrics.on_exit
