"""For running gunicorn by hand (`gunicorn -c deploy/gunicorn.conf.py ...`): the settings live in erdm/gunicorn_conf.py."""
from erdm.gunicorn_conf import *  # noqa: F401,F403
