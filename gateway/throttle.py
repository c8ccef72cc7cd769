"""Guessing keys costs time: after N failed authentications in a window, a client address gets 429 for a while.

Counted in the rate limit's storage (gateway/limits.py), so the count holds across every gateway process
and instance that shares it. The address is the peer's, or with ERDM_TRUSTED_PROXIES set the one the
trusted proxies name in X-Forwarded-For (werkzeug's ProxyFix, installed by the app).
"""
from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import Storage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import exc as sa_exc

from gateway.limits import check_limit

log = logging.getLogger("erdm.gateway.throttle")

# The storage may be a database or Redis; either failing must not turn away callers: the error is logged.
STORAGE_ERRORS = (StorageError, sa_exc.SQLAlchemyError, ConnectionError, OSError)


class FailedAuthentications:
    """The failed authentications of each client address in a moving window."""

    def __init__(self, storage: Storage, limit: str) -> None:
        limits = parse_many(check_limit(limit, "ERDM_AUTH_FAILURE_LIMIT"))
        if len(limits) != 1:
            raise ValueError(f"ERDM_AUTH_FAILURE_LIMIT={limit!r} must be one limit such as '10/minute'")
        self.limit: RateLimitItem = limits[0]
        self.window = MovingWindowRateLimiter(storage)

    def retry_after(self, address: str) -> int | None:
        """Seconds until `address` may try a key again, or None when it may now."""
        try:
            if self.window.test(self.limit, "auth-failures", address):
                return None
            return self._seconds_left(address)
        except STORAGE_ERRORS:
            log.exception("failed authentications could not be read; letting the call through")
            return None

    def count_failure(self, address: str) -> int | None:
        """Record one failure of `address`; seconds to wait if this one went past the limit, else None."""
        try:
            if self.window.hit(self.limit, "auth-failures", address):
                return None
            return self._seconds_left(address)
        except STORAGE_ERRORS:
            log.exception("a failed authentication could not be counted")
            return None

    def describe(self) -> str:
        return str(self.limit)

    def _seconds_left(self, address: str) -> int:
        reset_at, _remaining = self.window.get_window_stats(self.limit, "auth-failures", address)
        return max(1, math.ceil(reset_at - time.time()))
