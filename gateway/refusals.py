"""The gateway's refusals without HTTP, and the one table that turns them into statuses at its edge."""
from __future__ import annotations

from flask import Response

from servicekit.errors import DEFAULT_STATUS, DomainError, InvalidInput, status_for
from servicekit.problems import problem


class OutsideScope(DomainError):
    """The caller may not act for that organisation: it lies outside the caller's scope (403)."""


class Unchangeable(DomainError):
    """A field that is fixed once written (an organisation's parent or code) was given a new value (409)."""


class SignInRefused(DomainError):
    """A sign-in whose username or password is wrong, or whose person is deactivated: the same 401 for all."""

    headers = {"WWW-Authenticate": "Bearer"}


class SignInLocked(DomainError):
    """Too many failed sign-ins for one username lately (429 with Retry-After)."""

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": str(retry_after)}


STATUS: dict[type[DomainError], int] = {**DEFAULT_STATUS, OutsideScope: 403, Unchangeable: 409, SignInRefused: 401,
                                        SignInLocked: 429}


def answer(error: DomainError) -> Response:
    """The problem+json answer of a refusal."""
    errors = error.errors if isinstance(error, InvalidInput) else None
    return problem(status_for(error, STATUS), error.detail, title=error.title, errors=errors,
                   headers=getattr(error, "headers", None), **error.extra)


def guessing_refused(limit: str, retry_after: int) -> Response:
    """The 429 of a client address that has spent its failed authentications (gateway/throttle.py)."""
    return problem(429, f"too many failed authentications from this address (at most {limit}); "
                        f"retry in {retry_after} s", headers={"Retry-After": str(retry_after)})
