"""For running a service under gunicorn by hand (`gunicorn -c deploy/gunicorn.conf.py ...`): the settings live in
erdm/gunicorn_conf.py. The gateway has its own, with gevent workers: `gunicorn -c python:erdm.gunicorn_gateway_conf`."""
from erdm.gunicorn_conf import *  # noqa: F401,F403
