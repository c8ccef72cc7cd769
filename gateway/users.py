"""The people who sign in: created by an admin within its scope, read within the caller's, changed; never their
password, which is kept only as an argon2id hash (gateway/passwords.py)."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import exc as sa_exc, func, insert, select, update
from sqlalchemy.orm import Session

from gateway import orgs as directory, passwords, scope as scopes, sessions
from gateway.models import orgs, users
from gateway.refusals import OutsideScope
from servicekit.errors import Conflict, NotFound
from servicekit.signing import Actor

CHANGEABLE = ("display_name", "role", "scope", "active")  # and `password`, hashed on its way in


@dataclass(frozen=True)
class User:
    """A person as answered: everything but the password hash."""

    id: uuid.UUID
    username: str
    display_name: str
    role: str
    org_id: uuid.UUID
    org_code: str
    org_name: str
    org_path: str
    scope: str
    active: bool
    created_at: dt.datetime
    created_by: str
    created_by_name: str | None
    updated_at: dt.datetime
    updated_by: str
    updated_by_name: str | None
    last_sign_in_at: dt.datetime | None = None

    @property
    def actor(self) -> Actor:
        return Actor(id=str(self.id), name=self.display_name, role=self.role, org_id=str(self.org_id),
                     org_path=self.org_path, scope=self.scope)

    @property
    def org(self) -> dict[str, Any]:
        return {"id": self.org_id, "code": self.org_code, "name": self.org_name}


_COLUMNS = (users.c.id, users.c.username, users.c.display_name, users.c.role, users.c.org_id,
            orgs.c.code.label("org_code"), orgs.c.name.label("org_name"), orgs.c.path.label("org_path"),
            users.c.scope, users.c.active, users.c.created_at, users.c.created_by, users.c.created_by_name,
            users.c.updated_at, users.c.updated_by, users.c.updated_by_name, users.c.last_sign_in_at)


def _users(*extra):
    return select(*_COLUMNS, *extra).join(orgs, orgs.c.id == users.c.org_id)


def _same_username(username: str):
    return func.lower(users.c.username) == username.lower()


def _taken(username: str) -> Conflict:
    return Conflict(f"the username {username!r} is taken (usernames are the same whatever their case)",
                    field="username")


def create(fields: Mapping[str, Any], *, session: Session, actor: Actor, now: dt.datetime) -> User:
    """A new person for an organisation within the caller's scope, never reaching further than the caller."""
    org, scope = directory.place("user", session=session, actor=actor, org_id=fields.get("org_id"),
                                 org_code=fields.get("org_code"), scope=fields.get("scope"))
    username = fields["username"]
    if session.scalar(select(users.c.id).where(_same_username(username))) is not None:
        raise _taken(username)
    user_id = uuid.uuid4()
    try:
        with session.begin_nested():  # a lost race on the unique username leaves the caller's transaction usable
            session.execute(insert(users).values(
                id=user_id, username=username, display_name=fields["display_name"],
                password_hash=passwords.hash_password(fields["password"]), role=fields["role"], org_id=org.id,
                scope=scope, active=True, created_at=now, created_by=actor.id, created_by_name=actor.name,
                updated_at=now, updated_by=actor.id, updated_by_name=actor.name,
            ))
    except sa_exc.IntegrityError as exc:
        raise _taken(username) from exc
    return get(user_id, session=session, actor=actor)


def get(user_id: uuid.UUID, *, session: Session, actor: Actor) -> User:
    """A person of an organisation within the caller's scope, or NotFound (outside it is as if absent)."""
    row = session.execute(_users().where(users.c.id == user_id, directory.in_scope(actor))).one_or_none()
    if row is None:
        raise NotFound(f"no user with id {user_id}")
    return User(**row._mapping)


def page(*, session: Session, actor: Actor, page: int, per_page: int, active: bool | None = None,
         role: str | None = None, org_id: uuid.UUID | None = None) -> tuple[list[User], int]:
    """One page of the people within the caller's scope, by username, and how many there are in all."""
    where = [directory.in_scope(actor)]
    if active is not None:
        where.append(users.c.active.is_(active))
    if role is not None:
        where.append(users.c.role == role)
    if org_id is not None:
        where.append(users.c.org_id == org_id)
    total = session.scalar(select(func.count()).select_from(users).join(orgs, orgs.c.id == users.c.org_id)
                           .where(*where))
    rows = session.execute(_users().where(*where).order_by(func.lower(users.c.username))
                           .limit(per_page).offset((page - 1) * per_page))
    return [User(**row._mapping) for row in rows], total


def change(user_id: uuid.UUID, changes: Mapping[str, Any], *, session: Session, actor: Actor,
           now: dt.datetime) -> User:
    """Change a person within the caller's scope. A new scope is never wider than the caller's; deactivating
    the person or giving a new password ends every session of theirs at once."""
    user = get(user_id, session=session, actor=actor)
    values = {name: changes[name] for name in CHANGEABLE if name in changes}
    if "scope" in values:
        refused = scopes.why_wider(creator_path=actor.org_path, creator_scope=actor.scope, org_path=user.org_path,
                                   scope=values["scope"])
        if refused:
            raise OutsideScope(f"a user is never wider than who changes it: {refused}")
    if "password" in changes:
        values["password_hash"] = passwords.hash_password(changes["password"])
    session.execute(update(users).where(users.c.id == user.id).values(
        **values, updated_at=now, updated_by=actor.id, updated_by_name=actor.name))
    if values.get("active") is False and user.active:
        sessions.end_all(user.id, reason="deactivated", session=session, now=now)
    elif "password_hash" in values:
        sessions.end_all(user.id, reason="password_changed", session=session, now=now)
    return get(user_id, session=session, actor=actor)


def for_sign_in(username: str, *, session: Session) -> tuple[User, str] | None:
    """The person with this username (any case), active or not, and their password hash; None when there is none."""
    row = session.execute(_users(users.c.password_hash).where(_same_username(username))).one_or_none()
    if row is None:
        return None
    values = dict(row._mapping)
    stored_hash = values.pop("password_hash")
    return User(**values), stored_hash


def signed_in(user_id: uuid.UUID, *, session: Session, now: dt.datetime, password: str, stored_hash: str) -> None:
    """Note the sign-in; a hash made with older parameters is made anew while the password is at hand."""
    values: dict[str, Any] = {"last_sign_in_at": now}
    if passwords.needs_rehash(stored_hash):
        values["password_hash"] = passwords.hash_password(password)
    session.execute(update(users).where(users.c.id == user_id).values(**values))
