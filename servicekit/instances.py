"""A service run as several web instances (ERDM_<SERVICE>_URL lists them): each call goes to the next
in turn, and to the one after when a connection is refused, which is safe for any method: the request
never left. Used by the gateway and by a service asking another one."""
from __future__ import annotations

import itertools
from typing import Callable

import httpx


class NoInstance(LookupError):
    """The service has no URL configured."""


class Instances:
    def __init__(self, base_urls: list[str]) -> None:
        self.base_urls = [url.rstrip("/") for url in base_urls]
        self._turn = itertools.count()  # next() on a count is atomic under the GIL: threads share it safely

    def in_turn(self) -> list[str]:
        """Every base URL, starting with the one whose turn it is."""
        start = next(self._turn) % len(self.base_urls) if len(self.base_urls) > 1 else 0
        return self.base_urls[start:] + self.base_urls[:start]

    def call(self, request: Callable[[str], httpx.Response], *, twice_if_alone: bool = False) -> httpx.Response:
        """`request(base_url)` on the instance whose turn it is, then on the next while connections are
        refused; the last refusal is raised. `twice_if_alone`: a lone instance may be restarting, so an
        idempotent request is tried on it once more."""
        bases = self.in_turn()
        if not bases:
            raise NoInstance()
        if len(bases) == 1 and twice_if_alone:
            bases = bases * 2
        for number, base in enumerate(bases, start=1):
            try:
                return request(base)
            except httpx.ConnectError:
                if number == len(bases):
                    raise
        raise AssertionError("unreachable")
