"""Who is calling: the bearer key or session token of an /api/v1 request, as the Actor the gateway vouches for."""
from __future__ import annotations

import datetime as dt
import hmac
import logging
import uuid
from dataclasses import dataclass, replace

from sqlalchemy import exc as sa_exc, select

from gateway import keys, sessions
from gateway.models import ROOT_CODE, orgs
from gateway.scope import SUBTREE
from servicekit import clock
from servicekit.config import Settings
from servicekit.db import Database
from servicekit.signing import Actor

log = logging.getLogger("erdm.gateway")

# The bootstrap admin key acts for the root organisation over its whole tree.
ADMIN = Actor(id="admin", name="admin", role="admin", org_path=f"/{ROOT_CODE}/", scope=SUBTREE)

# Sent with every 401 so clients know which scheme to retry with (RFC 6750).
CHALLENGE = {"WWW-Authenticate": "Bearer"}

MAX_TOKEN_LENGTH = 200  # ours are 48 characters; anything far longer is not worth hashing

# The bootstrap admin key is typed by an operator, not drawn by us: below 32 characters it may be guessable.
MIN_ADMIN_KEY_LENGTH = 32


def check_admin_key(admin_key: str | None) -> None:
    """ValueError, saying what to do, when ERDM_ADMIN_KEY is set but too short to stand against guessing."""
    if admin_key is not None and len(admin_key) < MIN_ADMIN_KEY_LENGTH:
        raise ValueError(
            f"ERDM_ADMIN_KEY must be at least {MIN_ADMIN_KEY_LENGTH} characters long (it has {len(admin_key)}); "
            "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'")


def bearer_token(header_value: str | None) -> str | None:
    """The key from `Authorization: Bearer <key>`, or None when the header has another shape."""
    if not header_value:
        return None
    scheme, _, token = header_value.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


@dataclass(frozen=True)
class Caller:
    """Who authenticated: the actor, and whether with a key or as a person in a session (its id then)."""

    actor: Actor
    kind: str = "key"  # "key" or "user", as GET /api/v1/me answers it
    session_id: uuid.UUID | None = None


def authenticate(header_value: str | None, *, settings: Settings, database: Database,
                 now: dt.datetime | None = None) -> Caller | None:
    """The caller a valid key or live session token belongs to, or None.

    The bootstrap admin key is checked first, so an operator keeps access while the key store
    is down; a store that cannot be read raises (SQLAlchemy's error), which the app answers 503.
    A token is looked up as a key, else as a session; a session in use is marked so at most once a minute.
    """
    token = bearer_token(header_value)
    if token is None or len(token) > MAX_TOKEN_LENGTH:
        return None
    if settings.admin_key and _same_key(token, settings.admin_key):
        return Caller(bootstrap_admin(database))
    now = now or clock.now()
    with database.session(readonly=True) as session:
        key = keys.find_live(token, session=session)
        live = None if key else sessions.find_live(token, session=session, now=now)
    if key is not None:
        return Caller(key.actor)
    if live is None:
        return None
    if live.needs_touch(now):
        with database.transaction() as session:
            sessions.touch(live.id, session=session, now=now)
    return Caller(live.actor, kind="user", session_id=live.id)


def bootstrap_admin(database: Database) -> Actor:
    """The bootstrap admin with its root organisation's id; without the id (empty) while the store cannot be
    read, so the key still works then: the path alone decides what it reaches."""
    try:
        with database.session(readonly=True) as session:
            root_id = session.scalar(select(orgs.c.id).where(orgs.c.code == ROOT_CODE))
    except sa_exc.SQLAlchemyError:
        log.warning("the root organisation could not be read; the admin key acts without its id", exc_info=True)
        root_id = None
    return replace(ADMIN, org_id=str(root_id) if root_id else "")


def _same_key(given: str, expected: str) -> bool:
    # Bytes, because compare_digest refuses non-ASCII str and a client may send anything.
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
