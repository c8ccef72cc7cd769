"""What the gateway's own views reach in the running app: its database and its clock (set by gateway/app.py)."""
from __future__ import annotations

import datetime as dt

from flask import current_app

from servicekit.db import Database


def database() -> Database:
    return current_app.extensions["erdm_gateway_db"]


def now() -> dt.datetime:
    """The gateway's clock: servicekit.clock.now, or the one a test gave create_app."""
    return current_app.extensions["erdm_clock"]()
