"""Domain errors every service raises without knowing HTTP; the edge maps them to statuses in one table."""
from __future__ import annotations

from typing import Any, Mapping


class DomainError(Exception):
    """A refusal the caller can act on; `extra` members travel into the problem body."""

    title: str | None = None

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    """The named thing does not exist."""


class Conflict(DomainError):
    """The request clashes with the current state (status, uniqueness, stock)."""


class IllegalTransition(Conflict):
    """The action is not allowed from the current status: 409 naming it, and the statuses it is allowed from."""

    title = "Illegal status transition"

    def __init__(self, action: str, current_status: str, allowed_from) -> None:
        froms = " or ".join(sorted(allowed_from))
        super().__init__(f"Cannot {action} from status {current_status!r}; only from {froms}.",
                         action=action, current_status=current_status, allowed_from=sorted(allowed_from))


class OutsideScope(DomainError):
    """The caller may not act for that organisation: it lies outside the caller's scope."""


class InvalidInput(DomainError):
    """Well-formed input a business rule rejects field by field."""

    def __init__(self, errors: Mapping[str, list[str]], detail: str = "Some fields are invalid.") -> None:
        super().__init__(detail)
        self.errors = dict(errors)


class UnsupportedMedia(InvalidInput):
    """A file (or body) of a kind the endpoint does not take: 415 naming the field."""


class FileTooLarge(InvalidInput):
    """A file past the size the endpoint takes: 413 naming the field."""


def errors_at(*entries: tuple[tuple, str]) -> dict[str, Any]:
    """Errors keyed as marshmallow nests them, so a rule's refusal reads like the schema's: each entry is a path
    and a message, `(("lines", 0, "quantity"), "Too many.")` → `{"lines": {"0": {"quantity": ["Too many."]}}}`."""
    errors: dict[str, Any] = {}
    for path, message in entries:
        *parents, leaf = (str(part) for part in path)
        node = errors
        for part in parents:
            node = node.setdefault(part, {})
        node.setdefault(leaf, []).append(message)
    return errors


# The one table from domain error to HTTP status; services extend it with their own classes.
DEFAULT_STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    InvalidInput: 422,
    UnsupportedMedia: 415,
    FileTooLarge: 413,
    OutsideScope: 403,
}


def status_for(error: DomainError, table: Mapping[type[DomainError], int] = DEFAULT_STATUS) -> int:
    for cls in type(error).__mro__:
        if cls in table:
            return table[cls]
    return 409
