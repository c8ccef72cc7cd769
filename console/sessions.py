"""Server-side sessions (Flask-Session): the browser holds only a random id in an HttpOnly, SameSite=Lax cookie;
the gateway's session token and the person's name stay here.

One host (`make run`): files under the data folder, shared by every console process. Several hosts: Redis
(`ERDM_CONSOLE_SESSION_URL=redis://…`), the store the deployment already runs for the rate limit.
"""
from __future__ import annotations

import datetime as dt

from cachelib.file import FileSystemCache
from flask import Flask
from flask_session import Session

from console.settings import ConsoleSettings

COOKIE_NAME = "erdm_console"
# The gateway ends a session token after 12 hours at most; the console's record of it need not outlive that.
LIFETIME = dt.timedelta(hours=12)


def install(app: Flask, settings: ConsoleSettings) -> None:
    app.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookie_secure,
        PERMANENT_SESSION_LIFETIME=LIFETIME,
        SESSION_PERMANENT=False,  # a browser cookie: gone when the browser closes
        SESSION_KEY_PREFIX="erdm-console:",
    )
    if settings.session_store_url.startswith(("redis://", "rediss://")):
        from redis import Redis

        app.config.update(SESSION_TYPE="redis", SESSION_REDIS=Redis.from_url(settings.session_store_url))
    else:
        settings.session_folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        app.config.update(SESSION_TYPE="cachelib",
                          SESSION_CACHELIB=FileSystemCache(str(settings.session_folder), threshold=10000,
                                                           default_timeout=int(LIFETIME.total_seconds()),
                                                           mode=0o600))
    Session(app)
