"""Whoever made a standing thing (a calendar feed, a webhook subscription) found again as of now: the key or person
that created it, with today's role, organisation and scope, or None when it can no longer act."""
from __future__ import annotations

import uuid
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway import keys
from gateway.models import orgs, users
from servicekit.signing import Actor

KEY, USER = "key", "user"  # the creator's kind, as GET /api/v1/me answers it
BOOTSTRAP_ADMIN_ID = "admin"  # the id gateway/auth.py gives the bootstrap admin key, which has no row


def now(kind: str, creator_id: str, *, session: Session,
        bootstrap_admin: Callable[[], Actor] | None) -> Actor | None:
    """The creator as it stands now, or None when it can no longer act: a revoked or unknown key, a deactivated or
    deleted person, or the bootstrap admin key no longer configured (`bootstrap_admin` None; else it answers that
    key's actor)."""
    if kind == KEY:
        if creator_id == BOOTSTRAP_ADMIN_ID:
            return bootstrap_admin() if bootstrap_admin is not None else None
        key = _key(creator_id, session=session)
        return key.actor if key is not None else None
    if kind == USER:
        return _user(creator_id, session=session)
    return None


def _key(key_id: str, *, session: Session) -> keys.ApiKey | None:
    key_uuid = _uuid(key_id)
    return keys.find_live_by_id(key_uuid, session=session) if key_uuid is not None else None


def _user(user_id: str, *, session: Session) -> Actor | None:
    user_uuid = _uuid(user_id)
    if user_uuid is None:
        return None
    row = session.execute(
        select(users.c.id, users.c.display_name, users.c.role, users.c.org_id, orgs.c.path, users.c.scope)
        .join(orgs, orgs.c.id == users.c.org_id).where(users.c.id == user_uuid, users.c.active.is_(True))
    ).one_or_none()
    if row is None:
        return None
    return Actor(id=str(row.id), name=row.display_name, role=row.role, org_id=str(row.org_id), org_path=row.path,
                 scope=row.scope)


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None
