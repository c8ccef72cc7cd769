"""What the gateway makes of a service it could not ask: one table for forwarding, probes, the API description and lists.

A forwarded request answers the failure's status with its problem text; `/readyz`, the merged
API description and the readiness view name the service with the failure's short reason.
"""
from __future__ import annotations

import logging
from typing import Callable, NamedTuple

import httpx
from flask import Response

from servicekit.instances import NoInstance
from servicekit.problems import problem

log = logging.getLogger("erdm.gateway.proxy")  # the logger these lines have always come from


class Mapping(NamedTuple):
    errors: type[BaseException] | tuple[type[BaseException], ...]
    status: int  # what a forwarded request answers instead of the service
    reason: str  # why the service is missing from an answer that asked several
    detail: str  # the problem's text; `{service}` names the service


# The first row whose errors match wins: a connect timeout is a timeout, not a refused connection.
FAILURES: tuple[Mapping, ...] = (
    Mapping(NoInstance, 503, "no URL configured", "{service} service has no URL configured"),
    Mapping(httpx.ConnectError, 502, "unreachable", "{service} service unreachable"),
    # The service commits nothing after the gateway stops waiting (servicekit/deadline.py), so a retry is safe.
    Mapping(httpx.TimeoutException, 504, "timed out",
            "{service} service did not answer in time; nothing was changed, so the request may be retried"),
    Mapping((httpx.HTTPError, httpx.InvalidURL), 502, "unreachable", "{service} service failed to answer"),
)
ASKING_ERRORS = (NoInstance, httpx.HTTPError, httpx.InvalidURL)


class Unavailable(Exception):
    """A service gave no usable answer: its status for a forwarded request, its reason for a gathered one."""

    def __init__(self, service: str, *, status: int, reason: str, detail: str,
                 cause: BaseException | None = None) -> None:
        super().__init__(reason)
        self.service, self.status, self.reason, self.detail, self.cause = service, status, reason, detail, cause

    @classmethod
    def of(cls, service: str, error: BaseException) -> "Unavailable":
        """The failure `error` (raised while asking `service`) means, from the table."""
        for row in FAILURES:
            if isinstance(error, row.errors):
                return cls(service, status=row.status, reason=row.reason, detail=row.detail.format(service=service),
                           cause=error)
        raise TypeError(f"{type(error).__name__} is not a failure to reach a service") from error

    @classmethod
    def answered(cls, service: str, status_code: int) -> "Unavailable":
        """A service that answered, but not the 200 a probe or a list needs."""
        return cls.unusable(service, f"answered {status_code}")

    @classmethod
    def unusable(cls, service: str, reason: str) -> "Unavailable":
        """A service that answered something the gateway cannot read (e.g. not JSON)."""
        return cls(service, status=502, reason=reason, detail=f"{service} service {reason}")

    def problem(self) -> Response:
        """The problem+json a forwarded request answers, naming the service; a transport failure is logged."""
        if self.cause is not None and not isinstance(self.cause, NoInstance):
            log.warning("upstream failed", extra={"fields": {"service": self.service, "error": repr(self.cause)}})
        return problem(self.status, self.detail, service=self.service)


def ask(service: str, send: Callable[[], httpx.Response], *, expect_ok: bool = False) -> httpx.Response:
    """`send()`'s answer from `service`, or Unavailable; `expect_ok`: anything but 200 is Unavailable too."""
    try:
        answer = send()
    except ASKING_ERRORS as error:
        raise Unavailable.of(service, error) from None
    if expect_ok and answer.status_code != 200:
        raise Unavailable.answered(service, answer.status_code)
    return answer
