"""Who sees what: rows owned by an organisation, the scope rule, and the one filter every ORM read goes through.

An owned row carries its organisation's id and path ("/ROOT/PD/ENT-001/", codes from the root). Codes and
parents never change, so a path names one organisation for good, and the rule reads the path alone:
"subtree" reaches every path starting with the actor's, "own" the actor's path exactly. (Rows a migration
gave the root before the service knew the root's id carry a null `org_id` and still match.) A `Shared` row
(a requisition: asked for by one organisation, supplied by another) is seen by whoever reaches either side; an
`Addressed` row (a warning) by whoever reaches its issuer or one of the organisations it is addressed to.

`install` adds the rule to every ORM SELECT a session runs while a request's actor has a scope, with
SQLAlchemy's `with_loader_criteria`, so a new query cannot forget it. An actor without a scope (a service
calling another as itself) and work outside a request (workers, sweeps) read everything. Core statements
on tables are not ORM reads: a service applies `criterion` to those itself.
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator

from flask import g, has_request_context
from sqlalchemy import String, Uuid, false, or_, select
from sqlalchemy.orm import Mapped, ORMExecuteState, mapped_column, with_loader_criteria
from sqlalchemy.sql.elements import ColumnElement

from servicekit.signing import Actor

OWN, SUBTREE = "own", "subtree"
ROOT_PATH = "/ROOT/"
# execution_options(**ALL_SCOPES) marks a read that is system-wide on purpose (say why where it is used).
ALL_SCOPES = {"erdm_all_scopes": True}
# Set inside `lifted()`: every ORM read of the block is system-wide (a context variable, so per request).
_LIFTED: ContextVar[bool] = ContextVar("erdm_scope_lifted", default=False)


class Owned:
    """The owning organisation's id and path, on every row a caller's scope decides about."""

    # Null only on rows older than scope that the migration gave the root without knowing its id.
    org_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    org_path: Mapped[str] = mapped_column(String(1000), index=True)


class Shared:
    """A record two organisations both see: its owner's (`org_*`, who asked) and a counterpart's (who answers).

    Not an `Owned`: the owner-only rule would hide it from the counterpart. The filter gives it its own rule."""

    org_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    org_path: Mapped[str] = mapped_column(String(1000), index=True)
    counterpart_org_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    counterpart_org_path: Mapped[str] = mapped_column(String(1000), index=True)


class Addressed:
    """A record its issuer owns (`org_*`) and addresses to other organisations (a warning to its targets): seen by
    whoever reaches the issuer or any addressee. A subclass names its addressees' rows with `addressees()`:
    (the column naming this record on an Owned model's table, that model's `org_path` column)."""

    org_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    org_path: Mapped[str] = mapped_column(String(1000), index=True)

    @classmethod
    def addressees(cls) -> tuple[ColumnElement, ColumnElement]:
        raise NotImplementedError


def _addressed_kinds() -> list[type]:
    """The mapped `Addressed` classes this process has imported."""
    found, pending = [], list(Addressed.__subclasses__())
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        if hasattr(kind, "__mapper__"):
            found.append(kind)
    return found


def _addressed_rule(kind, rule: Callable[[ColumnElement], ColumnElement]):
    """The criteria for one `Addressed` class, as a plain expression (its parameters still bound per statement)."""
    naming, addressee_path = kind.addressees()
    return with_loader_criteria(kind, or_(rule(kind.org_path), kind.id.in_(select(naming).where(rule(addressee_path)))),
                                include_aliases=True)


def is_scoped(actor: Actor | None) -> bool:
    """Whether the rule applies to this actor at all (a service or a system job has no scope)."""
    return actor is not None and bool(actor.scope)


def covers(actor: Actor | None, org_path: str | None) -> bool:
    """Whether the actor reaches an organisation with this path (the same rule as `criterion`, in Python)."""
    if not is_scoped(actor):
        return True
    if not org_path or not actor.org_path:
        return False
    if actor.scope == SUBTREE:
        return org_path.startswith(actor.org_path)
    return actor.scope == OWN and org_path == actor.org_path


def _like_prefix(path: str) -> str:
    return path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def criterion(actor: Actor | None, org_path: ColumnElement) -> ColumnElement | None:
    """The rule as a WHERE clause on an `org_path` column (for Core statements); None when it does not apply."""
    if not is_scoped(actor):
        return None
    if actor.scope == SUBTREE and actor.org_path:
        return org_path.like(_like_prefix(actor.org_path), escape="\\")
    if actor.scope == OWN and actor.org_path:
        return org_path == actor.org_path
    return false()  # a scope the rule does not know, or no path: nothing, rather than everything


def loader_criteria(actor: Actor) -> tuple:
    """The `with_loader_criteria` options filtering every `Owned`, `Shared` and `Addressed` entity, its joins and
    aliases by the rule (a shared record by either of its two paths, an addressed one by its issuer's or any
    addressee's)."""
    path = actor.org_path
    if actor.scope == SUBTREE and path:
        pattern = _like_prefix(path)
        return (with_loader_criteria(Owned, lambda cls: cls.org_path.like(pattern, escape="\\"), include_aliases=True),
                with_loader_criteria(Shared, lambda cls: or_(cls.org_path.like(pattern, escape="\\"),
                                                             cls.counterpart_org_path.like(pattern, escape="\\")),
                                     include_aliases=True),
                *(_addressed_rule(kind, lambda column: column.like(pattern, escape="\\")) for kind in _addressed_kinds()))
    if actor.scope == OWN and path:
        return (with_loader_criteria(Owned, lambda cls: cls.org_path == path, include_aliases=True),
                with_loader_criteria(Shared, lambda cls: or_(cls.org_path == path, cls.counterpart_org_path == path),
                                     include_aliases=True),
                *(_addressed_rule(kind, lambda column: column == path) for kind in _addressed_kinds()))
    return (*(with_loader_criteria(kind, lambda cls: false(), include_aliases=True) for kind in (Owned, Shared)),
            *(with_loader_criteria(kind, false(), include_aliases=True) for kind in _addressed_kinds()))


@contextmanager
def lifted() -> Iterator[None]:
    """Every ORM read inside the block sees every organisation's rows: for a step whose record's own rule has
    already decided the caller may take it (a requisition's requesting side signs for stock the supplying
    organisation's depots hold). Say why where it is used, and check the record first."""
    token = _LIFTED.set(True)
    try:
        yield
    finally:
        _LIFTED.reset(token)


def request_actor() -> Actor | None:
    """The actor the gateway signed the current request for; None outside a request."""
    return g.get("actor") if has_request_context() else None


def _filter(current: Callable[[], Actor | None]):
    def add_scope(state: ORMExecuteState) -> None:
        # Relationship and deferred-column loads inherit the option from the statement that loaded their parent.
        if not state.is_select or state.is_column_load or state.is_relationship_load:
            return
        if state.execution_options.get("erdm_all_scopes") or _LIFTED.get():
            return
        actor = current()
        if is_scoped(actor):
            state.statement = state.statement.options(*loader_criteria(actor))
    return add_scope


def install(database, *, current: Callable[[], Actor | None] = request_actor) -> None:
    """Filter every ORM SELECT on the database's sessions by the current actor's scope (once per database)."""
    if getattr(database, "erdm_scope_installed", False):
        return
    database.listen("do_orm_execute", _filter(current))
    database.erdm_scope_installed = True


__all__ = ["Owned", "Shared", "Addressed", "OWN", "SUBTREE", "ROOT_PATH", "ALL_SCOPES", "is_scoped", "covers", "criterion", "lifted",
           "loader_criteria", "request_actor", "install"]
