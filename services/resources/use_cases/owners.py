"""Which organisation a new depot or reservation belongs to, and how answers name an owner.

A depot belongs to the caller's organisation unless the caller names another in its scope; the path of
another comes from the directory copy (org.changed), so one the copy has not heard of yet cannot be placed.
Everything a depot holds takes the depot's organisation (services/resources/models.py).
"""
from __future__ import annotations

import uuid
from typing import Any, Iterable, Mapping

from flask import g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit import scope
from servicekit.errors import InvalidInput, OutsideScope
from servicekit.signing import Actor
from services.resources.models import OrgDirectory

Owner = tuple  # (org_id or None, org_path)


def _directory(session: Session, *, org_id: uuid.UUID | None = None, code: str | None = None,
               path: str | None = None) -> OrgDirectory | None:
    # The directory copy is not owned: any caller may learn where an organisation sits in the tree.
    column, value = ((OrgDirectory.id, org_id) if org_id is not None else
                     (OrgDirectory.code, code) if code is not None else (OrgDirectory.path, path))
    return session.scalar(select(OrgDirectory).where(column == value))


def _code_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def _caller_owner(session: Session, actor: Actor) -> Owner:
    """The caller's own organisation; the root for a caller without one (a service, a test's admin)."""
    if actor.org_path:
        return (uuid.UUID(actor.org_id) if actor.org_id else None), actor.org_path
    root = _directory(session, path=scope.ROOT_PATH)
    return (root.id if root else None), scope.ROOT_PATH


def owner_for_new_depot(data: Mapping[str, Any], *, session: Session, actor: Actor) -> Owner:
    """The organisation a depot is created for: `org_id`/`org_code` if given and in scope, else the caller's.

    403 for an organisation outside the caller's scope; 422 naming the field for one the directory copy does
    not know yet (org.changed has not arrived: a moment later it will have).
    """
    org_id, org_code = data.get("org_id"), data.get("org_code")
    if org_id is None and org_code is None:
        return _caller_owner(session, actor)
    field, value = ("org_id", org_id) if org_id is not None else ("org_code", org_code)
    if actor.org_path and (str(org_id) == actor.org_id if org_id is not None else org_code == _code_of(actor.org_path)):
        return _caller_owner(session, actor)
    found = _directory(session, org_id=org_id, code=None if org_id is not None else org_code)
    if found is None:
        raise InvalidInput({field: [f"Organisation {value} is not known yet; retry in a moment."]})
    if org_id is not None and org_code is not None and found.code != org_code:
        raise InvalidInput({"org_code": [f"Names another organisation than org_id ({found.code})."]})
    if not scope.covers(actor, found.path):
        raise OutsideScope(f"Organisation {found.code} ({found.name}) lies outside your scope "
                           f"({actor.scope} of {actor.org_path}); a depot can be created only for an organisation "
                           "within it.", field=field)
    return found.id, found.path


def common_owner(session: Session, paths: Iterable[str]) -> Owner:
    """The nearest organisation above every one of these paths (what a reservation across depots belongs to)."""
    split = [path.strip("/").split("/") for path in paths]
    shared = []
    for parts in zip(*split):
        if len(set(parts)) > 1:
            break
        shared.append(parts[0])
    path = "/" + "/".join(shared) + "/" if shared else scope.ROOT_PATH
    found = _directory(session, path=path)
    return (found.id if found else None), path


def org_reference(record: Any) -> dict[str, Any] | None:
    """`{id, code, name}` of a record's owner: the code from its path (always known), the id and name from the
    directory copy; `name` is null while the copy has not heard of the organisation (nor is `id` for the root
    of rows older than scope whose id the copy did not know at migration)."""
    from servicekit.unit_of_work import request_session

    path = getattr(record, "org_path", None)
    if not path:
        return None
    # One page names the same few organisations many times: each is read once per request.
    cache = g.setdefault("erdm_org_references", {}) if has_request_context() else {}
    if path not in cache:
        found = _directory(request_session(), path=path)
        cache[path] = {"id": str(found.id) if found else None, "code": _code_of(path),
                       "name": found.name if found else None}
    reference = dict(cache[path])
    if getattr(record, "org_id", None) is not None:
        reference["id"] = str(record.org_id)
    return reference
