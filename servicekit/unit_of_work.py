"""One database transaction per request, committed by the edge once the response is known (never by helpers)."""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

from flask import Flask, Response, current_app, g, request
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from servicekit import deadline, idempotency
from servicekit.db import Database
from servicekit.problems import problem
from servicekit.signing import Actor

log = logging.getLogger("erdm.uow")

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def current_database() -> Database:
    return current_app.extensions["erdm.database"]


def request_session() -> Session:
    """The request's session: a writer (BEGIN IMMEDIATE on SQLite) unless the method only reads."""
    session = g.get("erdm_session")
    if session is None:
        session = current_database().session(readonly=request.method in READ_METHODS)
        g.erdm_session = session
    return session


@contextmanager
def reads_before_writing() -> Iterator[Session]:
    """A session for what a write request can learn before it takes any lock (does the item exist,
    what kind is it): rows that never change, or whose change may as well have come a moment later.

    On SQLite the request's session takes the file's single write lock with its first statement and
    holds it to the commit, so these reads run on a reader of their own and every other writer waits
    less. PostgreSQL locks nothing on a plain read: there the request's own session serves.
    """
    database = current_database()
    if not database.is_sqlite:
        yield request_session()
        return
    with database.session(readonly=True) as session:
        yield session


def current_actor() -> Actor:
    return g.get("actor") or Actor(id="anonymous", name="anonymous", role="")


def install(app: Flask, database: Database) -> None:
    app.extensions["erdm.database"] = database

    @app.after_request
    def _finish_unit_of_work(response: Response) -> Response:
        session: Session | None = g.get("erdm_session")
        if session is None or request.method in READ_METHODS:
            return response
        if response.status_code >= 400 or g.get("idempotent_replay"):
            session.rollback()
            if 400 <= response.status_code < 500 and not g.get("idempotent_replay"):
                # Refused, perhaps only because a retry with the same key ran at the same time and
                # already did the work: then its answer is the answer. (A 5xx is no such refusal.)
                return idempotency.replay_after_race(current_database()) or response
            return response
        try:
            idempotency.remember(session, response)
            # Everything but the commit itself is done (pending ORM changes flushed, a same-key twin
            # waited for), so the deadline is asked as late as it can be.
            session.flush()
            if deadline.passed(margin=deadline.COMMIT_MARGIN_SECONDS):
                # The gateway has answered (or is about to answer) 504: committing now would book a
                # write its caller was told failed, and that a retry would book again.
                session.rollback()
                log.warning("rolled back a write that missed the gateway's deadline")
                return deadline.refusal()
            session.commit()
        except sa_exc.IntegrityError:
            session.rollback()
            replay = idempotency.replay_after_race(current_database())
            if replay is not None:
                return replay
            log.warning("commit refused by a constraint", exc_info=True)
            return problem(409, "The change conflicts with data written at the same time; retry the request.")
        except sa_exc.OperationalError:
            session.rollback()
            log.exception("commit failed")
            return problem(503, "The database is unavailable; nothing was changed. Retry shortly.")
        return response

    @app.teardown_request
    def _close_session(_exc) -> None:
        session: Session | None = g.pop("erdm_session", None)
        if session is not None:
            session.close()
