"""An effect registered inside a transaction runs when it commits, and never when it (or its savepoint) rolls back;
an undoing is the mirror: it runs when its transaction (or savepoint) rolls back or is closed, never once it commits."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from servicekit.after_commit import after_commit, after_rollback


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_an_effect_waits_for_the_commit(session):
    ran = []
    with session.begin():
        session.execute(text("SELECT 1"))
        after_commit(session, lambda: ran.append("held"))
        assert ran == []
    assert ran == ["held"]


def test_a_rollback_or_a_close_drops_the_effect(session):
    ran = []
    session.execute(text("SELECT 1"))
    after_commit(session, lambda: ran.append("rolled back"))
    session.rollback()
    session.execute(text("SELECT 1"))
    after_commit(session, lambda: ran.append("closed"))
    session.close()
    with session.begin():  # the session used again commits nothing left over
        session.execute(text("SELECT 1"))
    assert ran == []


def test_a_savepoint_rolled_back_drops_only_what_it_registered(session):
    """The drill.scheduled handler: releases the old hold, then tries a new one in a savepoint."""
    ran = []
    with session.begin():
        session.execute(text("SELECT 1"))
        after_commit(session, lambda: ran.append("released"))
        with pytest.raises(LookupError):
            with session.begin_nested():
                after_commit(session, lambda: ran.append("reserved"))
                with session.begin_nested():
                    after_commit(session, lambda: ran.append("inner"))
                raise LookupError("shortfall")
        with session.begin_nested():
            after_commit(session, lambda: ran.append("kept"))
        assert ran == []
    assert ran == ["released", "kept"]


def test_outside_a_transaction_the_effect_runs_at_once(session):
    ran = []
    after_commit(session, lambda: ran.append("now"))
    assert ran == ["now"]


def test_an_undoing_runs_on_a_rollback_or_a_close_and_never_after_a_commit(session):
    undone = []
    after_rollback(session, lambda: undone.append("rolled back"))  # begins the transaction it waits on
    session.rollback()
    after_rollback(session, lambda: undone.append("closed"))
    session.close()
    with session.begin():
        session.execute(text("SELECT 1"))
        after_rollback(session, lambda: undone.append("committed"))
    session.rollback()  # nothing left over from the committed one
    assert undone == ["rolled back", "closed"]


def test_a_savepoint_rolled_back_undoes_only_what_it_registered_and_a_failed_undoing_stops_no_other(session):
    undone = []

    def failing():
        raise OSError("the store is down")

    with session.begin():
        session.execute(text("SELECT 1"))
        after_rollback(session, lambda: undone.append("outer"))
        with pytest.raises(LookupError):
            with session.begin_nested():
                after_rollback(session, lambda: undone.append("inner"))
                after_rollback(session, failing)
                raise LookupError("shortfall")
        assert undone == ["inner"]
    assert undone == ["inner"]
