"""The httpx client one ERDM process uses to call another: no cookies kept, no redirects followed, no proxy.

A process's one pooled client carries many people's requests (the gateway passes every browser's to the
console): a cookie jar would hand the session one answer set to the next request that carries none,
another person's. Internal calls never go through an HTTP(S)_PROXY from the environment either.
"""
from __future__ import annotations

import http.cookiejar

import httpx

NO_COOKIES = http.cookiejar.DefaultCookiePolicy(allowed_domains=[])


def internal_client(**options) -> httpx.Client:
    client = httpx.Client(follow_redirects=False, trust_env=False, **options)
    client.cookies.jar.set_policy(NO_COOKIES)
    return client
