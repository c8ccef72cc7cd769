"""The gateway's refusals without HTTP, and the one table that turns them into statuses at its edge."""
from __future__ import annotations

from flask import Response

from servicekit.errors import DEFAULT_STATUS, DomainError, InvalidInput, status_for
from servicekit.problems import problem


class OutsideScope(DomainError):
    """The caller may not act for that organisation: it lies outside the caller's scope (403)."""


class Unchangeable(DomainError):
    """A field that is fixed once written (an organisation's parent or code) was given a new value (409)."""


STATUS: dict[type[DomainError], int] = {**DEFAULT_STATUS, OutsideScope: 403, Unchangeable: 409}


def answer(error: DomainError) -> Response:
    """The problem+json answer of a refusal."""
    errors = error.errors if isinstance(error, InvalidInput) else None
    return problem(status_for(error, STATUS), error.detail, title=error.title, errors=errors, **error.extra)
