"""The httpx client one ERDM process uses to call another: no cookies kept, no redirects followed, no proxy.

A process's one pooled client carries many people's requests (the gateway passes every browser's to the
console): a cookie jar would hand the session one answer set to the next request that carries none,
another person's. Internal calls never go through an HTTP(S)_PROXY from the environment either.
"""
from __future__ import annotations

import http.cookiejar
import os
import threading

import httpx

NO_COOKIES = http.cookiejar.DefaultCookiePolicy(allowed_domains=[])


def internal_client(**options) -> httpx.Client:
    client = httpx.Client(follow_redirects=False, trust_env=False, **options)
    client.cookies.jar.set_policy(NO_COOKIES)
    return client


class ProcessClient:
    """One pooled `internal_client(**options)` per process: made on first use, and again after a fork, so a
    preloading master never shares sockets with its workers."""

    def __init__(self, **options) -> None:
        self._options = options
        self._client: httpx.Client | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    def get(self) -> httpx.Client:
        if self._client is None or self._pid != os.getpid():
            with self._lock:
                if self._client is None or self._pid != os.getpid():
                    self._client = internal_client(**self._options)
                    self._pid = os.getpid()
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
