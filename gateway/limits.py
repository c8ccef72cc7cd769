"""The per-key rate limit (flask-limiter): counted per authenticated key, answered 429 with Retry-After."""
from __future__ import annotations

import math
import time

from flask import Flask, Response, g, request
from flask_limiter import Limiter, RequestLimit
from limits import parse_many
from limits.storage import Storage, storage_from_string

from gateway import ratestore
from servicekit.config import Settings
from servicekit.db import Database
from servicekit.problems import problem


def check_limit(text: str, setting: str = "ERDM_RATE_LIMIT") -> str:
    """`text` if it is a limit flask-limiter understands ("1200/minute", "10/second;500/hour"), else ValueError."""
    try:
        parse_many(text)
    except ValueError as exc:
        raise ValueError(f"{setting}={text!r} is not a rate limit such as '1200/minute'") from exc
    return text


def storage_options(storage_url: str, database: Database) -> dict:
    """What the storage behind `storage_url` is built with: `database://` counts in the gateway's own database."""
    return {"database": database} if storage_url.partition(":")[0] == ratestore.SCHEME else {}


def counting_storage(settings: Settings, database: Database) -> Storage:
    """The store ERDM_RATE_LIMIT_STORAGE_URL names, for counts kept beside the rate limit's (gateway/throttle.py)."""
    return storage_from_string(settings.rate_limit_storage_url,
                               **storage_options(settings.rate_limit_storage_url, database))


def _key_id() -> str:
    # Only called for requests that passed authentication (see _unauthenticated), so the actor is set.
    return g.actor.id


def _unauthenticated() -> bool:
    # /healthz, /readyz and /docs carry no key, and a refused key got its 401 before this hook ran.
    return g.get("actor") is None


def _too_many_requests(limit: RequestLimit) -> Response:
    retry_after = max(1, math.ceil(limit.window[0] - time.time()))  # reset_at rounds up a whole second more
    return problem(429, f"this key may make {limit.limit}; retry in {retry_after} s",
                   headers={"Retry-After": str(retry_after)}, limit=str(limit.limit))


def install_rate_limit(app: Flask, settings: Settings, database: Database) -> Limiter:
    """Register the limit check; call it after the authentication hook, which must run first.

    flask-limiter builds its storage from the same URL as `counting_storage`, so both count in one store.
    """
    limiter = Limiter(
        _key_id,
        app=app,
        # An application limit is one budget per key across every route, not one per endpoint.
        application_limits=[check_limit(settings.rate_limit)],
        storage_uri=settings.rate_limit_storage_url,
        storage_options=storage_options(settings.rate_limit_storage_url, database),
        # Exact "no more than N in any window", not a fixed window that allows 2N across its edge.
        strategy="moving-window",
        on_breach=_too_many_requests,
        # Unknown paths still count: every authenticated call spends the key's budget.
        request_identifier=lambda: request.endpoint or "unrouted",
        # A shared store (Redis) that is down must not take the bureau's API down with it: the
        # request goes through uncounted and the error is logged.
        swallow_errors=True,
        headers_enabled=False,  # flask-limiter would put Retry-After on every answer, not only on 429
    )
    limiter.request_filter(_unauthenticated)
    return limiter
