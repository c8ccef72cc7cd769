"""gunicorn settings for the gateway, the public door: every web process's settings, with an event-loop worker.

A thread per connection (gthread, 2 workers x 4 threads) is held by a client that trickles its headers
or body, so 16 slow clients stalled /healthz. gevent's worker gives each connection a greenlet: a slow
client waits on its socket without holding anything, the app runs when a request has arrived, and the
gateway's own waiting (httpx to the services, psycopg 3 from 3.1.14 on, SQLite's short calls) yields
to the others once the worker has monkey-patched the standard library. A client gets `keepalive`
seconds to send a request's headers (gunicorn's async workers time that read out), then is dropped.
`gunicorn -c python:erdm.gunicorn_gateway_conf` (what `python -m erdm web gateway` runs).
"""
import os

from erdm.gunicorn_conf import *  # noqa: F401,F403  (workers, timeouts, logging, the metrics hooks)

worker_class = "gevent"
# Connections one worker holds at once, slow ones included; past it the kernel's backlog queues them.
worker_connections = int(os.environ.get("ERDM_GATEWAY_CONNECTIONS", "1000"))
