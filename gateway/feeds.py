"""Calendar feeds as the gateway keeps them: a secret token made once and stored as its hash, the key or person
who made it, and that creator's identity found again, as of now, each time a calendar client fetches the feed."""
from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.orm import Session

from gateway import creators
from gateway.keys import token_hash
from gateway.models import calendar_feeds
from servicekit.errors import NotFound
from servicekit.signing import Actor

# Tells a feed's token from a key (erdm_) or a session token (erdms_) in a log or a secret scanner's report.
TOKEN_PREFIX = "erdmf_"


@dataclass(frozen=True)
class Feed:
    """A feed as listed: everything but its token, which exists only in the URL answered at creation."""

    id: uuid.UUID
    name: str
    plan_id: uuid.UUID | None
    creator_kind: str
    creator_id: str
    creator_name: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class Live:
    """A live feed found by its token: what to ask the drills service for, and who made it."""

    id: uuid.UUID
    plan_id: uuid.UUID | None
    creator_kind: str
    creator_id: str


_COLUMNS = (calendar_feeds.c.id, calendar_feeds.c.name, calendar_feeds.c.plan_id, calendar_feeds.c.creator_kind,
            calendar_feeds.c.creator_id, calendar_feeds.c.creator_name, calendar_feeds.c.created_at)


def _own(kind: str, actor: Actor):
    """The live feeds this caller made."""
    return and_(calendar_feeds.c.creator_kind == kind, calendar_feeds.c.creator_id == actor.id,
                calendar_feeds.c.revoked_at.is_(None))


def create(name: str, plan_id: uuid.UUID | None, *, kind: str, actor: Actor, session: Session,
           now: dt.datetime) -> tuple[Feed, str]:
    """A new feed for the caller and its token (256 random bits); the token exists only in this return value."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    feed = Feed(id=uuid.uuid4(), name=name, plan_id=plan_id, creator_kind=kind, creator_id=actor.id,
                creator_name=actor.name, created_at=now)
    session.execute(insert(calendar_feeds).values(token_hash=token_hash(token), **feed.__dict__))
    return feed, token


def page(*, kind: str, actor: Actor, session: Session, page: int, per_page: int) -> tuple[list[Feed], int]:
    """One page of the caller's own live feeds, newest first, and how many there are in all."""
    total = session.scalar(select(func.count()).select_from(calendar_feeds).where(_own(kind, actor)))
    rows = session.execute(select(*_COLUMNS).where(_own(kind, actor))
                           .order_by(calendar_feeds.c.created_at.desc(), calendar_feeds.c.id)
                           .limit(per_page).offset((page - 1) * per_page))
    return [Feed(**row._mapping) for row in rows], total


def revoke(feed_id: uuid.UUID, *, kind: str, actor: Actor, session: Session, now: dt.datetime) -> None:
    """Revoke one of the caller's live feeds: its URL answers 404 from now on. Another's, an unknown or an already
    revoked feed is NotFound (gone either way, as far as the caller can tell)."""
    done = session.execute(update(calendar_feeds).where(calendar_feeds.c.id == feed_id, _own(kind, actor))
                           .values(revoked_at=now))
    if done.rowcount != 1:
        raise NotFound(f"no live calendar feed of yours with id {feed_id}")


def find(token: str, *, session: Session) -> tuple[bool, Live | None]:
    """(whether the token was ever a feed's, the feed when it is still live)."""
    row = session.execute(select(calendar_feeds.c.id, calendar_feeds.c.plan_id, calendar_feeds.c.creator_kind,
                                 calendar_feeds.c.creator_id, calendar_feeds.c.revoked_at)
                          .where(calendar_feeds.c.token_hash == token_hash(token))).one_or_none()
    if row is None:
        return False, None
    if row.revoked_at is not None:
        return True, None
    return True, Live(id=row.id, plan_id=row.plan_id, creator_kind=row.creator_kind, creator_id=row.creator_id)


def creator_now(feed: Live, *, session: Session, bootstrap_admin: Callable[[], Actor] | None) -> Actor | None:
    """The feed's creator as it stands now (its role, organisation and scope of today), or None when it can no
    longer act (gateway/creators.py decides, for webhooks alike)."""
    return creators.now(feed.creator_kind, feed.creator_id, session=session, bootstrap_admin=bootstrap_admin)
