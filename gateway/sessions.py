"""People's sessions: a bearer token made at sign-in, found by its hash, ended after 12 hours, 30 minutes unused,
at sign-out, or when the person is deactivated or given a new password."""
from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from gateway.keys import token_hash
from gateway.models import orgs, sessions, users
from servicekit.errors import NotFound
from servicekit.signing import Actor

TOKEN_PREFIX = "erdms_"  # tells a session token from a key (erdm_) in a log or a secret scanner's report
LIFETIME = dt.timedelta(hours=12)  # absolute: a new sign-in at least twice a day
IDLE_LIMIT = dt.timedelta(minutes=30)
# `last_used_at` moves at most this often: a busy page would otherwise write on every request it makes.
TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Started:
    id: uuid.UUID
    token: str  # exists only in this value: the table keeps its SHA-256
    expires_at: dt.datetime


@dataclass(frozen=True)
class LiveSession:
    id: uuid.UUID
    actor: Actor
    last_used_at: dt.datetime

    def needs_touch(self, now: dt.datetime) -> bool:
        return now - self.last_used_at >= TOUCH_EVERY


def start(user_id: uuid.UUID, *, session: Session, now: dt.datetime) -> Started:
    """A new session for the person; the token, 256 random bits, is returned once and stored as its hash."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    started = Started(id=uuid.uuid4(), token=token, expires_at=now + LIFETIME)
    session.execute(insert(sessions).values(id=started.id, user_id=user_id, token_hash=token_hash(token),
                                            created_at=now, last_used_at=now, expires_at=started.expires_at))
    return started


def find_live(token: str, *, session: Session, now: dt.datetime) -> LiveSession | None:
    """The live session this token belongs to, as the person it acts for; read on every request, so an ending,
    a deactivation or a change of role or scope counts at once."""
    row = session.execute(
        select(sessions.c.id, sessions.c.last_used_at, users.c.id.label("user_id"), users.c.display_name,
               users.c.role, users.c.org_id, orgs.c.path, users.c.scope)
        .join(users, users.c.id == sessions.c.user_id).join(orgs, orgs.c.id == users.c.org_id)
        .where(sessions.c.token_hash == token_hash(token), sessions.c.ended_at.is_(None),
               sessions.c.expires_at > now, sessions.c.last_used_at > now - IDLE_LIMIT, users.c.active.is_(True))
    ).one_or_none()
    if row is None:
        return None
    actor = Actor(id=str(row.user_id), name=row.display_name, role=row.role, org_id=str(row.org_id),
                  org_path=row.path, scope=row.scope)
    return LiveSession(id=row.id, actor=actor, last_used_at=row.last_used_at)


def touch(session_id: uuid.UUID, *, session: Session, now: dt.datetime) -> None:
    """Mark the session used now; another process that did so in the last minute makes this a no-op."""
    session.execute(update(sessions).where(sessions.c.id == session_id,
                                           sessions.c.last_used_at <= now - TOUCH_EVERY).values(last_used_at=now))


def end(session_id: uuid.UUID, *, session: Session, now: dt.datetime, reason: str = "signed_out") -> None:
    """End one live session (sign-out); NotFound when it has already ended."""
    done = session.execute(update(sessions).where(sessions.c.id == session_id, sessions.c.ended_at.is_(None))
                           .values(ended_at=now, ended_reason=reason))
    if done.rowcount != 1:
        raise NotFound("this session has already ended")


def end_all(user_id: uuid.UUID, *, reason: str, session: Session, now: dt.datetime) -> int:
    """End every session of the person still open; how many there were."""
    return session.execute(update(sessions).where(sessions.c.user_id == user_id, sessions.c.ended_at.is_(None))
                           .values(ended_at=now, ended_reason=reason)).rowcount
