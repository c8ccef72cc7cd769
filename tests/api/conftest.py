"""Fixtures the tests of several services share: a client-backed Stockroom with a depot and an item, a plan desk,
events delivered to the plans worker's handlers, a drill book."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from servicekit.events import Event
from stockroom import Stockroom
from tests.flows.drillbook import DrillBook

PLANS = "/api/v1/plans"


@pytest.fixture
def stockroom(resources_client) -> Stockroom:
    return Stockroom(resources_client)


@pytest.fixture
def depot(stockroom):
    return stockroom.warehouse()


@pytest.fixture
def tents(stockroom):
    return stockroom.item(name="救灾帐篷", unit="顶", category_code="10401")


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
def book(drills_client, drills_db) -> DrillBook:
    """The drills API as a plan owner uses it, signed as the admin."""
    return DrillBook(drills_client, drills_db)


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
