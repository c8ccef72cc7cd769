"""The organisation directory: create, read within the caller's scope, change; each change announced as org.changed."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import Select, exc as sa_exc, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from contracts.catalogue import GATEWAY
from contracts.events.directory import OrgChanged, Person
from gateway import scope as scopes
from gateway.models import orgs
from gateway.refusals import OutsideScope, Unchangeable
from servicekit import outbox
from servicekit.db import utcnow
from servicekit.errors import Conflict, InvalidInput, NotFound
from servicekit.events import new_event
from servicekit.signing import Actor

MAX_PATH_LENGTH = 1000  # the column's width: about fifteen levels of long codes, far deeper than any real tree
# What a PATCH may change; the rest is fixed once written (the parent, and with it the code's place in every path).
CHANGEABLE = ("name", "district", "industries", "principal", "deputies", "active")
FIXED = ("parent_id", "parent_code", "code")


@dataclass(frozen=True)
class Org:
    """An organisation as answered: its own fields and its parent by `{id, code, name}`."""

    id: uuid.UUID
    code: str
    name: str
    kind: str
    path: str
    parent: dict[str, Any] | None
    district: str | None
    industries: list[str] = field(default_factory=list)
    principal: dict[str, Any] | None = None
    deputies: list[dict[str, Any]] = field(default_factory=list)
    active: bool = True
    created_at: datetime | None = None
    created_by: str = ""
    created_by_name: str | None = None
    updated_at: datetime | None = None
    updated_by: str = ""
    updated_by_name: str | None = None


_parent = aliased(orgs, name="parent")


def _selected() -> Select:
    return (select(orgs, _parent.c.code.label("parent_code"), _parent.c.name.label("parent_name"))
            .outerjoin(_parent, _parent.c.id == orgs.c.parent_id))


def _org(row) -> Org:
    values = dict(row._mapping)
    parent_id, parent_code, parent_name = values.pop("parent_id"), values.pop("parent_code"), values.pop("parent_name")
    parent = {"id": parent_id, "code": parent_code, "name": parent_name} if parent_id else None
    return Org(parent=parent, **values)


def in_scope(actor: Actor):
    """The condition on `orgs` that keeps what `actor` reaches: its organisation, and with subtree all below."""
    if not actor.org_path:
        return orgs.c.id.is_(None)  # nothing: an identity without an organisation reaches none
    if actor.scope == scopes.SUBTREE:
        return orgs.c.path.startswith(actor.org_path, autoescape=True)
    return orgs.c.path == actor.org_path


def find(*, session: Session, org_id: uuid.UUID | None = None, code: str | None = None,
         path: str | None = None) -> Org | None:
    """The organisation with this id, code or path, whatever the scope (for the gateway's own checks)."""
    if org_id is not None:
        condition = orgs.c.id == org_id
    elif code is not None:
        condition = orgs.c.code == code
    else:
        condition = orgs.c.path == path
    row = session.execute(_selected().where(condition)).one_or_none()
    return _org(row) if row else None


def place(what: str, *, session: Session, actor: Actor, org_id: uuid.UUID | None = None, org_code: str | None = None,
          scope: str | None = None) -> tuple[Org, str]:
    """The organisation and scope a new key or user (`what`) acts with: the one named by `org_id` or `org_code`,
    else the creator's; `scope` by default subtree, or own when the creator's is. Never further than its creator
    reaches (OutsideScope); an organisation that does not exist is 422 naming the field."""
    if org_id is not None:
        org, name, value = find(session=session, org_id=org_id), "org_id", org_id
    elif org_code is not None:
        org, name, value = find(session=session, code=org_code), "org_code", org_code
    else:
        org, name, value = find(session=session, path=actor.org_path), "org_id", actor.org_path
    if org is None:
        raise InvalidInput({name: [f"No organisation {value}."]})
    scope = scope or (scopes.OWN if actor.scope == scopes.OWN else scopes.SUBTREE)
    refused = scopes.why_wider(creator_path=actor.org_path, creator_scope=actor.scope, org_path=org.path, scope=scope)
    if refused:
        raise OutsideScope(f"a {what} is never wider than its creator: {refused}")
    return org, scope


def get(org_id: uuid.UUID, *, session: Session, actor: Actor) -> Org:
    """The organisation, or NotFound when there is none within the caller's scope (outside it is as if absent)."""
    row = session.execute(_selected().where(orgs.c.id == org_id, in_scope(actor))).one_or_none()
    if row is None:
        raise NotFound(f"no organisation with id {org_id}")
    return _org(row)


def page(*, session: Session, actor: Actor, page: int, per_page: int, kind: str | None = None,
         parent_id: uuid.UUID | None = None, district: str | None = None) -> tuple[list[Org], int]:
    """One page of the organisations the caller reaches, in tree order (by path), and how many there are."""
    where = [in_scope(actor)]
    if kind is not None:
        where.append(orgs.c.kind == kind)
    if parent_id is not None:
        where.append(orgs.c.parent_id == parent_id)
    if district is not None:
        where.append(orgs.c.district == district)
    total = session.scalar(select(func.count()).select_from(orgs).where(*where))
    rows = session.execute(_selected().where(*where).order_by(orgs.c.path).limit(per_page)
                           .offset((page - 1) * per_page))
    return [_org(row) for row in rows], total


def create(fields: Mapping[str, Any], *, session: Session, actor: Actor) -> Org:
    """A new organisation under a parent within the caller's scope, announced in the same transaction."""
    parent = _parent_of(fields, session=session)
    if not scopes.reaches(org_path=actor.org_path, scope=actor.scope, target_path=parent.path):
        raise OutsideScope(f"the parent {parent.code} lies outside your scope; "
                           "you may create organisations only under ones you reach")
    path = scopes.child_path(parent.path, fields["code"])
    if len(path) > MAX_PATH_LENGTH:
        too_deep = f"The tree is too deep here: a path may be at most {MAX_PATH_LENGTH} characters."
        raise InvalidInput({"parent_id": [too_deep]})
    if find(session=session, code=fields["code"]) is not None:
        raise Conflict(f"an organisation with code {fields['code']!r} already exists")
    now, org_id = utcnow(), uuid.uuid4()
    try:
        with session.begin_nested():  # a lost race on the unique code leaves the caller's transaction usable
            session.execute(insert(orgs).values(
                id=org_id, code=fields["code"], name=fields["name"], kind=fields["kind"], parent_id=parent.id,
                path=path, district=fields.get("district"), industries=list(fields.get("industries") or []),
                principal=fields.get("principal"), deputies=list(fields.get("deputies") or []), active=True,
                created_at=now, created_by=actor.id, created_by_name=actor.name,
                updated_at=now, updated_by=actor.id, updated_by_name=actor.name,
            ))
    except sa_exc.IntegrityError as exc:
        raise Conflict(f"an organisation with code {fields['code']!r} already exists") from exc
    org = get(org_id, session=session, actor=actor)
    _announce(org, session=session)
    return org


def change(org_id: uuid.UUID, changes: Mapping[str, Any], *, session: Session, actor: Actor) -> Org:
    """Change what may change of an organisation the caller reaches; its parent and code never change."""
    org = get(org_id, session=session, actor=actor)
    _refuse_fixed(org, changes)
    values = {name: changes[name] for name in CHANGEABLE if name in changes}
    session.execute(update(orgs).where(orgs.c.id == org.id).values(
        **values, updated_at=utcnow(), updated_by=actor.id, updated_by_name=actor.name))
    changed = get(org_id, session=session, actor=actor)
    _announce(changed, session=session)
    return changed


def _refuse_fixed(org: Org, changes: Mapping[str, Any]) -> None:
    parent = org.parent or {}
    given = {"parent_id": parent.get("id"), "parent_code": parent.get("code"), "code": org.code}
    for name in FIXED:
        # Sending the value it already has is harmless (a client PATCHing back what it read).
        if name in changes and changes[name] != given[name]:
            if name == "code":
                raise Unchangeable("an organisation's code never changes: it is part of every path below it",
                                   field="code")
            raise Unchangeable("the parent never changes: create the organisation anew under the other parent",
                               field=name)


def _parent_of(fields: Mapping[str, Any], *, session: Session) -> Org:
    """The parent named by `parent_id` or `parent_code`; 422 naming the field when it names none."""
    if fields.get("parent_id") is not None:
        parent, name, value = find(session=session, org_id=fields["parent_id"]), "parent_id", fields["parent_id"]
    elif fields.get("parent_code") is not None:
        parent, name, value = find(session=session, code=fields["parent_code"]), "parent_code", fields["parent_code"]
    else:
        # Only the root has no parent, and it is made once, by the migration.
        raise InvalidInput({"parent_id": ["Missing data for required field: give `parent_id` or `parent_code`."]})
    if parent is None:
        raise InvalidInput({name: [f"No organisation {value}."]})
    return parent


def _announce(org: Org, *, session: Session) -> None:
    """org.changed with the whole organisation, into the gateway's outbox inside the caller's transaction."""
    principal = Person(**org.principal) if org.principal else None
    outbox.add(session, new_event(OrgChanged(
        org_id=org.id, code=org.code, name=org.name, kind=org.kind, path=org.path, updated_at=org.updated_at,
        parent_id=org.parent["id"] if org.parent else None, district=org.district,
        industries=list(org.industries), principal=principal,
        deputies=[Person(**deputy) for deputy in org.deputies], active=org.active,
    ), source=GATEWAY))
