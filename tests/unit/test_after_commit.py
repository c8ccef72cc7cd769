"""An effect registered inside a transaction runs when it commits, and never when it (or its savepoint) rolls back."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from servicekit.after_commit import after_commit


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
