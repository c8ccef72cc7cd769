"""Fixtures of the plans service's tests: a pinned clock, its outbox, and events delivered to its worker."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from servicekit import clock as service_clock
from servicekit.db import outbox_table


@pytest.fixture
def fixed_clock(monkeypatch):
    """Pin "now" for the service (and so "today" in its zone); returns a setter taking an aware datetime."""

    def set_now(moment: dt.datetime) -> dt.datetime:
        monkeypatch.setattr(service_clock, "now", lambda: moment)
        return moment

    return set_now


@pytest.fixture
def plans_outbox(plans_db):
    """The plans service's events so far, oldest first, as (type, data)."""

    def read(event_type: str | None = None):
        query = select(outbox_table.c.event_type, outbox_table.c.envelope).order_by(outbox_table.c.seq)
        if event_type:
            query = query.where(outbox_table.c.event_type == event_type)
        with plans_db.session(readonly=True) as session:
            return [(row.event_type, json.loads(row.envelope)["data"]) for row in session.execute(query)]

    return read
