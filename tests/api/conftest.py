"""Fixtures for the resources API stories: a client-backed Stockroom, a depot, items, the outbox."""
from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from servicekit.db import outbox_table
from stockroom import Stockroom


@pytest.fixture
def stockroom(client) -> Stockroom:
    return Stockroom(client)


@pytest.fixture
def depot(stockroom):
    return stockroom.warehouse()


@pytest.fixture
def tents(stockroom):
    return stockroom.item(name="救灾帐篷", unit="顶", category_code="10401")


@pytest.fixture
def water(stockroom):
    return stockroom.item(name="瓶装饮用水", unit="箱", category_code="10201", shelf_life_days=365)


@pytest.fixture
def outbox(resources_db):
    """The events written so far, oldest first, as (type, data); the catalog's `item.changed` only when asked
    for by type (the stock stories count their stock events)."""

    def read(event_type: str | None = None) -> list[tuple[str, dict[str, Any]]]:
        query = select(outbox_table.c.event_type, outbox_table.c.envelope).order_by(outbox_table.c.seq)
        if event_type:
            query = query.where(outbox_table.c.event_type == event_type)
        else:
            query = query.where(outbox_table.c.event_type != "item.changed")
        with resources_db.session(readonly=True) as session:
            return [(row.event_type, json.loads(row.envelope)["data"]) for row in session.execute(query)]

    return read


# --- plans ----------------------------------------------------------------------------------
import datetime as dt  # noqa: E402
import uuid  # noqa: E402

from servicekit import clock as service_clock  # noqa: E402
from servicekit.events import Event  # noqa: E402

PLANS = "/api/v1/plans"


@pytest.fixture
def fixed_clock(monkeypatch):
    """Pin "now" for the service (and so "today" in its zone); returns a setter taking an aware datetime."""

    def set_now(moment: dt.datetime) -> dt.datetime:
        monkeypatch.setattr(service_clock, "now", lambda: moment)
        return moment

    return set_now


@pytest.fixture
def plan_desk(plans_client):
    """Register, step and read plans through the API; every call asserts its expected status."""

    class Desk:
        client = plans_client

        def call(self, method: str, path: str, expected: int = 200, **kwargs):
            response = getattr(plans_client, method)(PLANS + path, **kwargs)
            assert response.status_code == expected, response.get_json()
            return response.get_json()

        def create(self, expected: int = 201, **fields):
            body = {"code": f"YA-{uuid.uuid4().hex[:6]}", "title": "防汛专项应急预案", "type": "special",
                    "hazard_types": ["flood"], "owner_org": "市应急管理局", "owner": "张伟", **fields}
            return self.call("post", "", expected, json=body)

        def get(self, plan):
            return self.call("get", f"/{plan['id']}")

        def step(self, plan, action: str, expected: int = 200, **body):
            return self.call("post", f"/{plan['id']}/{action}", expected, json=body)

        def approved(self, approved_at: dt.datetime | None = None, **fields):
            plan = self.create(**fields)
            self.step(plan, "submit")
            extra = {"approved_at": approved_at.isoformat()} if approved_at else {}
            return self.step(plan, "approve", approved_by="王局长", **extra)

    return Desk()


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


@pytest.fixture
def plan_events(plans_db):
    """Deliver one event to the plans worker's handler in one transaction, inbox included, as the worker does."""
    from servicekit import inbox
    from services.plans.domain.workdays import WorkCalendar
    from services.plans.handlers import PlanHandlers

    mapping = PlanHandlers(work_calendar=WorkCalendar()).mapping()

    def deliver(event_type: str, *, source: str, event: Event | None = None, **data) -> Event:
        event = event or Event(type=event_type, source=source, data=data)
        with plans_db.transaction() as session:
            if not inbox.already_applied(session, event, consumer="plans-worker"):
                mapping[event.type](event, session=session)
                inbox.record(session, event, consumer="plans-worker")
        return event

    return deliver
