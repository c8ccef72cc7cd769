"""API keys as the gateway keeps them: made once, shown once, found by hash, revoked for good."""
from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exc as sa_exc, func, insert, select, update
from sqlalchemy.orm import Session

from gateway import orgs as directory
from gateway.models import api_keys, orgs
from servicekit.db import utcnow
from servicekit.errors import Conflict, NotFound
from servicekit.signing import Actor

TOKEN_PREFIX = "erdm_"
PREFIX_SHOWN = 12  # "erdm_" and 7 random characters: tells keys apart, leaves 216 random bits unseen


@dataclass(frozen=True)
class ApiKey:
    """A key as listed: everything but the secret."""

    id: uuid.UUID
    name: str
    role: str
    prefix: str
    org_id: uuid.UUID
    org_code: str
    org_name: str
    org_path: str
    scope: str
    created_at: datetime
    created_by: str
    created_by_name: str | None = None
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    revoked_by_name: str | None = None

    @property
    def actor(self) -> Actor:
        return Actor(id=str(self.id), name=self.name, role=self.role, org_id=str(self.org_id),
                     org_path=self.org_path, scope=self.scope)

    @property
    def org(self) -> dict:
        return {"id": self.org_id, "code": self.org_code, "name": self.org_name}


def new_token() -> str:
    """A bearer token with 256 random bits, recognisable by its `erdm_` prefix (e.g. to secret scanners)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    # A fast hash is right here: the token is 256 random bits, so there is nothing to brute-force,
    # and every request looks its key up by this hash.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


_COLUMNS = (api_keys.c.id, api_keys.c.name, api_keys.c.role, api_keys.c.prefix, api_keys.c.org_id,
            orgs.c.code.label("org_code"), orgs.c.name.label("org_name"), orgs.c.path.label("org_path"),
            api_keys.c.scope, api_keys.c.created_at, api_keys.c.created_by, api_keys.c.created_by_name,
            api_keys.c.revoked_at, api_keys.c.revoked_by, api_keys.c.revoked_by_name)


def _keys():
    return select(*_COLUMNS).join(orgs, orgs.c.id == api_keys.c.org_id)


def create(name: str, role: str, *, session: Session, actor: Actor, org_id: uuid.UUID | None = None,
           org_code: str | None = None, scope: str | None = None) -> tuple[ApiKey, str]:
    """A new key and its token; the token exists only in this return value from now on.

    The key acts for `org_id` (or `org_code`; by default the creator's organisation) with `scope` (by
    default subtree, or own when the creator's is): never further than its creator reaches.
    """
    org, scope = directory.place("key", session=session, actor=actor, org_id=org_id, org_code=org_code,
                                 scope=scope)
    token = new_token()
    key = ApiKey(id=uuid.uuid4(), name=name, role=role, prefix=token[:PREFIX_SHOWN], org_id=org.id,
                 org_code=org.code, org_name=org.name, org_path=org.path, scope=scope,
                 created_at=utcnow(), created_by=actor.id, created_by_name=actor.name)
    if session.scalar(select(api_keys.c.id).where(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))):
        raise Conflict(f"a key named {name!r} already exists; revoke it or choose another name")
    try:
        # A savepoint, so a lost race on the unique name leaves the caller's transaction usable.
        with session.begin_nested():
            session.execute(insert(api_keys).values(
                id=key.id, name=key.name, role=key.role, prefix=key.prefix, key_hash=token_hash(token),
                org_id=key.org_id, scope=key.scope,
                created_at=key.created_at, created_by=key.created_by, created_by_name=key.created_by_name,
            ))
    except sa_exc.IntegrityError as exc:
        raise Conflict(f"a key named {name!r} already exists; revoke it or choose another name") from exc
    return key, token


def find_live(token: str, *, session: Session) -> ApiKey | None:
    """The unrevoked key this token belongs to. Read on every request, so a revocation counts at once."""
    row = session.execute(
        _keys().where(api_keys.c.key_hash == token_hash(token), api_keys.c.revoked_at.is_(None))
    ).one_or_none()
    return ApiKey(**row._mapping) if row else None


def find_live_by_id(key_id: uuid.UUID, *, session: Session) -> ApiKey | None:
    """The unrevoked key with this id, whoever asks (a calendar feed re-authenticates its creator by it)."""
    row = session.execute(_keys().where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))).one_or_none()
    return ApiKey(**row._mapping) if row else None


def get(key_id: uuid.UUID, *, session: Session, actor: Actor) -> ApiKey:
    """A key within the caller's scope, live or revoked (its record is audit history), or NotFound."""
    row = session.execute(_keys().where(api_keys.c.id == key_id, directory.in_scope(actor))).one_or_none()
    if row is None:
        raise NotFound(f"no key with id {key_id}")
    return ApiKey(**row._mapping)


def page(*, session: Session, actor: Actor, page: int, per_page: int,
         include_revoked: bool = False) -> tuple[list[ApiKey], int]:
    """One page of the keys within the caller's scope, newest first, and how many there are in all."""
    where = (directory.in_scope(actor),) if include_revoked else (directory.in_scope(actor),
                                                                   api_keys.c.revoked_at.is_(None))
    total = session.scalar(select(func.count()).select_from(api_keys)
                           .join(orgs, orgs.c.id == api_keys.c.org_id).where(*where))
    rows = session.execute(
        _keys().where(*where)
        .order_by(api_keys.c.created_at.desc(), api_keys.c.id)
        .limit(per_page).offset((page - 1) * per_page)
    )
    return [ApiKey(**row._mapping) for row in rows], total


def revoke(key_id: uuid.UUID, *, session: Session, actor: Actor) -> None:
    """Revoke a live key within the caller's scope; one that is unknown, outside it or already revoked is
    NotFound (it is gone either way, as far as the caller can tell)."""
    reachable = select(api_keys.c.id).join(orgs, orgs.c.id == api_keys.c.org_id).where(directory.in_scope(actor))
    done = session.execute(
        update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None), api_keys.c.id.in_(reachable))
        .values(revoked_at=utcnow(), revoked_by=actor.id, revoked_by_name=actor.name)
    )
    if done.rowcount != 1:
        raise NotFound(f"no live key with id {key_id}")
